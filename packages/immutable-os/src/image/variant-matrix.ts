/**
 * Variants: one image project declaring a matrix of images built from the same files.
 *
 * A project.json's `metadata["immutable-os"].variants` names axes (edition, flavor, stream, ...)
 * with their values, cells to leave out (`exclude`) or add (`include`), and per-value settings
 * (build args, cpp flags, target stage, image, tags, formats, platforms, other target options).
 * `expandVariants` turns it into cells, each checked, named by a template and fully resolved;
 * createNodes makes every cell an Nx project of its own (variants.ts: where its files are).
 * Errors name the project.json, the key and the value.
 */
import { z } from 'zod';
import { isImageType } from '../builder/image-types';
import { assertImageReference } from '../utils/image-ref';
import { assertTagTemplate } from '../utils/tag-template';
import { ARG_NAME, assertCppFlags, checkedRecord, STAGE_NAME } from './build-spec';

const SETTING_KEYS = ['buildArgs', 'cppFlags', 'target', 'image', 'tags', 'formats', 'platforms', 'runner', 'options'] as const;
const RESERVED = new Set<string>([...SETTING_KEYS, 'name', 'project', 'axes', 'include', 'exclude', 'projectName', 'sha', 'shortSha', 'date', 'version']);
const AXIS_NAME = /^[a-z][A-Za-z0-9_]*$/;
const AXIS_VALUE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A cell name: an Nx project name that is also a valid image name component (lowercase, as registries require). */
const CELL_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TOKEN = /\{([^{}]*)\}/g;

const settingsShape = {
  buildArgs: z.record(z.string(), z.string()).optional(),
  cppFlags: z.array(z.string()).optional(),
  target: z.string().optional(),
  image: z.string().optional(),
  tags: z.array(z.string()).optional(),
  formats: z.array(z.string()).optional(),
  platforms: z.array(z.string()).optional(),
  /** CI runner labels for the cell's job (metadata["immutable-os"].ci.runner), e.g. an ARM runner for the aarch64 value. */
  runner: z.array(z.string()).optional(),
  options: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
};
const settingsSchema = z.strictObject(settingsShape);
const matrixSchema = z.strictObject({
  ...settingsShape,
  name: z.string().optional(),
  axes: z.record(z.string(), z.unknown()),
  exclude: z.array(z.record(z.string(), z.string())).optional(),
  include: z.array(z.record(z.string(), z.unknown())).optional(),
});

export type VariantSettings = z.infer<typeof settingsSchema>;

/** One cell of a matrix, resolved: its name, axis values and the settings its targets get. */
export interface VariantCell {
  name: string;
  values: Record<string, string>;
  buildArgs: Record<string, string>;
  cppFlags: string[];
  target?: string;
  image: string;
  tags?: string[];
  formats?: string[];
  platforms?: string[];
  /** CI runner labels of the cell's job. */
  runner?: string[];
  /** Other options per target name (e.g. bootc-build: secrets), merged over the family's. */
  options: Record<string, Record<string, unknown>>;
}

export interface ExpandInput {
  /** The declaring project's name (the `{project}` of templates). */
  project: string;
  /** Workspace-relative project.json, for messages. */
  projectJson: string;
  matrix: unknown;
}

/** The cells of a matrix, checked; an error names the project.json, the key and the value. */
export function expandVariants({ project, projectJson, matrix }: ExpandInput): VariantCell[] {
  const where = (key: string) => `${projectJson}: metadata["immutable-os"].variants${key ? `.${key}` : ''}`;
  // The shape, checked by zod; the first problem is reported at its key.
  const check = <T>(schema: z.ZodType<T>, value: unknown, base: string): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const key = [base, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/^\./, '').replace(/\.\[/g, '[');
    const unknown = issue.code === 'unrecognized_keys' ? ` (allowed: ${[...SETTING_KEYS, ...(base === '' ? ['name', 'axes', 'include', 'exclude'] : [])].join(', ')})` : '';
    const message = issue.message.replace(/^Invalid input: /, '').replace('expected record', 'expected an object').replace('expected object', 'expected an object');
    throw new Error(`${where(key)}: ${message}${unknown}.`);
  };
  const spec = check(matrixSchema, matrix, '');

  // Axes, in the order written; a list is values without settings.
  const axes = Object.entries(spec.axes).map(([axis, values]) => {
    if (!AXIS_NAME.test(axis)) throw new Error(`${where(`axes.${axis}`)}: "${axis}" is not an axis name (a lowercase letter, then letters, digits, _).`);
    if (RESERVED.has(axis)) throw new Error(`${where(`axes.${axis}`)}: "${axis}" is reserved (a setting or template token); name the axis otherwise.`);
    if (values === null || typeof values !== 'object') throw new Error(`${where(`axes.${axis}`)}: expected a list of values or an object of value: settings, got ${JSON.stringify(values)}.`);
    const entries: Array<[string, VariantSettings]> = Array.isArray(values)
      ? check(z.array(z.string()), values, `axes.${axis}`).map((v) => [v, {}])
      : Object.entries(check(z.record(z.string(), settingsSchema), values, `axes.${axis}`));
    if (entries.length === 0) throw new Error(`${where(`axes.${axis}`)}: the axis has no values; give at least one.`);
    const seen = new Set<string>();
    for (const [value] of entries) {
      if (!AXIS_VALUE.test(value)) throw new Error(`${where(`axes.${axis}`)}: "${value}" is not an axis value (letters, digits, ".", "_", "-").`);
      if (seen.has(value)) throw new Error(`${where(`axes.${axis}`)}: "${value}" is listed twice.`);
      seen.add(value);
    }
    return { axis, values: new Map(entries) };
  });
  if (axes.length === 0) throw new Error(`${where('axes')}: no axes; give at least one, e.g. "flavor": ["main", "nvidia"].`);
  const axisNames = axes.map((a) => a.axis);

  let cells: Array<{ values: Record<string, string>; extra: VariantSettings[] }> = [{ values: {}, extra: [] }];
  for (const { axis, values } of axes) cells = cells.flatMap((cell) => [...values.keys()].map((value) => ({ values: { ...cell.values, [axis]: value }, extra: [] })));

  (spec.exclude ?? []).forEach((entry, i) => {
    const pairs = Object.entries(entry);
    if (pairs.length === 0) throw new Error(`${where(`exclude[${i}]`)}: an empty exclude would remove every cell; name at least one axis value.`);
    for (const [axis, value] of pairs) {
      const known = axes.find((a) => a.axis === axis);
      if (!known) throw new Error(`${where(`exclude[${i}].${axis}`)}: "${axis}" is not an axis of this matrix (${axisNames.join(', ')}).`);
      if (!known.values.has(value)) throw new Error(`${where(`exclude[${i}].${axis}`)}: "${value}" is not a value of axis ${axis} (${[...known.values.keys()].join(', ')}).`);
    }
    cells = cells.filter((cell) => !pairs.every(([axis, value]) => cell.values[axis] === value));
  });

  (spec.include ?? []).forEach((entry, i) => {
    const values: Record<string, string> = {};
    const settings: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (axisNames.includes(key)) {
        if (typeof value !== 'string' || !AXIS_VALUE.test(value)) throw new Error(`${where(`include[${i}].${key}`)}: ${JSON.stringify(value)} is not an axis value (letters, digits, ".", "_", "-").`);
        values[key] = value;
      } else if ((SETTING_KEYS as readonly string[]).includes(key)) {
        settings[key] = value;
      } else {
        throw new Error(`${where(`include[${i}].${key}`)}: "${key}" is neither an axis of this matrix (${axisNames.join(', ')}) nor a setting (${SETTING_KEYS.join(', ')}).`);
      }
    }
    const missing = axisNames.filter((axis) => !(axis in values));
    if (missing.length > 0) throw new Error(`${where(`include[${i}]`)}: an include names one cell, so it gives every axis a value; missing: ${missing.join(', ')}.`);
    const checked = check(settingsSchema, settings, `include[${i}]`);
    const existing = cells.find((cell) => axisNames.every((axis) => cell.values[axis] === values[axis]));
    if (existing) existing.extra.push(checked);
    else cells.push({ values, extra: [checked] });
  });
  if (cells.length === 0) throw new Error(`${where('exclude')}: every cell is excluded; remove an exclude or add a value.`);

  const template = spec.name ?? ['{project}', ...axisNames.map((a) => `{${a}}`)].join('-');
  for (const [, token] of template.matchAll(TOKEN)) {
    if (token !== 'project' && !axisNames.includes(token)) throw new Error(`${where('name')}: "${template}" uses {${token}}, which is not {project} or an axis (${axisNames.join(', ')}).`);
  }

  const byName = new Map<string, Record<string, string>>();
  const resolved = cells.map(({ values, extra }) => {
    const fill = (text: string) => text.replace(TOKEN, (whole, token: string) => (token === 'project' ? project : (values[token] ?? whole)));
    const name = fill(template);
    const cellKey = JSON.stringify(values);
    if (!CELL_NAME.test(name)) throw new Error(`${where('name')}: "${template}" gives "${name}" for ${cellKey}, which is not a valid project and image name (lowercase letters, digits, separated by ".", "_" or "-").`);
    const other = byName.get(name);
    if (other) throw new Error(`${where('name')}: "${template}" gives "${name}" to two cells, ${JSON.stringify(other)} and ${cellKey}; add the axis that tells them apart to the template.`);
    byName.set(name, values);

    const layers: Array<[string, VariantSettings]> = [
      ['', spec],
      ...axes.map(({ axis, values: settings }): [string, VariantSettings] => [`axes.${axis}.${values[axis]}`, settings.get(values[axis]) ?? {}]),
      ...extra.map((settings, i): [string, VariantSettings] => [`include[${i}]`, settings]),
    ];
    const cell: VariantCell = { name, values, buildArgs: {}, cppFlags: [], image: `localhost/${name}`, options: {} };
    for (const [key, layer] of layers) {
      const at = (setting: string) => where(key ? `${key}.${setting}` : setting);
      if (layer.buildArgs) Object.assign(cell.buildArgs, checkedRecord(Object.fromEntries(Object.entries(layer.buildArgs).map(([k, v]) => [k, fill(v)])), at('buildArgs'), ARG_NAME));
      if (layer.cppFlags) cell.cppFlags.push(...assertCppFlags(layer.cppFlags.map(fill), at('cppFlags')));
      if (layer.target !== undefined) {
        cell.target = fill(layer.target);
        if (!STAGE_NAME.test(cell.target)) throw new Error(`${at('target')}: "${cell.target}" is not a stage name (letters, digits, ".", "_", "-").`);
      }
      if (layer.image !== undefined) {
        cell.image = fill(layer.image);
        assertImageReference(cell.image, at('image'), { allowTag: false });
      }
      if (layer.tags) {
        cell.tags = layer.tags.map(fill);
        for (const tag of cell.tags) assertTagTemplate(tag, at('tags'));
      }
      if (layer.formats) {
        const unknown = layer.formats.find((f) => !isImageType(f));
        if (unknown !== undefined) throw new Error(`${at('formats')}: "${unknown}" is not a disk format bootc-convert builds (see its types option).`);
        cell.formats = [...layer.formats];
      }
      if (layer.platforms) cell.platforms = layer.platforms.map(fill);
      if (layer.runner) {
        cell.runner = layer.runner.map(fill);
        const bad = cell.runner.find((label) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(label));
        if (bad !== undefined) throw new Error(`${at('runner')}: "${bad}" is not a runner label (letters, digits, ".", "_", "-"), e.g. "ubuntu-24.04-arm".`);
      }
      for (const [target, options] of Object.entries(layer.options ?? {})) cell.options[target] = { ...cell.options[target], ...options };
    }
    return cell;
  });

  // Two cells writing one image reference would overwrite each other's pushes (and a FROM could not tell them apart).
  const owners = new Map<string, VariantCell>();
  for (const cell of resolved) {
    for (const tag of cell.tags ?? ['latest']) {
      const ref = `${cell.image}:${tag.replace(/\{projectName\}/g, cell.name)}`;
      const other = owners.get(ref);
      if (other) {
        throw new Error(`${where('tags')}: ${other.name} and ${cell.name} would both be tagged ${ref}; give each variant its own image or a tag naming its axes (e.g. "{${axisNames.find((a) => other.values[a] !== cell.values[a]) ?? axisNames[0]}}").`);
      }
      owners.set(ref, cell);
    }
  }
  return resolved;
}

