import type { z } from 'zod';
import { DEFAULT_IMAGE_TYPE, type ImageType } from '../image-types';
import { parseToml, TomlError } from '../../utils/toml';
import { issueMessage } from './describe';
import { ignoredCustomizations } from './ignored';
import { scanJson } from './json-scan';
import { lineOf, tomlKeyLines, type KeyLines } from './key-lines';
import { btrfsMountpointProblem } from './policies';
import { builderConfigSchema, type Customizations } from './schema';

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
  /** `syntax`: the file does not parse; `invalid`: the builder would refuse it; `ignored`: the chosen types ignore it. */
  kind: 'syntax' | 'invalid' | 'ignored';
}

/** A build config that the builder would read. */
export interface BuilderConfig {
  file: string;
  format: 'toml' | 'json';
  /** What the builder applies; `{}` when the file has none. */
  customizations: Customizations;
  /** A config.json that still wraps everything in the pre-2024 top-level "blueprint" key. */
  legacyBlueprint: boolean;
  /** Line of each key path as written in the file. */
  lines: KeyLines;
}

export interface ValidateOptions {
  /** The types the builder will produce; empty means its default, qcow2. */
  types: readonly ImageType[];
  /** The root filesystem type, when known (the builder's --rootfs or the base image's default). */
  rootfs?: 'ext4' | 'xfs' | 'btrfs';
}

// Top-level keys of a full blueprint that bootc-image-builder has no use for in a bootc image.
const BLUEPRINT_KEYS = ['name', 'description', 'version', 'packages', 'modules', 'enabled_modules', 'groups', 'containers', 'distro', 'architecture', 'minimal'];
// Blueprint customizations that exist for package-based images only.
const PACKAGE_IMAGE_CUSTOMIZATIONS = [
  'hostname', 'sshkey', 'timezone', 'locale', 'firewall', 'services', 'installation_device', 'partitioning_mode', 'fdo',
  'openscap', 'repositories', 'rpm', 'rhsm', 'cacerts', 'containers-storage', 'firstboot', 'dnf',
];

/** Reads a build config as the builder does: TOML, or JSON for a `.json` file; every refused key is an error. */
export function parseBuilderConfig(file: string, content: string): { config?: BuilderConfig; errors: ConfigProblem[] } {
  const format = file.endsWith('.json') ? 'json' : 'toml';
  let data: unknown;
  try {
    data = format === 'json' ? JSON.parse(content) : parseToml(content);
  } catch (error) {
    return { errors: [syntaxProblem(file, format, content, error)] };
  }
  const lines = format === 'json' ? scanJson(content).lines : tomlKeyLines(content);
  const problem = (keyPath: string, message: string): ConfigProblem => ({
    file,
    keyPath,
    line: keyPath ? lineOf(lines, keyPath) : undefined,
    message: `${keyPath || file} ${message}`,
    kind: 'invalid',
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
  const parsed = builderConfigSchema.safeParse(data, { error: issueMessage });
  if (!parsed.success) {
    return { errors: byLine(parsed.error.issues.flatMap((issue) => issueProblems(issue, prefix, format, problem))) };
  }
  return { config: { file, format, customizations: parsed.data.customizations ?? {}, legacyBlueprint, lines }, errors: [] };
}

/** What the builder would refuse or ignore for these types and root filesystem. */
export function validateBuilderConfig(config: BuilderConfig, { types, rootfs }: ValidateOptions): { errors: ConfigProblem[]; warnings: ConfigProblem[] } {
  const keyPath = (path: string) => `${config.legacyBlueprint ? 'blueprint.' : ''}customizations.${path}`;
  const problem = (path: string, message: string, kind: ConfigProblem['kind']): ConfigProblem => ({
    file: config.file,
    keyPath: keyPath(path),
    line: lineOf(config.lines, keyPath(path)),
    message: `${keyPath(path)} ${message}`,
    kind,
  });
  const errors: ConfigProblem[] = [];
  if (rootfs === 'btrfs') {
    config.customizations.filesystem?.forEach(({ mountpoint }, i) => {
      const message = btrfsMountpointProblem(mountpoint);
      if (message) errors.push(problem(`filesystem[${i}].mountpoint`, message, 'invalid'));
    });
  }
  const chosen = types.length > 0 ? types : [DEFAULT_IMAGE_TYPE];
  const warnings = ignoredCustomizations(config.customizations, chosen).map(({ path, message }) => problem(path, message, 'ignored'));
  return { errors, warnings: byLine(warnings) };
}

/** `images/kiosk/config.toml:12: customizations.user[0].name is required`. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const position = problem.line === undefined ? '' : `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${problem.file}${position}: ${problem.message}`;
}

function issueProblems(
  issue: z.core.$ZodIssue,
  prefix: string[],
  format: 'toml' | 'json',
  problem: (keyPath: string, message: string) => ConfigProblem,
): ConfigProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'unrecognized_keys') return [problem(keyPathOf(path), issue.message)];
  return issue.keys.map((key) => problem(keyPathOf([...path, key]), `is not a key bootc-image-builder accepts${unknownKeyHint(issue.path, key, format)}; ${issue.message}`));
}

function unknownKeyHint(parent: PropertyKey[], key: string, format: 'toml' | 'json'): string {
  const where = parent.map(String).join('.');
  if (where === '' && key === 'blueprint' && format === 'toml') return ' (the legacy "blueprint" wrapper works only in config.json: move [blueprint.customizations...] tables to [customizations...])';
  if (where === '' && BLUEPRINT_KEYS.includes(key)) return ' (a blueprint key the builder has no use for with a bootc image: install packages in the Containerfile)';
  if (where === 'customizations' && PACKAGE_IMAGE_CUSTOMIZATIONS.includes(key)) {
    return ' for bootc images (a customization of package-based images: set it up in the Containerfile instead)';
  }
  if (/^customizations\.filesystem\.\d+$/.test(where) && key === 'size') return ' (the old name of minsize: rename it)';
  return '';
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
