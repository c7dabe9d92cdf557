import { ProcessError, runShort } from './run-process';

/**
 * The container engines bootc-build can drive, in the order `engine: auto` tries them.
 * `buildContexts`: whether `build --build-context name=path` works; `pullPolicies`: whether
 * `--pull=<policy>` takes a policy (docker only knows `--pull` on or off).
 */
export const ENGINES = {
  podman: { minVersion: '4.0.0', buildContexts: '4.2.0', pullPolicies: true, rootfulStorage: true },
  docker: { minVersion: '23.0.0', buildContexts: '23.0.0', pullPolicies: false, rootfulStorage: false },
  buildah: { minVersion: '1.24.0', buildContexts: '1.27.0', pullPolicies: true, rootfulStorage: true },
} as const;

export type EngineName = keyof typeof ENGINES;
export const ENGINE_NAMES = Object.keys(ENGINES) as EngineName[];
export type EnginePreference = 'auto' | EngineName;

export interface Engine {
  name: EngineName;
  /** The program to run (a name on PATH). */
  command: string;
  version: string;
}

const INSTALL_HINT = 'Install podman (Debian/Ubuntu: apt-get install podman; Fedora: dnf install podman; see https://podman.io/docs/installation).';

/** Finds the engine to use and checks its version. */
export async function detectEngine(preference: EnginePreference, cwd: string): Promise<Engine> {
  const candidates = preference === 'auto' ? ENGINE_NAMES : [preference];
  const tried: string[] = [];
  for (const name of candidates) {
    const version = await engineVersion(name, cwd);
    if (version === undefined) {
      tried.push(name);
      continue;
    }
    if (compareVersions(version, ENGINES[name].minVersion) < 0) {
      throw new Error(`${name} ${version} is too old: immutable-os needs ${name} ${ENGINES[name].minVersion} or newer. Upgrade it, or choose another engine with the engine option.`);
    }
    return { name, command: name, version };
  }
  throw new Error(
    preference === 'auto'
      ? `No container engine found: looked for ${tried.join(', ')} on PATH. ${INSTALL_HINT}`
      : `The engine "${preference}" (engine option) was not found on PATH. Install it, or set engine to "auto" to use whichever of ${ENGINE_NAMES.join(', ')} is installed. ${INSTALL_HINT}`,
  );
}

async function engineVersion(name: EngineName, cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await runShort(name, ['--version'], { cwd });
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
