import { planRuns } from '../../../builder/backends';
import { IMAGE_TYPES, type ImageType } from '../../../builder/image-types';
import { normalizeImageId } from '../../../utils/engine-commands';
import type { ImageRecord } from '../../../utils/image-record';
import { rootStore, stagingCommands } from './builder-storage';
import type { NormalizedConvertOptions } from './normalize-options';
import { platformImage, type PlatformImage } from './platform-image';
import { assertBootcLabel, checkImageForBuilder, checkInstallerImage } from './preflight';
import { chooseRootFs, declaredRootFs } from './root-filesystem';
import type { RootPodman } from './root-podman';

export interface PlannedRun {
  types: ImageType[];
  /** The image the builder is given: the project's, or the installer image of a bootc-installer run. */
  imageRef: string;
  /** For bootc-installer: the project image, installed by the ISO. */
  payloadRef?: string;
  /** The root filesystem the run uses (the rootfs option, else what its image declares). */
  rootfs: string;
}

export interface ConversionPlan {
  runs: PlannedRun[];
  /** podman argument lists that copy the images into the builder's storage (none when they are there). */
  staging: string[][];
  /** The image IDs the runs read. */
  imageIds: string[];
  /** A multi-platform build's: the platform converted, and the commands naming its image for the builder and giving the name back after. */
  platform?: PlatformImage;
}

/**
 * Everything checked before any builder run, in the order the builder would fail: the images it
 * reads are in root's storage and labelled bootc images, each declares a root filesystem or the
 * rootfs option gives one, and they can be put where the builder reads (staging). Prints warnings.
 */
export async function planConversion(
  podman: RootPodman,
  options: Pick<NormalizedConvertOptions, 'types' | 'rootfs' | 'installerImage' | 'builderBackend' | 'targetArch'>,
  record: ImageRecord,
  cwd: string,
  archiveDir: string,
): Promise<ConversionPlan> {
  const groups = planRuns(options.builderBackend, options.types);
  await checkImageForBuilder(podman, record, cwd);
  const platform = await platformImage(podman, record, options.targetArch, cwd);
  if (platform) await assertBootcLabel(podman, platform.id, `${record.refs[0]} (linux/${platform.arch})`, cwd);
  const project = { id: platform?.id ?? normalizeImageId(record.imageId), ref: record.refs[0], refs: platform ? [record.refs[0]] : record.refs };
  const installer =
    options.installerImage && groups.some((types) => types.includes('bootc-installer'))
      ? { id: await checkInstallerImage(podman, options.installerImage, cwd), ref: options.installerImage, refs: [options.installerImage] }
      : undefined;

  const declared = new Map<string, Promise<string | undefined>>();
  const runs: PlannedRun[] = [];
  for (const types of groups) {
    const image = types.includes('bootc-installer') && installer ? installer : project;
    const legacyIso = types.every((t) => IMAGE_TYPES[t].legacy);
    // The legacy ISOs ask the image only when --rootfs is not given (bib_legacy.go:124-136); the others always do.
    const ask = !(legacyIso && options.rootfs);
    if (ask && !declared.has(image.id)) declared.set(image.id, declaredRootFs(podman, image, cwd));
    const { rootfs, warning } = chooseRootFs(image.ref, ask ? await declared.get(image.id) : undefined, options.rootfs, legacyIso);
    if (warning && !runs.some((r) => r.imageRef === image.ref)) console.warn(`warning: ${warning}`);
    runs.push({ types, imageRef: image.ref, payloadRef: image === installer ? project.ref : undefined, rootfs });
  }

  const images = installer ? [project, installer] : [project];
  const staging = stagingCommands(await rootStore(podman, cwd), images, archiveDir);
  // Copied into the builder's own storage, the platform's image is named there already: nothing to rename in root's.
  const named = platform && staging.length > 0 ? { ...platform, name: [], restore: [] } : platform;
  return { runs, staging, imageIds: images.map((i) => i.id), ...(named ? { platform: named } : {}) };
}
