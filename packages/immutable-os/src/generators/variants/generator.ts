import { formatFiles, logger, readProjectConfiguration, updateProjectConfiguration, type Tree } from '@nx/devkit';
import { CONTAINERFILE_NAMES } from '../../image/build-spec';
import { expandVariants } from '../../image/variant-matrix';
import { METADATA_KEY } from '../../utils/image-project';
import { DEFAULT_TARGET_NAMES } from '../../plugins/target-names';
import type { VariantsGeneratorSchema } from './schema';

type Settings = Record<string, unknown>;
interface Matrix extends Settings {
  axes: Record<string, string[] | Record<string, Settings>>;
}

const PAIR = /^([^=]+)=(.*)$/;

/**
 * Writes or extends an image project's variants matrix. The new matrix is expanded and checked
 * exactly as createNodes expands it before project.json is written, so a refused option (or a
 * matrix the graph would refuse) changes nothing.
 */
export async function variantsGenerator(tree: Tree, options: VariantsGeneratorSchema): Promise<void> {
  let project;
  try {
    project = readProjectConfiguration(tree, options.project);
  } catch {
    throw new Error(`project: there is no project "${options.project}" in this workspace; pass the name from its project.json.`);
  }
  if (!CONTAINERFILE_NAMES.some((file) => tree.exists(`${project.root}/${file}`))) {
    throw new Error(`project: ${options.project} (${project.root}) has no Containerfile, so it is not an image project; create one with nx g immutable-os:image.`);
  }
  const metadata = { ...((project.metadata?.[METADATA_KEY] as Settings | undefined) ?? {}) };
  const existing = metadata.variants as Matrix | undefined;
  const matrix: Matrix = existing ? structuredClone(existing) : { axes: {} };
  if (!existing) {
    // A plain project becomes a family: its image settings and bootc target options move into the matrix.
    for (const key of ['image', 'tags', 'formats'] as const) {
      if (metadata[key] !== undefined) matrix[key] = metadata[key];
      delete metadata[key];
    }
    const moved: Record<string, unknown> = {};
    for (const target of Object.values(DEFAULT_TARGET_NAMES)) {
      const config = project.targets?.[target];
      if (!config) continue;
      if (config.options && Object.keys(config.options).length > 0) moved[target] = config.options;
      delete project.targets?.[target];
    }
    if (Object.keys(moved).length > 0) matrix.options = moved;
  }

  const axisSpecs = options.axis ?? [];
  if (!existing && axisSpecs.length === 0) throw new Error('axis: a new matrix needs at least one axis, e.g. --axis=flavor=main,nvidia.');
  for (const spec of axisSpecs) {
    const match = PAIR.exec(spec);
    const values = match?.[2].split(',').map((v) => v.trim()).filter(Boolean) ?? [];
    if (!match || values.length === 0) throw new Error(`axis: "${spec}" is not name=value1,value2 (e.g. flavor=main,nvidia).`);
    const axis = match[1].trim();
    const current = matrix.axes[axis];
    const known = current === undefined ? [] : Array.isArray(current) ? current : Object.keys(current);
    const twice = values.find((v) => known.includes(v));
    if (twice !== undefined) throw new Error(`axis: ${options.project} already has the value "${twice}" on axis ${axis}.`);
    if (current === undefined) matrix.axes[axis] = values;
    else if (Array.isArray(current)) current.push(...values);
    else for (const value of values) current[value] = {};
    logger.info(`${options.project}: axis ${axis}: ${current === undefined ? 'added with' : 'adds'} ${values.join(', ')}`);
  }
  for (const spec of options.buildArgs ?? []) {
    const match = PAIR.exec(spec);
    if (!match) throw new Error(`buildArgs: "${spec}" is not NAME=value (e.g. IMAGE_FLAVOR={flavor}).`);
    matrix.buildArgs = { ...((matrix.buildArgs as Settings | undefined) ?? {}), [match[1]]: match[2] };
  }
  for (const spec of options.cppFlags ?? []) {
    const match = /^([^=]+)=([^:]+):(.+)$/.exec(spec);
    const axisValues = match ? matrix.axes[match[1]] : undefined;
    if (!match || axisValues === undefined) throw new Error(`cppFlags: "${spec}" is not axis=value:-DFLAG for an axis of ${options.project} (e.g. flavor=nvidia:-DNVIDIA).`);
    const [, axis, value, flag] = match;
    const object: Record<string, Settings> = Array.isArray(axisValues) ? Object.fromEntries(axisValues.map((v) => [v, {}])) : axisValues;
    if (!(value in object)) throw new Error(`cppFlags: "${value}" is not a value of axis ${axis} (${Object.keys(object).join(', ')}).`);
    object[value] = { ...object[value], cppFlags: [...((object[value].cppFlags as string[] | undefined) ?? []), flag] };
    matrix.axes[axis] = object;
  }
  if (options.name !== undefined) matrix.name = options.name;
  // One image repository for the whole family: each cell needs its own tag, named by its axes.
  if (!existing && matrix.image !== undefined) {
    const axisTag = Object.keys(matrix.axes).map((axis) => `{${axis}}`).join('-');
    const tags = (matrix.tags as string[] | undefined) ?? ['latest'];
    matrix.tags = tags.map((tag) => (tag === 'latest' ? axisTag : `${axisTag}-${tag}`));
    logger.info(`${options.project}: the variants share ${String(matrix.image)}, so each is tagged by its axes: ${(matrix.tags as string[]).join(', ')}`);
  }

  // Checked as the graph checks it; the message names the project.json, key and value.
  const projectJson = `${project.root}/project.json`;
  const cells = expandVariants({ project: options.project, projectJson, matrix });
  metadata.variants = matrix;
  updateProjectConfiguration(tree, options.project, { ...project, metadata: { ...project.metadata, [METADATA_KEY]: metadata } });
  logger.info(`${options.project}: ${cells.length} variants: ${cells.map((c) => c.name).join(', ')}`);
  if (!options.skipFormat) await formatFiles(tree);
}

export default variantsGenerator;
