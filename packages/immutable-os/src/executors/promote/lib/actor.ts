import { userInfo } from 'node:os';
import { runShort } from '../../../utils/run-process';

/** Who moves a tag, for the release log: the CI system's user, else git's configured identity, else the login name. */
export async function actor(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.GITHUB_ACTOR) return `${env.GITHUB_ACTOR} (GitHub Actions)`;
  if (env.GITLAB_USER_LOGIN) return `${env.GITLAB_USER_LOGIN} (GitLab CI)`;
  const git = async (key: string) => (await runShort('git', ['config', key], { cwd }).catch(() => ({ stdout: '' }))).stdout.trim();
  const [name, email] = await Promise.all([git('user.name'), git('user.email')]);
  if (name || email) return [name, email && `<${email}>`].filter(Boolean).join(' ');
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The CI job moving the tag, when one does: a link to its run. */
export function ciJob(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  return env.CI_JOB_URL ?? null;
}
