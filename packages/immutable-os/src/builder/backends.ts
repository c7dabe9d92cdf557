import { builderOutputPath, planBuilderRuns, type ImageType } from './image-types';

/**
 * The two programs that turn a bootc image into disks, as rows of one table: how bootc-convert
 * plans its runs with each, the arguments after the builder image in `podman run ... <image>`,
 * and where each run's outputs and manifest appear under /output.
 *
 * - bootc-image-builder: the container quay.io/centos-bootc/bootc-image-builder (now built from
 *   osbuild/image-builder, cmd/image-builder/bib_cmd.go): `build --type T ... IMAGE`, several types
 *   a run, outputs in export folders named after the run's first type (image-types.ts).
 * - image-builder: the container ghcr.io/osbuild/image-builder (ENTRYPOINT image-builder,
 *   cmd/image-builder/cmd.go:271-305): `build --bootc-ref IMAGE ... TYPE`, one type a run, the
 *   output `<output-dir>/<output-name>.<ext>` (main.go:68-89); its blueprint validation warnings
 *   are errors unless --ignore-warnings (main.go:551-553), which bootc-convert passes, having
 *   reported them itself. It refuses anaconda-iso (main.go:300-302) and has no --chown.
 */
export interface BuilderRunSpec {
  types: readonly ImageType[];
  /** The image the builder converts (the installer image for bootc-installer). */
  imageRef: string;
  /** For bootc-installer: the image the ISO installs. */
  payloadRef?: string;
  /** Where the config is mounted in the builder's container, if there is one. */
  configPath?: string;
  rootfs?: string;
  targetArch?: string;
  chown: string;
  useLibrepo?: boolean;
  progress: string;
  extraArgs: readonly string[];
}

export interface BuilderBackend {
  defaultImage: string;
  description: string;
  /** The runs for the requested types (every output of a run at a path `written` knows). */
  planRuns(types: readonly ImageType[]): ImageType[][];
  /** Why the backend cannot make a type, if it cannot. */
  refuses(type: ImageType): string | undefined;
  /** The builder's arguments for one run, after the builder image. */
  args(run: BuilderRunSpec): string[];
  /** Where a run writes a type, relative to /output. */
  written(type: ImageType, run: readonly ImageType[]): string;
  /** Whether a file the run wrote is its manifest. */
  isManifest(file: string): boolean;
  /** The name the run's manifest is kept under in the output folder. */
  keptManifest(file: string, run: readonly ImageType[]): string;
  /** Whether a config.json may wrap its contents in a legacy top-level "blueprint" key. */
  legacyJsonWrapper: boolean;
}

// image-builder names its output <output-name>.<ext>, ext being what follows the first dot of the type's file name (imagetypes.yaml).
const IMAGE_BUILDER_NAME = 'disk';
const EXTENSION: Record<ImageType, string> = {
  qcow2: 'qcow2', raw: 'raw', ami: 'raw', vmdk: 'vmdk', vhd: 'vhd', gce: 'tar.gz', ova: 'ova', 'pxe-tar-xz': 'tar.xz', 'bootc-installer': 'iso', 'anaconda-iso': 'iso', iso: 'iso',
};

const pair = (flag: string, value: string | undefined) => (value === undefined ? [] : [flag, value]);

// image-builder's --arch takes the bootc (kernel) names; bootc-image-builder's --target-arch also the Go ones (pkg/arch/arch.go:96-112).
const BOOTC_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', arm: 'armv7' };

export const BUILDER_BACKENDS = {
  'bootc-image-builder': {
    defaultImage: 'quay.io/centos-bootc/bootc-image-builder:latest',
    description: 'bootc-image-builder (the container quay.io/centos-bootc/bootc-image-builder)',
    planRuns: planBuilderRuns,
    refuses: () => undefined,
    args: (run) => [
      'build',
      ...run.types.flatMap((type) => ['--type', type]),
      ...pair('--rootfs', run.rootfs),
      ...pair('--target-arch', run.targetArch),
      '--chown',
      run.chown,
      ...(run.useLibrepo === undefined ? [] : [`--use-librepo=${run.useLibrepo}`]),
      ...pair('--installer-payload-ref', run.payloadRef),
      '--progress',
      run.progress,
      ...run.extraArgs,
      run.imageRef,
    ],
    written: (type, run) => builderOutputPath(type, run[0]),
    isManifest: (file) => /^manifest-.*\.json$/.test(file),
    keptManifest: (file) => file,
    legacyJsonWrapper: true,
  },
  'image-builder': {
    defaultImage: 'ghcr.io/osbuild/image-builder:latest',
    description: 'image-builder (the container ghcr.io/osbuild/image-builder)',
    planRuns: (types) => [...new Set(types)].map((type) => [type]),
    refuses: (type) =>
      type === 'anaconda-iso'
        ? 'image-builder refuses anaconda-iso ("please consider switching to bootc-installer or use bootc-image-builder"): use bootc-installer, or builderBackend bootc-image-builder'
        : undefined,
    args: (run) => [
      'build',
      '--bootc-ref',
      run.imageRef,
      ...pair('--bootc-installer-payload-ref', run.payloadRef),
      ...pair('--bootc-default-fs', run.rootfs),
      ...pair('--blueprint', run.configPath),
      ...pair('--arch', run.targetArch && (BOOTC_ARCH[run.targetArch] ?? run.targetArch)),
      ...(run.useLibrepo === undefined ? [] : [`--use-librepo=${run.useLibrepo}`]),
      '--output-dir',
      '/output',
      '--output-name',
      IMAGE_BUILDER_NAME,
      '--with-manifest',
      '--ignore-warnings',
      '--progress',
      run.progress,
      ...run.extraArgs,
      run.types[0],
    ],
    written: (type) => `${IMAGE_BUILDER_NAME}.${EXTENSION[type]}`,
    isManifest: (file) => file === `${IMAGE_BUILDER_NAME}.osbuild-manifest.json`,
    // Every run's manifest has the same name: kept as bootc-image-builder names its own, manifest-<types>.json.
    keptManifest: (_file, run) => `manifest-${run.join('-')}.json`,
    // Its loader has no wrapper (internal/blueprintload/blueprintload.go): "blueprint" is an unknown key there.
    legacyJsonWrapper: false,
  },
} as const satisfies Record<string, BuilderBackend>;

export type BuilderBackendName = keyof typeof BUILDER_BACKENDS;

export const BUILDER_BACKEND_NAMES = Object.keys(BUILDER_BACKENDS) as BuilderBackendName[];

export const DEFAULT_BUILDER_BACKEND: BuilderBackendName = 'bootc-image-builder';

/** The backend's runs for the types, or an error naming the types it refuses. */
export function planRuns(backend: BuilderBackendName, types: readonly ImageType[]): ImageType[][] {
  const refused = types.map((type) => BUILDER_BACKENDS[backend].refuses(type)).filter((why) => why !== undefined);
  if (refused.length > 0) throw new Error(`types: ${[...new Set(refused)].join('; ')}.`);
  return BUILDER_BACKENDS[backend].planRuns(types);
}

