import { normalizeImageId } from '../../../utils/engine-commands';
import type { ImageRecord } from '../../../utils/image-record';
import { ProcessError } from '../../../utils/run-process';
import { runRootPodman, type RootPodman } from './root-podman';

/** bootc-image-builder's architecture names (pkg/arch/arch.go) as the platform names of a manifest list (Go's). */
const GO_ARCH: Record<string, string> = { amd64: 'amd64', x86_64: 'amd64', arm: 'arm', armv7: 'arm', arm64: 'arm64', aarch64: 'arm64', s390x: 's390x', ppc64le: 'ppc64le', riscv64: 'riscv64' };

/** The one image of a multi-platform build that a conversion reads. */
export interface PlatformImage {
  /** The image of the chosen platform. */
  id: string;
  /** Go's name of its architecture, e.g. arm64. */
  arch: string;
  /** The manifest list the build made, named by the record's first ref. */
  listId: string;
  /**
   * podman commands that name the platform's image by the record's first ref for the builder, and
   * that give the name back to the manifest list afterwards.
   */
  name: string[][];
  restore: string[][];
}

/**
 * For a multi-platform build: the image of the platform targetArch names, from the manifest list in
 * root's storage. targetArch is required: which disk a task makes must not depend on the machine
 * running it (Nx's cache, shared between machines, does not key on it). The builder is given a ref, which it also
 * installs as the system's update source (bootc's target imgref), and it looks the ref up in the
 * storage for its own architecture, as `podman pull --arch` leaves it in the builder's documented
 * cross-arch flow: so, while it runs, the list's first ref names that platform's image. Undefined
 * for a single-platform build.
 */
export async function platformImage(podman: RootPodman, record: ImageRecord, targetArch: string | undefined, cwd: string): Promise<PlatformImage | undefined> {
  if (record.platforms.length <= 1) return undefined;
  const list = record.refs[0];
  const listId = normalizeImageId(record.imageId);
  const built = record.platforms.map((p) => p.split('/')[1]).join(', ');
  if (!targetArch) {
    throw new Error(`targetArch: ${record.project} was built for ${record.platforms.join(', ')} (a manifest list), and bootc-convert converts one platform's image: set targetArch to one of ${built}.`);
  }
  const arch = GO_ARCH[targetArch];
  let manifests: Array<{ digest: string; platform?: { os?: string; architecture?: string } }>;
  try {
    ({ manifests } = JSON.parse((await runRootPodman(podman, ['manifest', 'inspect', listId], { cwd, stream: false })).stdout));
  } catch (error) {
    if (!(error instanceof ProcessError) || error.exitCode === undefined) throw error;
    throw new Error(
      `${record.project} was built for ${record.platforms.join(', ')}, but root's container storage has no manifest list ${listId.slice(0, 12)} (${list}) to take one platform's image from. ` +
        `A multi-platform build converts from the storage it was built in: build it with root's podman or buildah, then run bootc-convert again.`,
      { cause: error },
    );
  }
  const entry = manifests.find((m) => m.platform?.architecture === arch && (m.platform?.os ?? 'linux') === 'linux');
  if (!entry) {
    const listed = manifests.map((m) => m.platform?.architecture).filter(Boolean).join(', ');
    throw new Error(
      `targetArch: ${record.project} was built for ${record.platforms.join(', ')} (platform option), which has no linux/${arch} image for targetArch ${targetArch}. Set targetArch to one of ${listed}, or add linux/${arch} to platform.`,
    );
  }
  const { stdout } = await runRootPodman(podman, ['image', 'inspect', '--format', '{{.Id}}', `${list.replace(/:[^:/@]+$/, '')}@${entry.digest}`], { cwd, stream: false });
  const id = normalizeImageId(stdout);
  return { id, arch, listId, name: [['tag', id, list]], restore: [['tag', listId, list]] };
}
