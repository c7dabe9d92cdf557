import { normalizeImageId } from '../../../utils/engine-commands';
import { runRootPodman, type RootPodman } from './root-podman';

/**
 * The only storage bootc-image-builder can read. It runs podman inside its container on the folder
 * mounted at /var/lib/containers/storage, and that podman finds its database where the store was
 * created: a store from any other path fails with "database configuration mismatch"
 * (osbuild/bootc-image-builder#984). It also requires the overlay driver: it checks that
 * /var/lib/containers/storage/overlay exists (osbuild/image-builder pkg/setup/setup.go:114-128).
 */
export const BUILDER_STORAGE = '/var/lib/containers/storage';
const BUILDER_RUNROOT = '/run/containers/storage';
const ISSUE = 'https://github.com/osbuild/bootc-image-builder/issues/984';

export interface RootStore {
  graphRoot: string;
  driver: string;
}

/** Where root's podman keeps its images, and with which storage driver. */
export async function rootStore(podman: RootPodman, cwd: string): Promise<RootStore> {
  const { stdout } = await runRootPodman(podman, ['info', '--format', '{{.Store.GraphRoot}}\t{{.Store.GraphDriverName}}'], { cwd, stream: false });
  const [graphRoot, driver] = stdout.trim().split('\t');
  return { graphRoot: graphRoot || BUILDER_STORAGE, driver: driver || 'overlay' };
}

/** podman arguments that address the builder's storage rather than root's configured one. */
export const BUILDER_STORE_ARGS = ['--root', BUILDER_STORAGE, '--runroot', BUILDER_RUNROOT, '--storage-driver', 'overlay'];

/**
 * The commands that copy images (by ID, with their refs) from root's storage into the builder's,
 * as podman argument lists: none when root's podman keeps its images there already. A store at
 * /var/lib/containers/storage with another driver cannot be fixed by copying: that is an error.
 */
export function stagingCommands(store: RootStore, images: ReadonlyArray<{ id: string; refs: readonly string[] }>, archiveDir: string): string[][] {
  if (store.graphRoot === BUILDER_STORAGE) {
    if (store.driver !== 'overlay') {
      throw new Error(
        `Root's podman keeps its images in ${BUILDER_STORAGE} with the ${store.driver} driver, but bootc-image-builder requires overlay ` +
          `(it stops with "could not access container storage": it looks for ${BUILDER_STORAGE}/overlay). ` +
          `Set driver = "overlay" in /etc/containers/storage.conf ([storage]) and reset the store (podman system reset), then build and convert again.`,
      );
    }
    return [];
  }
  return images.flatMap(({ id, refs }, i) => {
    const bare = normalizeImageId(id);
    const archive = `${archiveDir}/image-${i}.oci.tar`;
    return [
      ['save', '--format', 'oci-archive', '--output', archive, bare],
      [...BUILDER_STORE_ARGS, 'load', '--input', archive],
      ...refs.map((ref) => [...BUILDER_STORE_ARGS, 'tag', bare, ref]),
    ];
  });
}

/** Why the builder cannot use a storage other than BUILDER_STORAGE, for the containerStorage option. */
export function containerStorageProblem(path: string): string | undefined {
  if (path.replace(/\/+$/, '') === BUILDER_STORAGE) return undefined;
  return (
    `containerStorage: "${path}": bootc-image-builder reads only ${BUILDER_STORAGE}. podman inside it finds the store's database under the path ` +
    `it was created at, so any other folder fails with "database configuration mismatch" (${ISSUE}). ` +
    `Remove the option: when root's podman keeps its images elsewhere, bootc-convert copies the image into ${BUILDER_STORAGE} itself.`
  );
}

/** Runs the staging commands as root, then checks the image IDs are in the builder's storage. */
export async function stageImages(podman: RootPodman, commands: readonly string[][], ids: readonly string[], cwd: string): Promise<void> {
  if (commands.length === 0) return;
  console.log(`Copying ${ids.map((id) => normalizeImageId(id).slice(0, 12)).join(', ')} into ${BUILDER_STORAGE}, the only storage bootc-image-builder reads (${ISSUE}).`);
  for (const args of commands) await runRootPodman(podman, args, { cwd, stream: false });
  for (const id of ids) await runRootPodman(podman, [...BUILDER_STORE_ARGS, 'image', 'exists', normalizeImageId(id)], { cwd, stream: false });
}
