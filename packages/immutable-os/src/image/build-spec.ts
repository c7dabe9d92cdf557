/**
 * What a project builds: the one answer bootc-build, bootc-lint and the graph plugin all read.
 *
 * From bootc-build's options (as Nx merges them: targetDefaults, project.json, the command line)
 * and the project's folder, `resolveBuildSpec` decides which file is built (the `containerfile`
 * option, else the first of CONTAINERFILE_NAMES in the project root), runs a Containerfile.in
 * through cpp exactly as podman and buildah do, and checks the build args, cpp flags and target
 * stage. The build passes the same file, args and flags to the engine; lint and the graph parse
 * the same text with the same args, so none of them can disagree about what gets built.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseContainerfile, type ParsedContainerfile } from '../utils/containerfile';
import { isPreprocessed, preprocessContainerfile, type PreprocessedContainerfile } from '../utils/preprocess';
import { resolveWorkspacePath, workspaceRelative } from '../utils/workspace-path';

/** The executor of bootc-build: a project's build target is the one running it, whatever it is named. */
export const BUILD_EXECUTOR = 'immutable-os:build';

interface TargetsLike {
  targets?: Record<string, { executor?: string; options?: unknown } | undefined>;
}

/** Whether the project has a target running bootc-build's executor. */
export function hasBuildTarget(project: TargetsLike | undefined): boolean {
  return Object.values(project?.targets ?? {}).some((target) => target?.executor === BUILD_EXECUTOR);
}

/** The options of the project's bootc-build target as Nx merged them (targetDefaults, project.json); {} without one. */
export function buildTargetOptions(project: TargetsLike | undefined): BuildSpecOptions {
  const target = Object.values(project?.targets ?? {}).find((t) => t?.executor === BUILD_EXECUTOR);
  const options = target?.options;
  return options && typeof options === 'object' ? (options as BuildSpecOptions) : {};
}

/** The file names that make a folder's image project, in the order one is chosen when several exist. */
export const CONTAINERFILE_NAMES = ['Containerfile', 'Containerfile.in', 'Dockerfile', 'Dockerfile.in'] as const;

/** The bootc-build options that decide what is built. */
export interface BuildSpecOptions {
  containerfile?: unknown;
  context?: unknown;
  /** Named build contexts (name → folder); the build resolves them, bootc-lint reads COPY --from and RUN mounts of them. */
  buildContexts?: unknown;
  buildArgs?: unknown;
  target?: unknown;
  cppFlags?: unknown;
}

export interface BuildSpecInput {
  workspaceRoot: string;
  /** Workspace-relative, as in the project configuration. */
  projectRoot: string;
  /** A variant's own root: paths under it mean the same paths under projectRoot (see image/variants.ts). */
  viewRoot?: string;
  options: BuildSpecOptions;
  /** The option names errors use, e.g. "bootc-build option" (default: the bare name). */
  optionPrefix?: string;
  /**
   * cpp's results the caller keeps across calls (by file, text, flags and context): the variants of
   * one family differ in build args, which cpp never sees, so they share one run (the graph passes one).
   */
  cppRuns?: Map<string, PreprocessedContainerfile>;
}

export interface BuildSpec {
  /** The file the engine is given, absolute. */
  containerfile: string;
  /** The same, workspace-relative (for messages and records). */
  file: string;
  /** A Containerfile.in: the engine runs it through cpp with `cppFlags`. */
  preprocessed: boolean;
  cppFlags: string[];
  /** The file as written. */
  source: string;
  /** What the engine parses: the source, or cpp's output for a Containerfile.in. */
  content: string;
  /** For a Containerfile.in: where each line of `content` came from, the files it includes, cpp's warnings. */
  cpp?: PreprocessedContainerfile;
  /** The build context, absolute. */
  context: string;
  buildArgs: Record<string, string>;
  target?: string;
}

/** A build arg (and secret id) name. */
export const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const CPP_FLAG = /^(?:-D[A-Za-z_][A-Za-z0-9_]*(?:=.*)?|-U[A-Za-z_][A-Za-z0-9_]*)$/;
export const STAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The Containerfile a project root holds, by CONTAINERFILE_NAMES order; undefined when none. */
export function findContainerfile(workspaceRoot: string, projectRoot: string): string | undefined {
  for (const name of CONTAINERFILE_NAMES) {
    const path = join(workspaceRoot, projectRoot, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Resolves what the project builds; an error names the option, the value and the fix. */
export function resolveBuildSpec({ workspaceRoot, projectRoot, viewRoot, options, optionPrefix, cppRuns }: BuildSpecInput): BuildSpec {
  const name = (option: string) => (optionPrefix ? `${optionPrefix} ${option}` : option);
  const roots = { workspaceRoot, projectRoot, ...(viewRoot ? { viewRoot } : {}) };
  const containerfile =
    options.containerfile === undefined || options.containerfile === ''
      ? (findContainerfile(workspaceRoot, projectRoot) ?? join(workspaceRoot, projectRoot, CONTAINERFILE_NAMES[0]))
      : resolveWorkspacePath(asString(options.containerfile, name('containerfile')), roots, name('containerfile'));
  const file = workspaceRelative(containerfile, workspaceRoot);
  if (!existsSync(containerfile) || !statSync(containerfile).isFile()) {
    const others = options.containerfile ? '' : ` (or ${CONTAINERFILE_NAMES.slice(1).join(', ')})`;
    throw new Error(`${name('containerfile')}: ${file} does not exist. Create it${others} (nx g immutable-os:image writes one) or point the containerfile option at it.`);
  }
  const context = resolveWorkspacePath(options.context === undefined ? '{projectRoot}' : asString(options.context, name('context')), roots, name('context'));
  const buildArgs = checkedRecord(options.buildArgs, name('buildArgs'));
  const cppFlags = checkedList(options.cppFlags, name('cppFlags'));
  assertCppFlags(cppFlags, name('cppFlags'));
  const preprocessed = isPreprocessed(containerfile);
  if (cppFlags.length > 0 && !preprocessed) {
    throw new Error(`${name('cppFlags')}: ${file} is not a Containerfile.in, so the engine does not run cpp and the flags ${cppFlags.join(' ')} would do nothing. Rename it to ${file}.in or remove cppFlags.`);
  }
  const target = options.target === undefined || options.target === '' ? undefined : asString(options.target, name('target'));
  if (target !== undefined && !STAGE_NAME.test(target)) throw new Error(`${name('target')}: "${target}" is not a stage name (letters, digits, ".", "_", "-").`);

  const source = readFileSync(containerfile, 'utf8');
  let cpp: PreprocessedContainerfile | undefined;
  if (preprocessed) {
    const key = JSON.stringify([file, context, cppFlags, source]);
    cpp = cppRuns?.get(key) ?? preprocessContainerfile({ file, content: source, workspaceRoot, contextDir: context, cppFlags });
    cppRuns?.set(key, cpp);
  }
  return { containerfile, file, preprocessed, cppFlags, source, content: cpp?.text ?? source, ...(cpp ? { cpp } : {}), context, buildArgs, ...(target ? { target } : {}) };
}

/** The spec's Containerfile parsed with its build args: the stages and images the engine will see. */
export function parseBuildSpec(spec: Pick<BuildSpec, 'content' | 'buildArgs'>): ParsedContainerfile {
  return parseContainerfile(spec.content, spec.buildArgs);
}

/** Where a line of the parsed content came from: the file and line as written (a Containerfile.in's include, or the file itself). */
export function sourceLine(spec: Pick<BuildSpec, 'file' | 'cpp'>, line: number): { file: string; line: number } {
  return spec.cpp?.origins[line - 1] ?? { file: spec.file, line };
}

function asString(value: unknown, option: string): string {
  if (typeof value !== 'string') throw new Error(`${option}: expected a string, got ${JSON.stringify(value)} (${typeof value}).`);
  return value;
}

/** An option of NAME: value strings, checked: keys against `key`, values one line; the error names the option and the value. */
export function checkedRecord(value: unknown, option: string, key: RegExp = ARG_NAME, what = 'a build arg name (letters, digits, _)'): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${option}: expected an object of NAME: value, got ${JSON.stringify(value)}.`);
  const result: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!key.test(name)) throw new Error(`${option}: "${name}" is not ${what}.`);
    if (typeof v !== 'string') throw new Error(`${option}.${name}: expected a string, got ${JSON.stringify(v)} (${typeof v}).`);
    if (/[\r\n\0]/.test(v)) throw new Error(`${option}.${name}: the value contains a newline or NUL byte, which the engine cannot pass on; remove it.`);
    result[name] = v;
  }
  return result;
}

/** The flags, each checked to be a cpp define (-DNAME, -DNAME=value, -UNAME); the error names the option. */
export function assertCppFlags(flags: string[], option: string): string[] {
  for (const flag of flags) {
    if (!CPP_FLAG.test(flag) || /[\r\n\0]/.test(flag)) {
      throw new Error(`${option}: "${flag}" is not a cpp define; use -DNAME, -DNAME=value or -UNAME (what podman's --cpp-flag takes for a Containerfile.in).`);
    }
  }
  return flags;
}

function checkedList(value: unknown, option: string): string[] {
  if (value === undefined || value === null) return [];
  // One flag from the command line (--cppFlags=-DNVIDIA); a define's value may hold commas, so a string is never split.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) throw new Error(`${option}: expected a list of strings, got ${JSON.stringify(value)}.`);
  return list as string[];
}
