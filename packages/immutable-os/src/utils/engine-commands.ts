import type { EngineName } from './engine';

/** The argv of each image-store operation, per engine (the engine binary itself not included). */
export const ENGINE_COMMANDS: Record<
  EngineName,
  {
    imageExists: (id: string) => string[];
    imageId: (ref: string) => string[];
    /**
     * The given images that are in the storage, a line each: `<id> <ref> <ref>...` (buildah, which
     * inspects one image at a time: every image, a line per ref, `<none>:<none>` when untagged).
     * The cost follows the records asked about, not the storage: `images --all` takes seconds in a
     * storage of a few hundred images (BENCHMARKS.md). An inspect that misses some exits with
     * `missingExit`, still printing the ones it found.
     */
    inspectImages: { argv: (ids: readonly string[]) => string[]; missingExit?: number };
    save: (id: string, file: string) => string[];
    load: (file: string) => string[];
    tag: (id: string, ref: string) => string[];
    /**
     * Removes the names `refs` from `image` (an ID, or the manifest list refs[0] names). docker and
     * buildah have no untag: their rmi of an image's last name removes the image too.
     */
    untag: (image: string, refs: readonly string[]) => string[];
    pull: (ref: string, tlsVerify: boolean) => string[];
  }
> = {
  podman: {
    imageExists: (id) => ['image', 'exists', id],
    imageId: (ref) => ['image', 'inspect', '--format', '{{.Id}}', ref],
    inspectImages: { argv: (ids) => ['image', 'inspect', '--format', '{{.Id}} {{join .RepoTags " "}}', ...ids], missingExit: 125 },
    save: (id, file) => ['save', '--format', 'oci-archive', '--output', file, id],
    load: (file) => ['load', '--input', file],
    tag: (id, ref) => ['tag', id, ref],
    untag: (image, refs) => ['untag', image, ...refs],
    pull: (ref, tlsVerify) => ['pull', '--quiet', `--tls-verify=${tlsVerify}`, ref],
  },
  docker: {
    imageExists: (id) => ['image', 'inspect', '--format', '{{.Id}}', id],
    imageId: (ref) => ['image', 'inspect', '--format', '{{.Id}}', ref],
    // docker before 23 gives templates the image as decoded JSON, where `join` fails on RepoTags: range works on both.
    inspectImages: { argv: (ids) => ['image', 'inspect', '--format', '{{.Id}}{{range .RepoTags}} {{.}}{{end}}', ...ids], missingExit: 1 },
    save: (id, file) => ['save', '--output', file, id],
    load: (file) => ['load', '--input', file],
    tag: (id, ref) => ['tag', id, ref],
    untag: (_image, refs) => ['image', 'rm', ...refs],
    pull: (ref) => ['pull', '--quiet', ref],
  },
  buildah: {
    imageExists: (id) => ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', id],
    imageId: (ref) => ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', ref],
    // --all: an untagged image others are built on (a base whose tag moved) is hidden otherwise.
    inspectImages: { argv: () => ['images', '--all', '--no-trunc', '--format', '{{.ID}} {{.Name}}:{{.Tag}}'] },
    save: (id, file) => ['push', '--quiet', id, `oci-archive:${file}`],
    load: (file) => ['pull', '--quiet', `oci-archive:${file}`],
    tag: (id, ref) => ['tag', id, ref],
    untag: (_image, refs) => ['rmi', ...refs],
    pull: (ref, tlsVerify) => ['pull', '--quiet', `--tls-verify=${tlsVerify}`, ref],
  },
};

/** Image IDs without the `sha256:` prefix docker adds, so IDs from every engine compare equal. */
export function normalizeImageId(id: string): string {
  return id.trim().replace(/^sha256:/, '');
}
