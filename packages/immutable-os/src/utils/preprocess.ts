import { spawnSync } from 'node:child_process';
import { isAbsolute, join, relative, sep } from 'node:path';

/**
 * Containerfile.in: a Containerfile that podman and buildah run through the C preprocessor
 * before they parse it. This runs cpp exactly as buildah does (containers/buildah
 * imagebuildah/build.go, preprocessContainerfileContents): `cpp -E -iquote <context> -traditional
 * -undef <flags> -` with the file on standard input, from the directory the engine runs in (the
 * workspace root: `#include "x"` looks there first, then in the context). So bootc-lint, the graph
 * and a docker build (docker has no preprocessor) see the text podman builds.
 */
export const CPP_ARGS = (contextDir: string, flags: readonly string[]): string[] => ['-E', '-iquote', contextDir, '-traditional', '-undef', ...flags, '-'];

/** Whether the engine preprocesses this file (its name ends in .in, as buildah decides). */
export function isPreprocessed(containerfile: string): boolean {
  return containerfile.endsWith('.in');
}

export interface PreprocessedContainerfile {
  /** The text the engine builds, linemarkers included (they are comments to the Containerfile parser). */
  text: string;
  /** For each line of `text` (0-based): the workspace-relative file and 1-based line it came from; undefined for cpp's own lines. */
  origins: Array<{ file: string; line: number } | undefined>;
  /** The files `#include` pulled in, workspace-relative, sorted (the Containerfile itself not included). */
  includes: string[];
  /** cpp's non-fatal complaints (e.g. a `# comment` line is an "invalid preprocessing directive"), which buildah ignores with a warning. */
  warnings: string[];
}

export interface PreprocessInput {
  /** The Containerfile.in, workspace-relative (shown in errors, and the origin of its own lines). */
  file: string;
  content: string;
  workspaceRoot: string;
  /** The build context (absolute): cpp's quote-include folder. */
  contextDir: string;
  /** cpp flags (`-DNAME`, `-DNAME=value`, `-UNAME`), the engine's --cpp-flag values. */
  cppFlags: readonly string[];
}

const CPP_INSTALL = 'Install the C preprocessor: Debian/Ubuntu apt-get install cpp, Fedora dnf install cpp, macOS xcode-select --install.';

/** Runs cpp as buildah does; fails on what stops cpp (a missing #include), keeps the rest as warnings, as buildah does. */
export function preprocessContainerfile(input: PreprocessInput): PreprocessedContainerfile {
  const result = spawnSync('cpp', CPP_ARGS(input.contextDir, input.cppFlags), {
    cwd: input.workspaceRoot,
    // Passed explicitly: process.env as this module sees it (under jest, the test's own).
    env: process.env,
    input: input.content,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // EPIPE: cpp exited before reading all of its input; its exit code and message say why.
  if (result.error && !((result.error as NodeJS.ErrnoException).code === 'EPIPE' && result.status !== null)) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? `${input.file} is a Containerfile.in, which is run through cpp (as podman and buildah do), but cpp was not found on PATH. ${CPP_INSTALL}`
        : `${input.file}: cpp could not run: ${result.error.message}`,
      { cause: result.error },
    );
  }
  const stderr = result.stderr.split('\n').filter((line) => line.trim() !== '');
  const shown = (line: string) => line.replace(/^<stdin>/, input.file);
  const fatal = stderr.filter((line) => /fatal error:/.test(line));
  if (fatal.length > 0 || (result.status !== 0 && result.stdout.trim() === '')) {
    throw new Error(`${input.file}: cpp failed (exit code ${result.status}):\n${(fatal.length > 0 ? fatal : stderr).map((l) => `  ${shown(l)}`).join('\n')}\nFix the #include or directive it names.`);
  }
  return { text: result.stdout, ...lineOrigins(result.stdout, input), warnings: stderr.filter((l) => /error:|warning:/.test(l)).map(shown) };
}

// cpp's linemarkers: `# <line> "<file>" <flags>` says the next line is <line> of <file>.
const LINEMARKER = /^# (\d+) "((?:[^"\\]|\\.)*)"((?: \d)*)\s*$/;

function lineOrigins(text: string, input: PreprocessInput): Pick<PreprocessedContainerfile, 'origins' | 'includes'> {
  const origins: PreprocessedContainerfile['origins'] = [];
  const includes = new Set<string>();
  let current: { file: string; line: number } | undefined;
  for (const line of text.split('\n')) {
    const marker = LINEMARKER.exec(line);
    if (marker) {
      origins.push(undefined);
      const name = marker[2].replace(/\\(.)/g, '$1');
      const system = marker[3].split(' ').includes('3');
      if (name.startsWith('<') || system) {
        current = name === '<stdin>' ? { file: input.file, line: Number(marker[1]) } : undefined;
        continue;
      }
      const file = workspaceFile(name, input.workspaceRoot);
      if (file !== input.file) includes.add(file);
      current = { file, line: Number(marker[1]) };
      continue;
    }
    origins.push(current ? { ...current } : undefined);
    if (current) current.line++;
  }
  return { origins, includes: [...includes].sort() };
}

// A path as cpp printed it (relative to the workspace root, where it ran, or absolute) made workspace-relative with / separators.
function workspaceFile(path: string, workspaceRoot: string): string {
  const absolute = isAbsolute(path) ? path : join(workspaceRoot, path);
  return relative(workspaceRoot, absolute).split(sep).join('/');
}
