import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { run, runOk, type RunOptions, type RunResult } from './run';

// No daemon, no cloud, no terminal UI: every run computes the graph itself and prints plain text.
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/**
 * Runs the workspace's own nx CLI (node_modules/.bin/nx) in the workspace, with `env` added to its
 * environment; a failure is returned, not thrown.
 */
export function nx(workspace: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  return run(nxBinary(workspace), args, nxOptions(workspace, env));
}

/** Like nx, but throws with the command and the end of its output unless it exits 0. */
export function nxOk(workspace: string, args: readonly string[], env: Record<string, string> = {}): RunResult {
  return runOk(nxBinary(workspace), args, nxOptions(workspace, env));
}

export interface SpawnedNx {
  pid: number;
  /** Everything it printed so far, stdout and stderr. */
  text: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The nx CLI in a process group of its own, as a terminal runs it: Ctrl-C (signalGroup) reaches the whole group. */
export function spawnNx(workspace: string, args: readonly string[], env: Record<string, string> = {}): SpawnedNx {
  const options = nxOptions(workspace, env);
  const child = spawn(nxBinary(workspace), args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  child.stderr.on('data', (chunk) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error('Could not start nx');
  return { pid: child.pid, text: () => text, exited };
}

function nxBinary(workspace: string): string {
  return join(workspace, 'node_modules', '.bin', 'nx');
}

// Nx 23 keeps a checkout's cache in ~/.nx/<workspace id> by default; the workspace's own folder goes away with it.
function nxOptions(workspace: string, env: Record<string, string>): RunOptions {
  return { cwd: workspace, env: childEnv({ ...NX_ENV, NX_CACHE_DIRECTORY: join(workspace, '.nx', 'cache'), ...env }), timeoutMs: 5 * 60 * 1000 };
}

/** The projects `nx show projects --affected` lists between the last two commits, sorted. */
export function affectedProjects(workspace: string, extra: readonly string[] = []): string[] {
  return nxOk(workspace, ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', ...extra])
    .stdout.split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .sort();
}
