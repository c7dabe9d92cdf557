import { runShort } from '../../../utils/run-process';

export interface GitInfo {
  revision?: string;
  /** HEAD's commit time, seconds since the epoch: the build's SOURCE_DATE_EPOCH unless the environment sets one. */
  commitTime?: number;
  /** The origin remote's URL without any credentials in it. */
  source?: string;
}

/** The workspace's commit and origin URL; both undefined outside git. */
export async function readGitInfo(workspaceRoot: string): Promise<GitInfo> {
  const git = async (args: string[]) => {
    try {
      return (await runShort('git', args, { cwd: workspaceRoot })).stdout.trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const [revision, remote, time] = await Promise.all([
    git(['rev-parse', '--verify', '--quiet', 'HEAD']),
    git(['config', '--get', 'remote.origin.url']),
    git(['log', '-1', '--format=%ct', 'HEAD']),
  ]);
  const commitTime = time !== undefined && /^\d+$/.test(time) ? Number(time) : undefined;
  return { revision, ...(commitTime !== undefined ? { commitTime } : {}), source: remote ? withoutCredentials(remote) : undefined };
}

/** Drops `user:password@` from a URL: a token in a remote URL must not end up in a public label. */
export function withoutCredentials(url: string): string {
  // Up to the last "@" before the path: a password may hold an unescaped "@" itself.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}
