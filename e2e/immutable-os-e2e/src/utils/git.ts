import { childEnv } from './child-env';
import { runOk, type RunResult } from './run';

export function git(repository: string, args: readonly string[]): RunResult {
  return runOk('git', args, { cwd: repository, env: childEnv(), timeoutMs: 60_000 });
}

/** Creates a repository on branch main with a local identity, so commits work on any machine. */
export function initRepository(repository: string): void {
  git(repository, ['init', '--quiet', '--initial-branch=main']);
  git(repository, ['config', 'user.name', 'immutable-os e2e']);
  git(repository, ['config', 'user.email', 'e2e@immutable-os.invalid']);
  git(repository, ['config', 'commit.gpgsign', 'false']);
}

export function commitAll(repository: string, message: string): void {
  git(repository, ['add', '--all']);
  git(repository, ['commit', '--quiet', '--message', message]);
}

/** `git status --porcelain`: empty when the work tree matches HEAD. */
export function workTreeChanges(repository: string): string {
  return git(repository, ['status', '--porcelain', '--untracked-files=all']).stdout.trim();
}
