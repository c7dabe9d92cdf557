import type { Engine, EngineName } from '../../../utils/engine';
import type { PullPolicy } from '../schema';
import type { NormalizedBuildOptions } from './normalize-options';

/**
 * One engine build, fully resolved: the build's options plus what the executor decided (the
 * Containerfile actually built, the expanded refs, every label, the pull policy, the ID file).
 */
export type BuildInvocation = Pick<
  NormalizedBuildOptions,
  'context' | 'buildArgs' | 'platforms' | 'target' | 'noCache' | 'secrets' | 'cacheFrom' | 'cacheTo' | 'buildContexts' | 'extraArgs'
> & Partial<Pick<NormalizedBuildOptions, 'tlsVerify'>> & {
  containerfile: string;
  /** cpp flags for a Containerfile.in the engine preprocesses itself (podman, buildah); none when it gets a preprocessed copy. */
  cppFlags?: readonly string[];
  refs: string[];
  labels: Record<string, string>;
  pull: PullPolicy;
  iidfile: string;
  /** Seconds since the epoch the image and its files are stamped with (reproducible IDs); none: the clock. */
  timestamp?: number;
};

/**
 * The engine's build arguments (after the engine binary). Values are passed literally, never through
 * a shell. An engine given by name alone builds with everything it has (docker: with buildx).
 */
export function buildArgv(engineOrName: EngineName | Pick<Engine, 'name' | 'builder' | 'version'>, inv: BuildInvocation): string[] {
  const { name: engine, builder, version } = typeof engineOrName === 'string' ? { name: engineOrName, builder: undefined, version: undefined } : engineOrName;
  if (builder === 'daemon-buildkit') assertDaemonBuildKitCan(inv, version);
  const multiPlatform = inv.platforms.length > 1;
  if (multiPlatform && engine === 'docker') {
    throw new Error('platform: several platforms need a manifest list, which docker build cannot keep locally; use engine podman or buildah, or build one platform at a time.');
  }
  const args = ['build', '--file', inv.containerfile];
  if (inv.cppFlags?.length) {
    if (engine === 'docker') throw new Error('cppFlags: docker has no preprocessor; it must be given the Containerfile.in preprocessed (bootc-build does that).');
    // The flag's value starts with "-": only the --cpp-flag=<value> form passes it.
    for (const flag of inv.cppFlags) args.push(`--cpp-flag=${flag}`);
  }
  // Several platforms go into a manifest list under the first ref; the other refs are tagged after.
  if (multiPlatform) args.push('--manifest', inv.refs[0]);
  else for (const ref of inv.refs) args.push('--tag', ref);
  for (const [key, value] of Object.entries(inv.labels)) args.push('--label', `${key}=${value}`);
  for (const [key, value] of Object.entries(inv.buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (inv.platforms.length > 0) args.push('--platform', inv.platforms.join(','));
  if (inv.target) args.push('--target', inv.target);
  args.push(...pullArgs(engine, inv.pull));
  if (inv.tlsVerify === false) {
    if (engine === 'docker') throw new Error('tlsVerify: docker build has no --tls-verify; list the registry under "insecure-registries" in /etc/docker/daemon.json instead, or use podman or buildah.');
    args.push('--tls-verify=false');
  }
  if (inv.noCache) args.push('--no-cache');
  args.push(...timestampArgs(engine, inv.timestamp));
  for (const secret of inv.secrets) {
    args.push('--secret', 'file' in secret.source ? `id=${secret.id},src=${secret.source.file}` : `id=${secret.id},env=${secret.source.env}`);
  }
  // The daemon's BuildKit (no buildx) takes an image whose inline cache it reads, not a cache spec.
  for (const ref of inv.cacheFrom) args.push('--cache-from', engine === 'docker' && builder !== 'daemon-buildkit' ? `type=registry,ref=${ref}` : ref);
  for (const ref of inv.cacheTo) args.push('--cache-to', engine === 'docker' ? `type=registry,ref=${ref},mode=max` : ref);
  for (const { name, path } of inv.buildContexts) args.push('--build-context', `${name}=${path}`);
  // buildah refuses --iidfile for several platforms ("can only be used to store one image ID"); the
  // executor reads the manifest list's ID from its image listing instead (podman writes the list's ID).
  if (!(multiPlatform && engine === 'buildah')) args.push('--iidfile', inv.iidfile);
  args.push(...inv.extraArgs, inv.context);
  return args;
}

// A docker client before 23 reaches the daemon's BuildKit with DOCKER_BUILDKIT=1; buildx's options are not there.
function assertDaemonBuildKitCan(inv: BuildInvocation, version: string | undefined) {
  const docker = `docker${version ? ` ${version}` : ''}`;
  const fix = 'Install the buildx plugin with a docker client 23 or newer, or use engine podman or buildah.';
  if (inv.buildContexts.length > 0) {
    throw new Error(`buildContexts: ${docker} builds with the daemon's BuildKit (no buildx), which has no --build-context. ${fix}`);
  }
  if (inv.cacheTo.length > 0) {
    throw new Error(`cacheTo: ${docker} builds with the daemon's BuildKit (no buildx), which cannot export a build cache (--cache-to). Drop cacheTo (cacheFrom still reads an image's inline cache), or: ${fix}`);
  }
}

// podman and buildah set the created time and every layer file's time (--timestamp); BuildKit takes
// SOURCE_DATE_EPOCH as a build arg for the created time (layer times need buildx's rewrite-timestamp).
function timestampArgs(engine: EngineName, timestamp: number | undefined): string[] {
  if (timestamp === undefined) return [];
  return engine === 'docker' ? ['--build-arg', `SOURCE_DATE_EPOCH=${timestamp}`] : ['--timestamp', String(timestamp)];
}

// docker knows only --pull (always check the registry) or nothing (use a local image when present).
function pullArgs(engine: EngineName, pull: PullPolicy): string[] {
  if (engine !== 'docker') return [`--pull=${pull}`];
  return pull === 'always' || pull === 'newer' ? ['--pull'] : [];
}
