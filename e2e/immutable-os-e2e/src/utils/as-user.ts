import { chmodSync, chownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { run, runOk, type RunResult } from './run';

/** The ordinary users tools/ci/setup-host.sh makes for the rootless e2e: one may run podman through sudo, one may not. */
export const ROOTLESS_USER = 'immutable-os-e2e';
export const NO_SUDO_USER = 'immutable-os-e2e-nosudo';

export interface User {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export function lookUpUser(name: string): User {
  const line = runOk('getent', ['passwd', name], { cwd: '/', env: childEnv() }).stdout.trim();
  const [, , uid, gid, , home] = line.split(':');
  if (!uid) throw new Error(`No user ${name}: run bash tools/ci/setup-host.sh, which makes it.`);
  return { name, uid: Number(uid), gid: Number(gid), home };
}

/**
 * Runs `command` as `user` (runuser, from root), with that user's HOME and a login's environment:
 * nothing of root's leaks in but PATH and `env`.
 */
export function runAs(user: User, command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): RunResult {
  const vars = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: user.home, USER: user.name, LOGNAME: user.name, LANG: 'C.UTF-8', ...options.env };
  return run('runuser', ['-u', user.name, '--', 'env', '-i', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), command, ...args], {
    cwd: options.cwd,
    env: childEnv(),
    timeoutMs: options.timeoutMs ?? 5 * 60 * 1000,
  });
}

/** Gives `dir` and everything below it (links not followed) to `user`. */
export function chownTree(dir: string, user: User): void {
  chownSync(dir, user.uid, user.gid);
  for (const entry of readdirSync(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    if (!lstatSync(path).isSymbolicLink()) chownSync(path, user.uid, user.gid);
  }
}

/** Lets other users pass through `dir` (o+x), returning how to undo it. */
export function allowTraversal(dir: string): () => void {
  const mode = lstatSync(dir).mode & 0o7777;
  chmodSync(dir, mode | 0o011);
  return () => chmodSync(dir, mode);
}
