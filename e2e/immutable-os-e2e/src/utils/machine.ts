import { mkdirSync, mkdtempSync, rmSync, symlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { writeFile } from './files';
import { git } from './git';
import { run, runOk, type RunResult } from './run';

/**
 * One "machine" of a multi-machine e2e on this host: a checkout of the workspace, its own podman
 * storage (graphroot and runroot in `dir`, chosen through CONTAINERS_STORAGE_CONF) and its own Nx
 * local cache and workspace data inside the checkout. What machines share is only what `shared`
 * puts in their environment (a remote cache) and the registry.
 */
export interface Machine {
  name: string;
  workspace: string;
  /** The folder holding this machine's storage.conf and storage. */
  dir: string;
  /** podman's graphroot here: not /var/lib/containers/storage, so bootc-convert copies images from it into that store for the builder. */
  graphroot: string;
  /** The environment of every nx command on this machine. */
  env: Record<string, string>;
  /** The environment of every podman command on this machine. */
  storageEnv: Record<string, string>;
}

// Measured with podman 4.3.1: a runroot of 50 characters runs a container in 0.4 s, one of 55 in
// 20.4 s ("Exceeded conmon timeout waiting for container to exit").
const MAX_RUNROOT = 50;

export function createMachine(name: string, dir: string, workspace: string, shared: Record<string, string>): Machine {
  const runroot = join(dir, 'run');
  if (runroot.length > MAX_RUNROOT) {
    throw new Error(`The runroot ${runroot} is longer than ${MAX_RUNROOT} characters: podman 4.3 then waits 20 s for conmon after every container. Give the machine a shorter folder (e.g. below mkdtemp('/tmp/ioe-')).`);
  }
  mkdirSync(dir, { recursive: true });
  const graphroot = join(dir, 'graph');
  const conf = join(dir, 'storage.conf');
  writeFile(dir, 'storage.conf', `[storage]\ndriver = "overlay"\ngraphroot = "${graphroot}"\nrunroot = "${runroot}"\n`);
  const storageEnv = { CONTAINERS_STORAGE_CONF: conf };
  // An explicit cache folder keeps the checkout's cache to itself: without one, Nx 23 puts every
  // checkout of a repository in one per-user cache (~/.nx/<workspace id>), which two machines never share.
  return { name, workspace, dir, graphroot, storageEnv, env: { ...shared, ...storageEnv, NX_CACHE_DIRECTORY: join(workspace, '.nx', 'cache') } };
}

/** Runs podman against the machine's storage; throws with the command and its output unless it exits 0. */
export function machinePodman(machine: Machine, args: readonly string[]): string {
  return runOk('podman', args, podmanOptions(machine)).stdout.trim();
}

export function machinePodmanResult(machine: Machine, args: readonly string[]): RunResult {
  return run('podman', args, podmanOptions(machine));
}

/** The IDs (hex, no sha256: prefix) of every image in the machine's storage, intermediate ones too, sorted. */
export function machineImageIds(machine: Machine): string[] {
  return machinePodman(machine, ['images', '--all', '--no-trunc', '--format', '{{.ID}}'])
    .split('\n')
    .filter(Boolean)
    .map((id) => id.replace(/^sha256:/, ''))
    .sort();
}

export function machineHasImage(machine: Machine, idOrRef: string): boolean {
  return machinePodmanResult(machine, ['image', 'exists', idOrRef]).status === 0;
}

/**
 * Empties the machine's storage (containers, then images, so nothing stays mounted) and removes its
 * folder. Not `podman system reset`: that also removes the host's podman networks, which are not per storage.
 */
export function removeMachine(machine: Machine): void {
  machinePodmanResult(machine, ['rm', '--all', '--force']);
  const images = machinePodmanResult(machine, ['rmi', '--all', '--force']);
  if (images.status !== 0) console.warn(`[e2e] podman rmi --all in ${machine.dir} failed: ${images.stderr.trim()}`);
  rmSync(machine.dir, { recursive: true, force: true });
}

/** A second checkout: `git clone` of `origin` in a new folder below `parent`, node_modules linked like origin's. */
export function cloneWorkspace(origin: string, parent: string, name: string): string {
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, `${name}-`));
  git(parent, ['clone', '--quiet', origin, root]);
  git(root, ['config', 'user.name', 'immutable-os e2e']);
  git(root, ['config', 'user.email', 'e2e@immutable-os.invalid']);
  // Like two CI checkouts of one repository, both name the same origin URL (the images' source
  // label); B's fetches still reach the first checkout, through insteadOf.
  const url = `https://git.example.invalid/${name}.git`;
  git(origin, ['remote', 'add', 'origin', url]);
  git(root, ['remote', 'set-url', 'origin', url]);
  git(root, ['config', `url.${realpathSync(origin)}.insteadOf`, url]);
  symlinkSync(realpathSync(join(origin, 'node_modules')), join(root, 'node_modules'), 'dir');
  return root;
}

function podmanOptions(machine: Machine) {
  return { cwd: tmpdir(), env: childEnv(machine.storageEnv), timeoutMs: 5 * 60 * 1000 };
}
