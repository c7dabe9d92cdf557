import { tmpdir } from 'node:os';
import { childEnv } from './child-env';
import { engineImages } from './engine-images';
import { run, runOk } from './run';

// The engine's working directory does not matter to these commands; a fixed one keeps them independent of the caller's.
const OPTIONS = { cwd: tmpdir(), env: childEnv(), timeoutMs: 5 * 60 * 1000 };

export function podman(args: readonly string[]): string {
  return runOk('podman', args, OPTIONS).stdout.trim();
}

export function imageExists(idOrRef: string): boolean {
  return run('podman', ['image', 'exists', idOrRef], OPTIONS).status === 0;
}

export function imageId(ref: string): string {
  return podman(['image', 'inspect', '--format', '{{.Id}}', ref]);
}

export function imageLabels(ref: string): Record<string, string> {
  return JSON.parse(podman(['image', 'inspect', '--format', '{{json .Labels}}', ref]));
}

export function imageLayers(ref: string): string[] {
  return JSON.parse(podman(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref]));
}

/** What `command` prints in a throwaway container of the image (no network). */
export function runInImage(ref: string, command: readonly string[]): string {
  return podman(['run', '--rm', '--network=none', ref, ...command]);
}

/** `repository:tag` of every local image whose name contains `part`, sorted. */
export function imageNames(part: string): string[] {
  return podman(['images', '--format', '{{.Repository}}:{{.Tag}}'])
    .split('\n')
    .filter((name) => name.includes(part))
    .sort();
}

/** IDs of the local images whose repository contains `part`. */
export function imageIdsNamed(part: string): string[] {
  return podman(['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}'])
    .split('\n')
    .filter((line) => line.includes(part))
    .map((line) => line.split(' ')[0].replace(/^sha256:/, ''));
}

/** Removes images by ID from podman's storage, children before parents; returns the IDs still present. */
export function removeImages(ids: Iterable<string>): string[] {
  return engineImages('podman').remove(ids);
}

/** The manifest digest the registry serves for `ref` (plain HTTP), as skopeo sees it. */
export function registryDigest(ref: string, creds?: { username: string; password: string }): string {
  const auth = creds ? ['--creds', `${creds.username}:${creds.password}`] : [];
  return JSON.parse(runOk('skopeo', ['inspect', '--tls-verify=false', ...auth, `docker://${ref}`], OPTIONS).stdout).Digest;
}

/** The labels of the image the registry serves for `ref`. */
export function registryLabels(ref: string): Record<string, string> {
  return JSON.parse(runOk('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], OPTIONS).stdout).Labels;
}
