import { ProcessError, runShort } from './run-process';

/**
 * The container engines bootc-build can drive, in the order `engine: auto` tries them, with the
 * oldest version of each that immutable-os supports. For docker that is both the client and the
 * daemon (which builds, with its BuildKit): 20.10, Debian 12's and Ubuntu 22.04's docker.io.
 */
export const ENGINES = {
  podman: { minVersion: '4.0.0' },
  docker: { minVersion: '20.10.0' },
  buildah: { minVersion: '1.24.0' },
} as const;

export type EngineName = keyof typeof ENGINES;
export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];
export type EnginePreference = 'auto' | EngineName;

/**
 * How `docker build` reaches BuildKit (the legacy builder has no RUN --mount, secrets or build
 * contexts, so it is never used): the buildx plugin (clients 23 and newer, which fall back to the
 * legacy builder without it), or, for clients before 23, the daemon's own BuildKit through
 * DOCKER_BUILDKIT=1, which lacks buildx's --build-context and --cache-to.
 */
export type DockerBuilder = 'buildx' | 'daemon-buildkit';

export interface Engine {
  name: EngineName;
  /** The program to run (a name on PATH). */
  command: string;
  /** The program's version (docker: the client's). */
  version: string;
  /** docker: the daemon's version. */
  daemonVersion?: string;
  /** docker, when asked for with `forBuild`: the builder `docker build` uses. */
  builder?: DockerBuilder;
}

/** The environment an engine's build runs with (DOCKER_BUILDKIT=1 for a docker client before 23). */
export function buildEnv(engine: Engine): Record<string, string> | undefined {
  return engine.builder === 'daemon-buildkit' ? { DOCKER_BUILDKIT: '1' } : undefined;
}

/** The engine as build logs name it: `podman 4.3.1`, `docker 20.10.24 (daemon 20.10.24, its BuildKit)`. */
export function describeEngine(engine: Engine): string {
  if (engine.name !== 'docker' || engine.daemonVersion === undefined) return `${engine.name} ${engine.version}`;
  const builder = engine.builder === 'buildx' ? ', buildx' : engine.builder === 'daemon-buildkit' ? ', its BuildKit' : '';
  return `docker ${engine.version} (daemon ${engine.daemonVersion}${builder})`;
}

const INSTALL_HINT = 'Install podman (Debian/Ubuntu: apt-get install podman; Fedora: dnf install podman; see https://podman.io/docs/installation).';
const TOO_OLD_FIX = 'Upgrade it, or choose another engine with the engine option.';
const BUILDX_CLIENT = '23.0.0';

/** An engine that is installed but cannot be used as it is; `engine: auto` goes on to the next one. */
class EngineUnusable extends Error {}

/**
 * Finds the engine to use and checks its version (docker: the client's and the daemon's).
 * `forBuild`: also checks that docker builds with BuildKit (see DockerBuilder).
 */
export async function detectEngine(preference: EnginePreference, cwd: string, options: { forBuild?: boolean } = {}): Promise<Engine> {
  const candidates = preference === 'auto' ? ENGINE_NAMES : [preference];
  const tried: string[] = [];
  const unusable: string[] = [];
  for (const name of candidates) {
    const version = await programVersion(name, ['--version'], cwd);
    if (version === undefined) {
      tried.push(name);
      continue;
    }
    assertVersion(name, version);
    if (name !== 'docker') {
      if (unusable.length > 0) console.log(`immutable-os: using ${name} ${version}: ${unusable.join(' ')}`);
      return { name, command: name, version };
    }
    try {
      return await dockerEngine(version, cwd, options.forBuild ?? false);
    } catch (error) {
      if (!(error instanceof EngineUnusable) || preference !== 'auto') throw error;
      tried.push('docker (installed, but not usable: see below)');
      unusable.push(error.message);
    }
  }
  throw new Error(
    preference === 'auto'
      ? `No container engine found: looked for ${tried.join(', ')} on PATH. ${INSTALL_HINT}${unusable.map((m) => ` ${m}`).join('')}`
      : `The engine "${preference}" (engine option) was not found on PATH. Install it, or set engine to "auto" to use whichever of ${ENGINE_NAMES.join(', ')} is installed. ${INSTALL_HINT}`,
  );
}

function assertVersion(name: EngineName, version: string, what = name as string) {
  if (compareVersions(version, ENGINES[name].minVersion) < 0) {
    throw new Error(`${what} ${version} is too old: immutable-os needs ${what.replace(/^The /, 'the ')} ${ENGINES[name].minVersion} or newer. ${TOO_OLD_FIX}`);
  }
}

async function dockerEngine(version: string, cwd: string, forBuild: boolean): Promise<Engine> {
  let daemonVersion: string;
  try {
    ({ stdout: daemonVersion } = await runShort('docker', ['version', '--format', '{{.Server.Version}}'], { cwd }));
  } catch (error) {
    if (!(error instanceof ProcessError)) throw error;
    const said = error.stderrTail?.trim().split('\n').filter(Boolean).pop();
    const fix = /permission denied/i.test(said ?? '')
      ? 'Run as a user in the docker group (usermod -aG docker <user>, then log in again) or as root'
      : 'Start the daemon (systemctl start docker), point DOCKER_HOST at a running one';
    throw new EngineUnusable(`docker ${version} is installed, but its daemon did not answer${said ? ` (${said})` : ''}. ${fix}, or choose another engine with the engine option.`, { cause: error });
  }
  daemonVersion = /(\d+\.\d+(?:\.\d+)?)/.exec(daemonVersion)?.[1] ?? '0.0.0';
  assertVersion('docker', daemonVersion, 'The docker daemon');
  const engine: Engine = { name: 'docker', command: 'docker', version, daemonVersion };
  if (!forBuild) return engine;
  if (compareVersions(version, BUILDX_CLIENT) < 0) return { ...engine, builder: 'daemon-buildkit' };
  if ((await programVersion('docker', ['buildx', 'version'], cwd)) === undefined) {
    throw new EngineUnusable(
      `docker ${version} builds with BuildKit only through the buildx plugin, which is not installed: without it docker falls back to its legacy builder, which has no RUN --mount, secrets or build contexts. ` +
        'Install buildx (docker-buildx-plugin from Docker\'s packages, docker-buildx on Debian/Ubuntu 24.04 and Fedora), or choose another engine with the engine option.',
    );
  }
  return { ...engine, builder: 'buildx' };
}

async function programVersion(name: EngineName, args: string[], cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await runShort(name, args, { cwd });
    return /(\d+\.\d+(?:\.\d+)?)/.exec(stdout)?.[1] ?? '0.0.0';
  } catch (error) {
    if (error instanceof ProcessError) return undefined;
    throw error;
  }
}

/** Compares dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Known engine failures and what to do about them. */
const HINTS: Array<[RegExp, string]> = [
  [/no space left on device/i, 'The disk holding the container storage is full: free space (e.g. `podman system prune`) or move the storage.'],
  [
    /dial tcp|connection refused|no such host|i\/o timeout|network is unreachable|TLS handshake timeout|server gave HTTP response to HTTPS client/i,
    'The registry could not be reached: check the registry address and the network; for a plain-HTTP test registry set tlsVerify to false.',
  ],
  [/unauthorized|authentication required|denied: |invalid username\/password|403 Forbidden/i, 'The registry refused the credentials: log in first (podman login) or set usernameEnv/passwordEnv to the names of environment variables holding them.'],
  [/bootc: (command )?not found|executable file `bootc` not found|"bootc": executable file not found/i, 'The base image has no bootc: build FROM a bootc base image (e.g. quay.io/fedora/fedora-bootc) or a workspace image built on one.'],
  [/Cannot connect to the Docker daemon|Is the docker daemon running/i, 'The Docker daemon is not running: start it, or use podman (engine: podman).'],
];

export function engineHint(output: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(output))?.[1];
}
