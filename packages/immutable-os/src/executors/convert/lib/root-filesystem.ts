import { ProcessError } from '../../../utils/run-process';
import { runRootPodman, type RootPodman } from './root-podman';

export const ROOTFS_TYPES = ['ext4', 'xfs', 'btrfs'] as const;
export type RootFsType = (typeof ROOTFS_TYPES)[number];

const BTRFS_ISSUE = 'https://github.com/osbuild/bootc-image-builder/issues/756';
const DECLARE = 'rootfs/usr/lib/bootc/install/80-rootfs.toml with [install.filesystem.root] type = "xfs"';

/**
 * The root filesystem an image declares, as bootc-image-builder learns it: it runs
 * `bootc install print-configuration` in a container of the image and reads filesystem.root.type
 * (osbuild/image-builder pkg/bootc/resolver.go:297-347). bootc merges /usr/lib/bootc/install/*.toml
 * for it; RHEL and CentOS bases declare xfs there, Fedora-based ones nothing.
 */
export async function declaredRootFs(podman: RootPodman, image: { id: string; ref: string }, cwd: string): Promise<string | undefined> {
  let stdout: string;
  try {
    ({ stdout } = await runRootPodman(podman, ['run', '--rm', '--network=none', '--pull=never', '--entrypoint', 'bootc', image.id, 'install', 'print-configuration'], { cwd, stream: false }));
  } catch (error) {
    const said = error instanceof ProcessError && error.stderrTail ? `: ${error.stderrTail.trim().split('\n').slice(-3).join(' ')}` : '';
    throw new Error(
      `bootc install print-configuration failed in ${image.ref}${said}. bootc-image-builder runs the same command to learn the image's root filesystem and would stop. ` +
        `Check that the image has a working bootc (a bootc base), and that its /usr/lib/bootc/install/*.toml files parse.`,
      { cause: error },
    );
  }
  let config: { filesystem?: { root?: { type?: unknown } } | null };
  try {
    config = JSON.parse(stdout);
  } catch {
    throw new Error(`bootc install print-configuration in ${image.ref} printed no JSON (${JSON.stringify(stdout.slice(0, 120))}); bootc-image-builder would stop with "failed to unmarshal bootc install configuration".`);
  }
  const type = config?.filesystem?.root?.type;
  return typeof type === 'string' && type !== '' ? type : undefined;
}

/**
 * The root filesystem a builder run uses (the rootfs option wins over the image's declaration, as
 * --rootfs does), or an error saying both ways to set one; a warning for btrfs.
 */
export function chooseRootFs(image: string, declared: string | undefined, option: RootFsType | undefined, legacyIso: boolean): { rootfs: string; warning?: string } {
  const rootfs = option ?? declared;
  if (rootfs === undefined) {
    const builderSays = legacyIso
      ? 'no default root filesystem type specified in container, please use "--rootfs" to set manually'
      : 'missing required info: DefaultRootFs';
    throw new Error(
      `${image} declares no root filesystem (bootc install print-configuration gives no filesystem.root.type; Fedora-based images declare none) and bootc-convert has no rootfs option, ` +
        `so bootc-image-builder would stop with "${builderSays}". Either declare it in the image: ${DECLARE} (nx g immutable-os:image writes this file for new projects); ` +
        `or set rootfs (xfs, ext4 or btrfs) in bootc-convert's options.`,
    );
  }
  if (!(ROOTFS_TYPES as readonly string[]).includes(rootfs)) {
    throw new Error(`${image} declares the root filesystem "${rootfs}", which bootc-image-builder does not support (ext4, xfs, btrfs): change the image's /usr/lib/bootc/install/*.toml, or set rootfs in bootc-convert's options.`);
  }
  const from = option ? 'the rootfs option' : `declared by ${image}`;
  const warning =
    rootfs === 'btrfs'
      ? `the root filesystem is btrfs (${from}): a read-only btrfs root breaks systemd-remount-fs at boot (${BTRFS_ISSUE}); prefer xfs or ext4 unless the image handles it.`
      : undefined;
  return { rootfs, warning };
}
