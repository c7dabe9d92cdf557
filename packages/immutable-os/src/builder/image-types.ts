/**
 * The builder subsystem (this folder) owns what bootc-convert knows of bootc-image-builder: the
 * image types (this file), the build config's schema and validation (config/), and how builder runs
 * are planned so every output lands at our name whatever the order and mix of types.
 *
 * Every type bootc-image-builder's --type accepts, read from osbuild/image-builder@a1f35083
 * (internal/bibimg/imagetypes.go:16-32, data/distrodefs/bootc-generic/imagetypes.yaml,
 * pkg/image/bootc_disk.go:119-147, pkg/distro/generic/bootc_imagetype.go:121-126,212-216):
 * - `folder`: the export folder the builder writes the type to under /output;
 * - `file`: the file in it, either `fixed`, or `<B>.<ext>` where <B> is the `basename` of the
 *   run's FIRST type (the builder makes one disk manifest, for its first --type, and names every
 *   disk after it: `--type gce --type qcow2` writes qcow2/image.qcow2);
 * - `kind`: disk types share runs; ISO types (which cannot be mixed with disks) and pxe-tar-xz
 *   (whose manifest lacks the disk exports) run alone;
 * - `supported`: the customizations the builder validates without a warning (supported_options,
 *   plus name, description and version, always accepted); `applied`: those it really applies;
 * - `artifact`: where bootc-convert puts the file, `<type>/<file>`, the same for any order and mix.
 */
const DISK_SUPPORTED = ['bootloader', 'directories', 'disk', 'files', 'group', 'ignition', 'kernel.append', 'user', 'sshd'] as const;
// filesystem sizes partitions although the builder warns it is "not supported"; ignition.embedded and sshd are accepted but unused.
const DISK_APPLIED = ['user', 'group', 'kernel.append', 'files', 'directories', 'disk', 'filesystem', 'ignition.firstboot', 'bootloader'] as const;
const INSTALLER_SUPPORTED = ['fips', 'group', 'installer', 'kernel.append', 'user'] as const;
// The legacy Anaconda ISOs run no validation (bib_legacy.go); of `iso` they apply only volume_id (bib_legacy.go:313-321).
const LEGACY_ISO_APPLIED = ['user', 'group', 'kernel.append', 'installer', 'fips', 'iso.volume_id'] as const;
const PXE_SUPPORTED = ['directories', 'files', 'user', 'group', 'kernel.append'] as const;
// pxe-tar-xz also applies disk and filesystem, with a warning (bootc_imagetype.go:725-730).
const PXE_APPLIED = ['directories', 'files', 'user', 'group', 'kernel.append', 'disk', 'filesystem'] as const;

export type ImageTypeKind = 'disk' | 'iso' | 'pxe';

interface ImageTypeRow {
  folder: string;
  file: { fixed: string } | { ext: string };
  basename: string;
  kind: ImageTypeKind;
  /** Marked legacy by the builder ("RPM based and legacy/deprecated"); image-builder refuses anaconda-iso. */
  legacy: boolean;
  artifact: string;
  description: string;
  /** Customizations the builder validates without a warning; `null`: it validates nothing for this type. */
  supported: readonly string[] | null;
  applied: readonly string[];
}

export const IMAGE_TYPES = {
  qcow2: { folder: 'qcow2', file: { ext: 'qcow2' }, basename: 'disk', kind: 'disk', legacy: false, artifact: 'qcow2/disk.qcow2', description: 'QEMU/libvirt disk', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  raw: { folder: 'image', file: { ext: 'raw' }, basename: 'disk', kind: 'disk', legacy: false, artifact: 'raw/disk.raw', description: 'raw disk image', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  ami: { folder: 'image', file: { ext: 'raw' }, basename: 'disk', kind: 'disk', legacy: false, artifact: 'ami/disk.raw', description: 'Amazon EC2 disk (raw)', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  vmdk: { folder: 'vmdk', file: { ext: 'vmdk' }, basename: 'disk', kind: 'disk', legacy: false, artifact: 'vmdk/disk.vmdk', description: 'VMware disk', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  vhd: { folder: 'vpc', file: { ext: 'vhd' }, basename: 'disk', kind: 'disk', legacy: false, artifact: 'vhd/disk.vhd', description: 'Hyper-V / Azure disk', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  gce: { folder: 'gce', file: { fixed: 'image.tar.gz' }, basename: 'image', kind: 'disk', legacy: false, artifact: 'gce/image.tar.gz', description: 'Google Compute Engine image', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  ova: { folder: 'archive', file: { ext: 'ova' }, basename: 'image', kind: 'disk', legacy: false, artifact: 'ova/disk.ova', description: 'Open Virtualization Appliance (VMware vSphere)', supported: DISK_SUPPORTED, applied: DISK_APPLIED },
  'pxe-tar-xz': { folder: 'xz', file: { fixed: 'pxe.tar.xz' }, basename: 'pxe', kind: 'pxe', legacy: false, artifact: 'pxe-tar-xz/pxe.tar.xz', description: 'PXE boot tree (kernel, initrd, root image) as tar.xz', supported: PXE_SUPPORTED, applied: PXE_APPLIED },
  'bootc-installer': { folder: 'bootiso', file: { fixed: 'install.iso' }, basename: 'install', kind: 'iso', legacy: false, artifact: 'bootc-installer/install.iso', description: 'installer ISO built from an installer image, installing the project image (installerImage)', supported: INSTALLER_SUPPORTED, applied: INSTALLER_SUPPORTED },
  'anaconda-iso': { folder: 'bootiso', file: { fixed: 'install.iso' }, basename: 'install', kind: 'iso', legacy: true, artifact: 'anaconda-iso/install.iso', description: 'Anaconda installer ISO (legacy: prefer bootc-installer)', supported: null, applied: LEGACY_ISO_APPLIED },
  iso: { folder: 'bootiso', file: { fixed: 'install.iso' }, basename: 'install', kind: 'iso', legacy: true, artifact: 'iso/install.iso', description: 'Anaconda installer ISO (legacy alias of anaconda-iso)', supported: null, applied: LEGACY_ISO_APPLIED },
} as const satisfies Record<string, ImageTypeRow>;

export type ImageType = keyof typeof IMAGE_TYPES;

export const IMAGE_TYPE_NAMES = Object.keys(IMAGE_TYPES) as ImageType[];

export const DEFAULT_IMAGE_TYPE: ImageType = 'qcow2';

export function isImageType(value: string): value is ImageType {
  return Object.prototype.hasOwnProperty.call(IMAGE_TYPES, value);
}

export function isIsoType(type: ImageType): boolean {
  return IMAGE_TYPES[type].kind === 'iso';
}

/** Validates a list of types, naming the option and the valid types in the error. */
export function assertImageTypes(values: readonly string[], option: string): ImageType[] {
  const invalid = values.filter((v) => !isImageType(v));
  if (invalid.length > 0) {
    throw new Error(
      `${option}: ${invalid.map((v) => `"${v}"`).join(', ')} ${invalid.length === 1 ? 'is not a' : 'are not'} bootc-image-builder type${invalid.length === 1 ? '' : 's'}; valid types are ${IMAGE_TYPE_NAMES.join(', ')}.`,
    );
  }
  return values as ImageType[];
}

/** Where bootc-convert puts a type's artifact, under the output folder: `<type>/<file>`, e.g. `ami/disk.raw`. */
export function artifactPath(type: ImageType): string {
  return IMAGE_TYPES[type].artifact;
}

/** Where bootc-image-builder writes `type` under /output in a run whose first --type is `first`. */
export function builderOutputPath(type: ImageType, first: ImageType): string {
  const { folder, file } = IMAGE_TYPES[type];
  return 'fixed' in file ? `${folder}/${file.fixed}` : `${folder}/${IMAGE_TYPES[first].basename}.${file.ext}`;
}

/**
 * Splits the requested types into bootc-image-builder runs whose outputs are all where
 * builderOutputPath says: every ISO type and pxe-tar-xz run alone (the builder makes the manifest
 * of the first type only), two types written to the same file (raw and ami) never share a run, and
 * a run of disks starts with a `disk.*` type when it has one, so its disks are named disk.<ext>.
 */
export function planBuilderRuns(types: readonly ImageType[]): ImageType[][] {
  const runs: ImageType[][] = [];
  for (const type of new Set(types)) {
    const run = IMAGE_TYPES[type].kind !== 'disk' ? undefined : runs.find((r) => IMAGE_TYPES[r[0]].kind === 'disk' && r.every((t) => IMAGE_TYPES[t].folder !== IMAGE_TYPES[type].folder));
    if (run) run.push(type);
    else runs.push([type]);
  }
  return runs.map((run) => {
    const lead = run.find((t) => IMAGE_TYPES[t].basename === 'disk');
    return lead ? [lead, ...run.filter((t) => t !== lead)] : run;
  });
}
