import type { z } from 'zod';
import { DEFAULT_IMAGE_TYPE, IMAGE_TYPE_NAMES, type ImageType } from '../image-types';
import { parseToml, TomlError } from '../../utils/toml';
import { issueMessage } from './describe';
import { scanJson } from './json-scan';
import { lineOf, tomlKeyLines, type KeyLines } from './key-lines';
import { CONFIG_RULES } from './rules';
import { BUILDER_CONFIG_SCHEMAS, CUSTOMIZATION_KEYS, LENIENT_TABLES, type BlueprintFields, type ConfigFormat, type Customizations } from './schema';

/**
 * Reads a build config as bootc-image-builder does (parseBuilderConfig: the decoder, the same for
 * every image type) and checks it for the chosen types (validateBuilderConfig: the rules of
 * rules.ts, run only for the types whose build path runs them), with the builder's severities:
 * what it refuses is an error, what it accepts but ignores or warns about is a warning.
 */

export interface ConfigProblem {
  /** The config file as given to parseBuilderConfig, e.g. `images/kiosk/config.toml`. */
  file: string;
  /** Where in the document, e.g. `customizations.filesystem[1].mountpoint`; '' for the whole file. */
  keyPath: string;
  /** 1-based, where known. */
  line?: number;
  /** 1-based; syntax errors only. */
  column?: number;
  /** Starts with the key path and says what is allowed. */
  message: string;
  /**
   * `syntax`: the file does not parse; `invalid`: the builder would refuse it; `ignored`: the
   * builder accepts it but ignores it (for the chosen types, or always) or warns about it.
   */
  kind: 'syntax' | 'invalid' | 'ignored';
}

/** A build config that the builder would read. */
export interface BuilderConfig {
  file: string;
  format: ConfigFormat;
  /** What the builder applies; `{}` when the file has none. */
  customizations: Customizations;
  /** The blueprint's other top-level keys (name, packages, ...). */
  blueprint: BlueprintFields;
  /** A config.json that still wraps everything in the pre-2024 top-level "blueprint" key. */
  legacyBlueprint: boolean;
  /** Line of each key path as written in the file. */
  lines: KeyLines;
  /** What the decoder accepts but ignores or deprecates, whatever the types (validateBuilderConfig reports them). */
  decodeWarnings: ConfigProblem[];
}

export interface ValidateOptions {
  /** The types the builder will produce; empty means its default, qcow2. */
  types: readonly ImageType[];
  /** The root filesystem type, when known (the builder's --rootfs or the base image's default). */
  rootfs?: 'ext4' | 'xfs' | 'btrfs';
}

/**
 * Reads a build config as the builder's decoder does: TOML, or JSON for a `.json` file. Every
 * key or value it refuses is an error; what it accepts but drops or deprecates (unknown keys of
 * the lenient tables, TOML `size`) ends up in `decodeWarnings`, which validateBuilderConfig reports.
 */
export function parseBuilderConfig(file: string, content: string): { config?: BuilderConfig; errors: ConfigProblem[] } {
  const format: ConfigFormat = file.endsWith('.json') ? 'json' : 'toml';
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(content) : parseToml(content);
  } catch (error) {
    return { errors: [syntaxProblem(file, format, content, error)] };
  }
  const lines = format === 'json' ? scanJson(content).lines : tomlKeyLines(content);
  const problem = (keyPath: string, message: string, kind: ConfigProblem['kind'] = 'invalid'): ConfigProblem => ({
    file,
    keyPath,
    line: keyPath ? lineOf(lines, keyPath) : undefined,
    message: `${keyPath || file} ${message}`,
    kind,
  });
  const legacyBlueprint = format === 'json' && isTable(data) && data.blueprint !== undefined && data.blueprint !== null;
  if (legacyBlueprint) {
    // The builder then reads only "blueprint" and silently drops every other top-level key.
    const dropped = Object.keys(data as object).filter((key) => key !== 'blueprint');
    if (dropped.length > 0) {
      return { errors: dropped.map((key) => problem(key, 'is ignored because the file has a top-level "blueprint" key: move everything to the top level and drop the "blueprint" wrapper')) };
    }
    data = (data as { blueprint: unknown }).blueprint;
  }
  const prefix = legacyBlueprint ? ['blueprint'] : [];
  const decoded = decode(format, data);
  if (!decoded.success) {
    return { errors: byLine(decoded.issues.flatMap((issue) => issueProblems(issue, prefix, format, problem))) };
  }
  const { customizations = {}, ...blueprint } = decoded.data;
  const ignoredKeys = decoded.ignoredKeys.flatMap((issue) => issue.keys.map((key) => problem(keyPathOf([...prefix, ...issue.path, key]), ignoredKeyMessage(issue, key, format), 'ignored')));
  const decodeWarnings = [...ignoredKeys, ...deprecatedSizes(data, format).map((path) => problem(keyPathOf([...prefix, ...path]), SIZE_ALIAS, 'ignored'))];
  return { config: { file, format, customizations, blueprint, legacyBlueprint, lines, decodeWarnings }, errors: [] };
}

/** What the builder would refuse or ignore for these types and root filesystem. */
export function validateBuilderConfig(config: BuilderConfig, { types, rootfs }: ValidateOptions): { errors: ConfigProblem[]; warnings: ConfigProblem[] } {
  const keyPath = (path: string) => `${config.legacyBlueprint ? 'blueprint.' : ''}${path}`;
  const problem = (path: string, message: string, kind: ConfigProblem['kind']): ConfigProblem => ({
    file: config.file,
    keyPath: keyPath(path),
    line: lineOf(config.lines, keyPath(path)),
    message: `${keyPath(path)} ${message}`,
    kind,
  });
  const chosen = types.length > 0 ? types : [DEFAULT_IMAGE_TYPE];
  const input = { customizations: config.customizations, blueprint: config.blueprint, rootfs };
  const errors: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [...config.decodeWarnings];
  for (const rule of CONFIG_RULES) {
    const scope = chosen.filter((type) => rule.types.includes(type));
    if (scope.length === 0) continue;
    // A check that only some types run says for which of the chosen ones the builder fails.
    const suffix = rule.severity === 'error' && rule.types.length < IMAGE_TYPE_NAMES.length ? ` (bootc-image-builder refuses this for ${list(scope)})` : '';
    for (const { path, message } of rule.check(input, scope)) {
      if (rule.severity === 'error') errors.push(problem(path, `${message}${suffix}`, 'invalid'));
      else warnings.push(problem(path, message, 'ignored'));
    }
  }
  return { errors: byLine(errors), warnings: byLine(warnings) };
}

type Issue = z.core.$ZodIssue;
type UnknownKeys = Extract<Issue, { code: 'unrecognized_keys' }>;

const isIgnoredKeys = (issue: Issue): issue is UnknownKeys => issue.code === 'unrecognized_keys' && LENIENT_TABLES.some(({ table }) => table.test(keyPathOf(issue.path)));

/**
 * Decodes as the builder does: unknown keys of the lenient tables are dropped (and returned), every
 * other issue fails. Refinements run only on tables without issues, hence the second pass.
 */
function decode(format: ConfigFormat, data: unknown) {
  const schema = BUILDER_CONFIG_SCHEMAS[format];
  const ignoredKeys: UnknownKeys[] = [];
  let input = data;
  // Each pass drops the ignored keys found so far; nested lenient tables can take a pass each.
  for (let pass = 1; ; pass++) {
    const parsed = schema.safeParse(input, { error: issueMessage });
    if (parsed.success) return { success: true as const, data: parsed.data, ignoredKeys };
    const ignored = parsed.error.issues.filter(isIgnoredKeys);
    const issues = parsed.error.issues.filter((issue) => !isIgnoredKeys(issue));
    if (issues.length > 0 || ignored.length === 0 || pass > LENIENT_TABLES.length) return { success: false as const, issues: issues.length > 0 ? issues : ignored, ignoredKeys };
    ignoredKeys.push(...ignored);
    input = structuredClone(input);
    for (const issue of ignored) {
      const table = issue.path.reduce<unknown>((value, part) => (value as Record<PropertyKey, unknown>)[part], input) as Record<string, unknown>;
      for (const key of issue.keys) delete table[key];
    }
  }
}

// TOML only: the deprecated `size` of filesystem entries (filesystem_customizations.go:34-85).
const SIZE_ALIAS = 'is the deprecated alias of minsize: bootc-image-builder still reads it in config.toml, but rename it to minsize (config.json has no such alias)';

function deprecatedSizes(data: unknown, format: ConfigFormat): Array<Array<string | number>> {
  if (format !== 'toml' || !isTable(data) || !isTable(data.customizations) || !Array.isArray(data.customizations.filesystem)) return [];
  return data.customizations.filesystem.flatMap((entry, i) => (isTable(entry) && entry.size !== undefined ? [['customizations', 'filesystem', i, 'size']] : []));
}

function ignoredKeyMessage(issue: UnknownKeys, key: string, format: ConfigFormat): string {
  const where = keyPathOf(issue.path);
  let hint = 'a typo?';
  if (/^customizations\.files\[\d+\]$/.test(where) && key === 'ensure_parents') hint = 'ensure_parents is a key of customizations.directories only';
  if (/^customizations\.filesystem\[\d+\]$/.test(where) && key === 'size' && format === 'json') hint = 'in config.json, size is no alias of minsize: write minsize';
  return `is not a key of this table, so bootc-image-builder silently ignores it (${hint}); ${issue.message}`;
}

function issueProblems(
  issue: Issue,
  prefix: string[],
  format: ConfigFormat,
  problem: (keyPath: string, message: string) => ConfigProblem,
): ConfigProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'unrecognized_keys') return [problem(keyPathOf(path), issue.message)];
  return issue.keys.map((key) => problem(keyPathOf([...path, key]), `is not a key bootc-image-builder accepts${unknownKeyHint(issue.path, key, format)}; ${issue.message}`));
}

// Why a key the decoder refuses ("unknown keys found", sources.ts CONFIG_LOADER) is not where it belongs.
function unknownKeyHint(parent: PropertyKey[], key: string, format: ConfigFormat): string {
  const where = parent.map(String).join('.');
  if (where === '' && key === 'blueprint' && format === 'toml') return ' (the legacy "blueprint" wrapper works only in config.json: move [blueprint.customizations...] tables to [customizations...])';
  if (where === '' && (CUSTOMIZATION_KEYS as readonly string[]).includes(key)) return ` at the top level (it is a customization: put it under [customizations], as customizations.${key})`;
  if (where === 'customizations.installer' && key === 'menu-timeout') {
    return ' (the boot menu timeout is customizations.installer.bootloader.grub2.menu-timeout, which bootc installer ISOs ignore)';
  }
  if (where === 'customizations.sshd' && key === 'challenge_response_authentication') return ' (blueprint calls it kbd_interactive_authentication)';
  return '';
}

/** `images/kiosk/config.toml:12: customizations.user[0].name is required`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const position = problem.line === undefined ? '' : `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${problem.file}${position}: ${problem.message}`;
}

function keyPathOf(path: PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), '');
}

function syntaxProblem(file: string, format: 'toml' | 'json', content: string, error: unknown): ConfigProblem {
  if (format === 'toml') {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return { file, keyPath: '', line: error.line, column: error.column, message: `${file} is not valid TOML: ${reason}.`, kind: 'syntax' };
  }
  if (!(error instanceof SyntaxError)) throw error;
  // V8 words the reason well but gives a position only for some errors; the scan finds it for all.
  const offset = scanJson(content).errorAt ?? content.length;
  const before = content.slice(0, offset).split('\n');
  const reason = error.message.replace(/\s+in JSON at position \d+.*$/s, '').replace(/,\s*(?:\.\.\.)?".*$/s, '');
  return { file, keyPath: '', line: before.length, column: before[before.length - 1].length + 1, message: `${file} is not valid JSON: ${reason}.`, kind: 'syntax' };
}

// In document order; problems without a line last, in the order found.
function byLine(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
