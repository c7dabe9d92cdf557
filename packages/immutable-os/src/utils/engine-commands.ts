import type { EngineName } from './engine';

/** The argv of each image-store operation, per engine (the engine binary itself not included). */
export const ENGINE_COMMANDS: Record<
  EngineName,
  {
    imageExists: (id: string) => string[];
    imageId: (ref: string) => string[];
    /** Every image in the storage, a line per reference: `<id> <repository>:<tag>` (`<none>:<none>` when untagged). */
    listImages: () => string[];
    save: (id: string, file: string) => string[];
    load: (file: string) => string[];
    tag: (id: string, ref: string) => string[];
    pull: (ref: string, tlsVerify: boolean) => string[];
  }
> = {
  podman: {
    imageExists: (id) => ['image', 'exists', id],
    imageId: (ref) => ['image', 'inspect', '--format', '{{.Id}}', ref],
    listImages: () => ['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'],
    save: (id, file) => ['save', '--format', 'oci-archive', '--output', file, id],
    load: (file) => ['load', '--input', file],
    tag: (id, ref) => ['tag', id, ref],
    pull: (ref, tlsVerify) => ['pull', '--quiet', `--tls-verify=${tlsVerify}`, ref],
  },
  docker: {
    imageExists: (id) => ['image', 'inspect', '--format', '{{.Id}}', id],
    imageId: (ref) => ['image', 'inspect', '--format', '{{.Id}}', ref],
    listImages: () => ['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}'],
    save: (id, file) => ['save', '--output', file, id],
    load: (file) => ['load', '--input', file],
    tag: (id, ref) => ['tag', id, ref],
    pull: (ref) => ['pull', '--quiet', ref],
  },
  buildah: {
    imageExists: (id) => ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', id],
    imageId: (ref) => ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', ref],
    listImages: () => ['images', '--no-trunc', '--format', '{{.ID}} {{.Name}}:{{.Tag}}'],
    save: (id, file) => ['push', '--quiet', id, `oci-archive:${file}`],
    load: (file) => ['pull', '--quiet', `oci-archive:${file}`],
    tag: (id, ref) => ['tag', id, ref],
    pull: (ref, tlsVerify) => ['pull', '--quiet', `--tls-verify=${tlsVerify}`, ref],
  },
};

/** Image IDs without the `sha256:` prefix docker adds, so IDs from every engine compare equal. */
export function normalizeImageId(id: string): string {
  return id.trim().replace(/^sha256:/, '');
}
