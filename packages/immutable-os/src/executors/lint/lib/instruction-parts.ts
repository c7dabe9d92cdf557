import type { Instruction } from 'dockerfile-ast';
import type { Position } from './rules';
import { normalizePath } from './shell-effects';

export interface RunMount {
  /** `bind` when the mount names no type. */
  type: string;
  target?: string;
  /** A bind mount's `source` (`src`), and the stage, image or build context it comes `from`. */
  source?: string;
  from?: string;
}

export interface CopyArguments {
  sources: string[];
  destination?: string;
  /** `--from=<stage or image>`: the sources are not in the build context. */
  from?: string;
}

type Flag = { getName(): string; getValue(): string | null; getOptions(): Array<{ getName(): string; getValue(): string | null }> };

const SHELL = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|a|z)?sh$/;
const HEREDOC_MARKER = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/;

/** The 1-based line and column where an instruction starts. */
export function instructionPosition(instruction: Instruction): Position {
  const start = instruction.getInstructionRange().start;
  return { line: start.line + 1, column: start.character + 1 };
}

function flags(instruction: Instruction): Flag[] {
  const withFlags = instruction as Instruction & { getFlags?: () => Flag[] };
  return withFlags.getFlags?.() ?? [];
}

/**
 * The shell script a RUN executes: the shell form as written, the `-c` script of an exec form
 * that calls a shell (other exec forms quoted back into one command), or the body of a
 * here-document fed to the shell (`RUN <<EOF` or `RUN <<EOF bash`).
 */
export function runScript(instruction: Instruction): string {
  const content = instruction.getArgumentsContent() ?? '';
  const argv = execForm(content);
  if (argv) {
    const dashC = argv.findIndex((a, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(a));
    if (SHELL.test(argv[0] ?? '') && dashC !== -1 && argv[dashC + 1] !== undefined) return argv[dashC + 1];
    return argv.map(shellQuote).join(' ');
  }
  const newline = content.indexOf('\n');
  const firstLine = newline === -1 ? content : content.slice(0, newline);
  const marker = HEREDOC_MARKER.exec(firstLine);
  if (!marker || newline === -1) return content;
  const command = firstLine.replace(marker[0], '').trim();
  const shellCommand = command === '' || SHELL.test(command.split(/\s+/)[0]);
  if (!shellCommand) return content;
  const lines = content.slice(newline + 1).split('\n');
  const end = lines.findIndex((line) => (marker[1] ? line.replace(/^\t+/, '') : line) === marker[3]);
  const body = end === -1 ? lines : lines.slice(0, end);
  const rest = end === -1 ? [] : lines.slice(end + 1);
  return [...body, ...rest].join('\n');
}

/** The `--mount` flags of a RUN with their type and target (`target`, `dst` or `destination`). */
export function runMounts(instruction: Instruction): RunMount[] {
  return flags(instruction)
    .filter((flag) => flag.getName() === 'mount')
    .map((flag) => {
      const options = new Map(flag.getOptions().map((o) => [o.getName().toLowerCase(), o.getValue() ?? ''] as const));
      const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
      const source = options.get('source') ?? options.get('src');
      const from = options.get('from');
      return {
        type: options.get('type') ?? 'bind',
        ...(target ? { target: normalizePath(target) } : {}),
        ...(source !== undefined ? { source } : {}),
        ...(from ? { from } : {}),
      };
    });
}

/** Sources and destination of a COPY or ADD, in shell, exec (JSON) or here-document form. */
export function copyArguments(instruction: Instruction): CopyArguments {
  const content = instruction.getArgumentsContent() ?? '';
  const from = flags(instruction).find((flag) => flag.getName() === 'from')?.getValue() ?? undefined;
  const words =
    execForm(content) ??
    (content.includes('\n') && HEREDOC_MARKER.test(content)
      ? content.slice(0, content.indexOf('\n')).split(/\s+/).filter(Boolean)
      : instruction.getArguments().map((a) => a.getValue()));
  const destination = words.at(-1);
  const sources = words.slice(0, -1).filter((word) => !HEREDOC_MARKER.test(word));
  return { sources, ...(destination !== undefined ? { destination } : {}), ...(from !== undefined ? { from } : {}) };
}

/** The here-documents of a `COPY <<EOF /dest` (each a file named by its delimiter), with their text. */
export function copyHeredocs(instruction: Instruction): Array<{ name: string; body: string }> {
  const content = instruction.getArgumentsContent() ?? '';
  const newline = content.indexOf('\n');
  if (newline === -1) return [];
  const markers = [...content.slice(0, newline).matchAll(new RegExp(HEREDOC_MARKER.source, 'g'))];
  const lines = content.slice(newline + 1).split('\n');
  const docs: Array<{ name: string; body: string }> = [];
  let at = 0;
  for (const marker of markers) {
    const end = lines.findIndex((line, index) => index >= at && (marker[1] ? line.replace(/^\t+/, '') : line) === marker[3]);
    const body = lines.slice(at, end === -1 ? lines.length : end).map((line) => (marker[1] ? line.replace(/^\t+/, '') : line));
    docs.push({ name: marker[3], body: body.length > 0 ? `${body.join('\n')}\n` : '' });
    at = end === -1 ? lines.length : end + 1;
  }
  return docs;
}

function execForm(content: string): string[] | undefined {
  if (!content.trimStart().startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(content);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
