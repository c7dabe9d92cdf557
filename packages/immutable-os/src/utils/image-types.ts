/**
 * Every disk or installer type bootc-image-builder can produce: where the builder writes it,
 * and whether it is an installer ISO (ISO and disk types cannot be mixed in one builder run).
 * https://github.com/osbuild/bootc-image-builder (bib/internal/imagetypes)
 */
export const IMAGE_TYPES = {
  qcow2: { builderPath: 'qcow2/disk.qcow2', iso: false, description: 'QEMU/libvirt disk' },
  raw: { builderPath: 'image/disk.raw', iso: false, description: 'raw disk image' },
  ami: { builderPath: 'image/disk.raw', iso: false, description: 'Amazon EC2 disk (raw)' },
  vmdk: { builderPath: 'vmdk/disk.vmdk', iso: false, description: 'VMware disk' },
  vhd: { builderPath: 'vpc/disk.vhd', iso: false, description: 'Hyper-V / Azure disk' },
  gce: { builderPath: 'gce/image.tar.gz', iso: false, description: 'Google Compute Engine image' },
  'anaconda-iso': { builderPath: 'bootiso/install.iso', iso: true, description: 'Anaconda installer ISO' },
  iso: { builderPath: 'bootiso/install.iso', iso: true, description: 'Anaconda installer ISO (alias of anaconda-iso)' },
  'bootc-installer': { builderPath: 'bootiso/install.iso', iso: true, description: 'bootc installer ISO' },
} as const satisfies Record<string, { builderPath: string; iso: boolean; description: string }>;

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
