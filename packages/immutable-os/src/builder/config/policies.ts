import { posix } from 'node:path';

/**
 * bootc-image-builder's path policies for build config customizations, each a table with the
 * problem text derived from it. Sources: osbuild/image-builder@a1f35083
 * pkg/distro/generic/bootc_imagetype.go:797-833 (mountpointPolicy, mountpointMinimalPolicy),
 * :964-980 (checkMountpoints) and pkg/policies/policies.go:100-117 (OstreeCustomDirectoriesPolicies,
 * OstreeCustomFilesPolicies). A policy allows its folder itself as well as what is below it.
 */

/** /var subfolders that cannot be separate filesystems: bootc keeps them in /var (symlinks, tmpfs, home dirs). */
export const VAR_DENIED_MOUNTPOINTS = [
  '/var/home',
  '/var/lock',
  '/var/mail',
  '/var/mnt',
  '/var/roothome',
  '/var/run',
  '/var/srv',
  '/var/usrlocal',
] as const;

/** Folders under which `customizations.files` may write. */
export const FILE_ROOTS = ['/etc', '/root', '/usr/local/bin', '/usr/local/sbin'] as const;
/** Files that `customizations.files` must never replace (users and mounts have their own customizations). */
export const DENIED_FILES = ['/etc/fstab', '/etc/shadow', '/etc/passwd', '/etc/group'] as const;
/** Folders under which `customizations.directories` may create folders. */
export const DIRECTORY_ROOTS = ['/etc'] as const;

const ALLOWED_MOUNTPOINTS = `allowed: "/", "/boot" or a folder under /var other than ${VAR_DENIED_MOUNTPOINTS.join(', ')}`;

/** True when `path` is `root` or below it. */
export function isAtOrBelow(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Why `path` is not an absolute, canonical path (as the builder requires of every path), or undefined. */
export function pathShapeProblem(path: string, example: string): string | undefined {
  if (!path.startsWith('/')) return `"${path}" must be an absolute path, e.g. "${example}"`;
  const canonical = posix.normalize(path).replace(/(.)\/$/, '$1');
  if (canonical !== path) return `"${path}" must be a canonical path (no "//", ".", ".." or trailing "/"): write "${canonical}"`;
  return undefined;
}

/** Why a `customizations.filesystem` mountpoint is refused, or undefined when the builder accepts it. */
export function mountpointProblem(mountpoint: string): string | undefined {
  const shape = pathShapeProblem(mountpoint, '/var/data');
  if (shape) return shape;
  if (mountpoint === '/' || mountpoint === '/boot') return undefined;
  if (mountpoint === '/var') return `"/var" cannot be a separate filesystem: bootc manages /var itself; ${ALLOWED_MOUNTPOINTS}`;
  const denied = VAR_DENIED_MOUNTPOINTS.find((root) => isAtOrBelow(mountpoint, root));
  if (denied) return `"${mountpoint}" cannot be a separate filesystem: bootc keeps ${denied} in /var; ${ALLOWED_MOUNTPOINTS}`;
  if (isAtOrBelow(mountpoint, '/var')) return undefined;
  return `"${mountpoint}" cannot be a separate filesystem in a bootc image (the rest of the tree comes read-only from the container image); ${ALLOWED_MOUNTPOINTS}`;
}

/** Why a mountpoint is refused when the root filesystem is btrfs (the builder cannot create subvolumes yet), or undefined. */
export function btrfsMountpointProblem(mountpoint: string): string | undefined {
  if (mountpoint === '/' || mountpoint === '/boot') return undefined;
  return `"${mountpoint}" cannot be a separate filesystem with a btrfs root filesystem: bootc-image-builder cannot create btrfs subvolumes yet; allowed: "/" and "/boot" (or build with an ext4 or xfs root filesystem)`;
}

/** Why a `customizations.files` path is refused, or undefined. */
export function filePathProblem(path: string): string | undefined {
  const shape = pathShapeProblem(path, '/etc/motd');
  if (shape) return shape;
  const denied = DENIED_FILES.find((file) => isAtOrBelow(path, file));
  if (denied) return `"${path}" cannot be written by customizations.files: ${denied} is managed by the builder (use customizations.user, customizations.group or customizations.filesystem instead)`;
  if (FILE_ROOTS.some((root) => isAtOrBelow(path, root))) return undefined;
  return `"${path}" is outside the folders customizations.files may write: allowed under ${FILE_ROOTS.join(', ')}; put other files in the image with the Containerfile (e.g. rootfs/ and COPY rootfs/ /)`;
}

/** Why a `customizations.directories` path is refused, or undefined. */
export function directoryPathProblem(path: string): string | undefined {
  const shape = pathShapeProblem(path, '/etc/myapp');
  if (shape) return shape;
  if (DIRECTORY_ROOTS.some((root) => isAtOrBelow(path, root))) return undefined;
  return `"${path}" is outside the folders customizations.directories may create: allowed under ${DIRECTORY_ROOTS.join(', ')}; create other folders in the Containerfile, or with systemd tmpfiles.d for /var`;
}
