import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryOf } from '../../push/lib/push-argv';
import type { RegistryCredentials } from '../../../utils/registry-credentials';
import { runProcess } from '../../../utils/run-process';

/** How bootc-promote and bootc-rollback reach the registry: skopeo, with an optional login of this run only. */
export interface RegistryAccess {
  tlsVerify: boolean;
  /** A temporary auth file holding this run's login; absent: the existing login (auth.json, REGISTRY_AUTH_FILE). */
  authfile?: string;
  signBy?: string;
  signBySigstoreKey?: string;
  cwd: string;
}

/** A manifest as the registry serves it: its bytes' sha256 is its digest. */
export interface RegistryManifest {
  digest: string;
  mediaType: string | undefined;
  /** An image manifest's config digest (the image ID engines show); absent for a manifest list or index. */
  configDigest?: string;
  /** A manifest list's or index's platforms. */
  platforms?: string[];
}

const LIST_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const NOT_FOUND = /manifest unknown|not found|name unknown|404/i;

export function inspectArgv(ref: string, access: Pick<RegistryAccess, 'tlsVerify' | 'authfile'>): string[] {
  return ['inspect', '--raw', '--no-tags', `--tls-verify=${access.tlsVerify}`, ...(access.authfile ? ['--authfile', access.authfile] : []), `docker://${ref}`];
}

/**
 * Copies the manifest (and, for a list, every image it lists) from `repository@digest` to
 * `repository:tag` without changing a byte (--preserve-digests), signing the new tag when asked.
 */
export function copyArgv(repository: string, digest: string, tag: string, access: RegistryAccess): string[] {
  const args = ['copy', '--all', '--preserve-digests', `--src-tls-verify=${access.tlsVerify}`, `--dest-tls-verify=${access.tlsVerify}`, '--retry-times=3'];
  if (access.authfile) args.push('--authfile', access.authfile);
  if (access.signBy) args.push('--sign-by', access.signBy);
  if (access.signBySigstoreKey) args.push('--sign-by-sigstore-private-key', access.signBySigstoreKey);
  args.push(`docker://${repository}@${digest}`, `docker://${repository}:${tag}`);
  return args;
}

/** The manifest `ref` names on the registry, or undefined when the registry has no such tag or digest. */
export function inspectManifest(ref: string, access: RegistryAccess): Promise<RegistryManifest | undefined> {
  return new Promise((resolve, reject) => {
    // Raw bytes: the digest is the sha256 of exactly what the registry served.
    execFile('skopeo', inspectArgv(ref, access), { cwd: access.cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        const text = stderr.toString('utf8').trim();
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error('skopeo is not installed: install it (Debian and Fedora: skopeo; bash tools/ci/setup-host.sh does).'));
        if (NOT_FOUND.test(text)) return resolve(undefined);
        return reject(new Error(`skopeo could not read ${ref} from its registry: ${text.split('\n').at(-1) ?? error.message}${/unauthorized|denied|authentication/i.test(text) ? ' (log in with skopeo login, or set usernameEnv/passwordEnv)' : ''}`));
      }
      const digest = `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
      let manifest: { mediaType?: string; config?: { digest?: string }; manifests?: Array<{ platform?: { os?: string; architecture?: string; variant?: string } }> };
      try {
        manifest = JSON.parse(stdout.toString('utf8'));
      } catch {
        return reject(new Error(`${ref}: the registry served a manifest that is not JSON.`));
      }
      const list = LIST_TYPES.includes(manifest.mediaType ?? '') || Array.isArray(manifest.manifests);
      resolve({
        digest,
        mediaType: manifest.mediaType,
        ...(list
          ? { platforms: (manifest.manifests ?? []).map((m) => [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/')) }
          : { configDigest: manifest.config?.digest }),
      });
    });
  });
}

/** Moves `repository:tag` to `digest`. */
export async function copyToTag(repository: string, digest: string, tag: string, access: RegistryAccess): Promise<void> {
  await runProcess('skopeo', copyArgv(repository, digest, tag, access), { cwd: access.cwd, stream: false });
}

/**
 * Runs `body` with registry access: with credentials, a `skopeo login` into a temporary auth file
 * (the password on its standard input), removed afterwards.
 */
export async function withRegistryAccess<T>(
  repository: string,
  options: { tlsVerify: boolean; credentials?: RegistryCredentials; signBy?: string; signBySigstoreKey?: string; cwd: string },
  body: (access: RegistryAccess) => Promise<T>,
): Promise<T> {
  const base = { tlsVerify: options.tlsVerify, cwd: options.cwd, ...(options.signBy ? { signBy: options.signBy } : {}), ...(options.signBySigstoreKey ? { signBySigstoreKey: options.signBySigstoreKey } : {}) };
  if (!options.credentials) return body(base);
  const dir = mkdtempSync(join(tmpdir(), 'immutable-os-registry-'));
  try {
    const authfile = join(dir, 'auth.json');
    const registry = registryOf(repository);
    await runProcess('skopeo', ['login', '--authfile', authfile, `--tls-verify=${options.tlsVerify}`, '--username', options.credentials.username, '--password-stdin', registry], {
      cwd: options.cwd,
      input: options.credentials.password,
      stream: false,
    });
    return await body({ ...base, authfile });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
