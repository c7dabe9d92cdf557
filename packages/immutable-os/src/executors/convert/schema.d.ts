export type ConvertImageType = 'qcow2' | 'raw' | 'ami' | 'vmdk' | 'vhd' | 'gce' | 'ova' | 'pxe-tar-xz' | 'bootc-installer' | 'anaconda-iso' | 'iso';

export interface ConvertExecutorSchema {
  types?: ConvertImageType[];
  rootfs?: 'ext4' | 'xfs' | 'btrfs';
  config?: string;
  targetArch?: 'amd64' | 'x86_64' | 'arm' | 'armv7' | 'arm64' | 'aarch64' | 's390x' | 'ppc64le' | 'riscv64';
  builderBackend?: 'bootc-image-builder' | 'image-builder';
  builderImage?: string;
  installerImage?: string;
  pull?: 'always' | 'missing' | 'never' | 'newer';
  useLibrepo?: boolean;
  chown?: string;
  sudo?: 'auto' | 'always' | 'never';
  outputPath?: string;
  /** Deprecated: only /var/lib/containers/storage is accepted. */
  containerStorage?: string;
  progress?: 'auto' | 'verbose' | 'term' | 'debug';
  dryRun?: boolean;
  extraArgs?: string[];
}
