import type { EngineName } from '../../../utils/engine';

export interface PushInvocation {
  imageId: string;
  ref: string;
  digestfile: string;
  tlsVerify: boolean;
  /** A temporary auth file holding this run's login (podman, buildah). */
  authfile?: string;
  signBySigstoreKey?: string;
  signBy?: string;
  extraArgs: string[];
  /** Set for a multi-platform build: the local manifest list to push with every image it lists. */
  manifestList?: string;
}

/**
 * The engine's push arguments. podman and buildah push the image by ID, so the tag cannot point
 * elsewhere; a multi-platform build pushes its manifest list with every platform's image.
 */
export function pushArgv(engine: EngineName, inv: PushInvocation): string[] {
  if (engine === 'docker') {
    if (!inv.tlsVerify) throw new Error('tlsVerify: docker cannot skip TLS verification per push; list the registry under "insecure-registries" in the Docker daemon configuration, or use podman.');
    if (inv.signBySigstoreKey || inv.signBy) throw new Error('signBySigstoreKey/signBy: docker push cannot sign images; use podman.');
    if (inv.manifestList) throw new Error('docker cannot push the manifest list of a multi-platform build made by podman or buildah; push with engine podman.');
    return ['push', ...inv.extraArgs, inv.ref];
  }
  if (engine === 'buildah' && inv.signBySigstoreKey) throw new Error('signBySigstoreKey: use podman to sign with a sigstore key (buildah signs with GPG only: signBy).');
  const args = inv.manifestList
    ? ['manifest', 'push', '--all', '--digestfile', inv.digestfile, `--tls-verify=${inv.tlsVerify}`]
    : ['push', '--digestfile', inv.digestfile, `--tls-verify=${inv.tlsVerify}`];
  if (inv.authfile) args.push('--authfile', inv.authfile);
  if (inv.signBySigstoreKey) args.push('--sign-by-sigstore-private-key', inv.signBySigstoreKey);
  if (inv.signBy) args.push('--sign-by', inv.signBy);
  args.push(...inv.extraArgs, inv.manifestList ?? inv.imageId, `docker://${inv.ref}`);
  return args;
}

/** The login arguments; the password is read from standard input. */
export function loginArgv(engine: EngineName, registry: string, username: string, tlsVerify: boolean, authfile: string | undefined): string[] {
  const args = ['login', '--username', username, '--password-stdin'];
  if (engine !== 'docker') {
    args.push(`--tls-verify=${tlsVerify}`);
    if (authfile) args.push('--authfile', authfile);
  }
  args.push(registry);
  return args;
}

/** The registry host of a reference (docker.io for short names). */
export function registryOf(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash === -1 ? '' : ref.slice(0, slash);
  return first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** The manifest digest docker prints after a push ("latest: digest: sha256:... size: 1234"). */
export function digestFromDockerOutput(output: string): string | undefined {
  return /digest: (sha256:[a-f0-9]{64})/.exec(output)?.[1];
}
