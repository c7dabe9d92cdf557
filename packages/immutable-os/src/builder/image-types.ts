/**
 * The build config customizations (config.toml, see config/) each kind of type applies; the
 * builder ignores the others with a warning. From osbuild/images
 * data/distrodefs/bootc-generic/imagetypes.yaml (supported_blueprint_options), plus `filesystem`,
 * which the disk pipeline sizes partitions with, and `iso` for the installer ISO's metadata.
 * An entry `kernel.append` means only that key of `kernel` is applied.
 */
const DISK_CUSTOMIZATIONS = ['user', 'group', 'kernel.append', 'filesystem', 'disk', 'files', 'directories'] as const;
const ISO_CUSTOMIZATIONS = ['user', 'group', 'kernel.append', 'installer', 'fips', 'iso'] as const;

/**
 * Every disk or installer type bootc-image-builder can produce: where the builder writes it,
 * whether it is an installer ISO (ISO and disk types cannot be mixed in one builder run) and
 * which build config customizations it applies.
 * https://github.com/osbuild/bootc-image-builder (bib/internal/imagetypes)
 */
export const IMAGE_TYPES = {
  qcow2: { builderPath: 'qcow2/disk.qcow2', iso: false, description: 'QEMU/libvirt disk', customizations: DISK_CUSTOMIZATIONS },
  raw: { builderPath: 'image/disk.raw', iso: false, description: 'raw disk image', customizations: DISK_CUSTOMIZATIONS },
  ami: { builderPath: 'image/disk.raw', iso: false, description: 'Amazon EC2 disk (raw)', customizations: DISK_CUSTOMIZATIONS },
  vmdk: { builderPath: 'vmdk/disk.vmdk', iso: false, description: 'VMware disk', customizations: DISK_CUSTOMIZATIONS },
  vhd: { builderPath: 'vpc/disk.vhd', iso: false, description: 'Hyper-V / Azure disk', customizations: DISK_CUSTOMIZATIONS },
  gce: { builderPath: 'gce/image.tar.gz', iso: false, description: 'Google Compute Engine image', customizations: DISK_CUSTOMIZATIONS },
  'anaconda-iso': { builderPath: 'bootiso/install.iso', iso: true, description: 'Anaconda installer ISO', customizations: ISO_CUSTOMIZATIONS },
  iso: { builderPath: 'bootiso/install.iso', iso: true, description: 'Anaconda installer ISO (alias of anaconda-iso)', customizations: ISO_CUSTOMIZATIONS },
  'bootc-installer': { builderPath: 'bootiso/install.iso', iso: true, description: 'bootc installer ISO', customizations: ISO_CUSTOMIZATIONS },
} as const satisfies Record<string, { builderPath: string; iso: boolean; description: string; customizations: readonly string[] }>;

export type ImageType = keyof typeof IMAGE_TYPES;

export const IMAGE_TYPE_NAMES = Object.keys(IMAGE_TYPES) as ImageType[];

export const DEFAULT_IMAGE_TYPE: ImageType = 'qcow2';

export function isImageType(value: string): value is ImageType {
  return Object.prototype.hasOwnProperty.call(IMAGE_TYPES, value);
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
  const builderPath = IMAGE_TYPES[type].builderPath;
  return `${type}/${builderPath.slice(builderPath.lastIndexOf('/') + 1)}`;
}

/**
 * Splits the requested types into builder runs: ISO and disk types cannot share a run, and two
 * types the builder writes to the same path (raw and ami, the ISO aliases) need runs of their own.
 */
export function planBuilderRuns(types: readonly ImageType[]): ImageType[][] {
  const runs: ImageType[][] = [];
  for (const type of new Set(types)) {
    const run = runs.find(
      (r) => IMAGE_TYPES[r[0]].iso === IMAGE_TYPES[type].iso && r.every((t) => IMAGE_TYPES[t].builderPath !== IMAGE_TYPES[type].builderPath),
    );
    if (run) run.push(type);
    else runs.push([type]);
  }
  return runs;
}
