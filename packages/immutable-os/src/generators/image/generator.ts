import { addProjectConfiguration, formatFiles, generateFiles, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { METADATA_KEY, type ImageProjectMetadata } from '../../utils/image-project';
import { IMAGE_TYPE_NAMES, isIsoType } from '../../builder/image-types';
import { initGenerator } from '../init/generator';
import { variantsGenerator } from '../variants/generator';
import { normalizeOptions, type NormalizedImageOptions } from './lib/normalize-options';
import type { ImageGeneratorSchema } from './schema';

/** Where the generated image declares its root filesystem for bootc install and bootc-image-builder. */
export const ROOTFS_DECLARATION = 'rootfs/usr/lib/bootc/install/80-rootfs.toml';

/** Creates an image project; every option is checked before anything is written. */
export async function imageGenerator(tree: Tree, schema: ImageGeneratorSchema) {
  const options = normalizeOptions(tree, schema);
  await initGenerator(tree, { skipFormat: true });
  addProject(tree, options, schema);
  const isoTypes = IMAGE_TYPE_NAMES.filter(isIsoType);
  generateFiles(tree, join(__dirname, 'files'), options.projectRoot, { ...options, isoTypes, template: '' });
  // A flavor inherits its base's root filesystem declaration; only images FROM an external base need one.
  if (options.fromProject) tree.delete(join(options.projectRoot, ROOTFS_DECLARATION));
  if (schema.variants?.length) await variantsGenerator(tree, { project: options.name, axis: schema.variants, skipFormat: true });
  if (!schema.skipFormat) await formatFiles(tree);
}

function addProject(tree: Tree, options: NormalizedImageOptions, schema: ImageGeneratorSchema) {
  // A family's variants are named localhost/<variant> unless an image was given (then they share it, tagged by axes).
  const family = (schema.variants?.length ?? 0) > 0;
  const metadata: ImageProjectMetadata = {
    ...(family && !schema.image ? {} : { image: options.image }),
    ...(family && !schema.tags ? {} : { tags: options.tags }),
    formats: options.formats,
  };
  addProjectConfiguration(tree, options.name, {
    name: options.name,
    root: options.projectRoot,
    projectType: 'application',
    tags: ['os-image'],
    metadata: { [METADATA_KEY]: metadata },
    targets: {},
  });
}

export default imageGenerator;
