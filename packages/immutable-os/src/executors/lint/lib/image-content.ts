import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { copyArguments, copyHeredocs, instructionPosition, runMounts, runScript, type RunMount } from './instruction-parts';
import type { ContainerfileInput, Position } from './rules';
import { commandName, normalizePath, parseArgs, shellCommands, shellEffects, type SimpleCommand } from './shell-effects';
import { finalStageChain } from './stage-chain';

/** A path the image's stages write or remove, in build order. */
export interface ContentEvent {
  /** Order among all events. */
  seq: number;
  kind: 'write' | 'remove';
  /** Absolute, normalized; a removal may hold globs (`*`, `?`, `**`). */
  path: string;
  /** What is written, where known: a COPY knows each entry, a RUN's mkdir a directory and `ln -s` a symlink. */
  type?: 'dir' | 'file' | 'symlink';
  linkTarget?: string;
  /** For messages: `COPY`, `COPY of rootfs/var`, `RUN mkdir`, `WORKDIR`. */
  via: string;
  position: Position;
  /** The mount targets of the RUN that writes: what lands there is not in the image. */
  mounts: string[];
  /** A copied regular file's size. */
  size?: number;
}

/** A file the image gets from the build context (a COPY or ADD of project files, or a COPY here-document). */
export interface CopiedFile {
  /** Where it lands in the image. */
  path: string;
  /** The context-relative source, for messages. */
  source: string;
  position: Position;
  type: 'dir' | 'file' | 'symlink';
  size: number;
  linkTarget?: string;
  /** The text of a file, read on demand. */
  read(): string;
}

/** A copied name or symlink target that is not UTF-8, as bootc's utf8 lint reports them. */
export interface NonUtf8Name {
  /** The context-relative path as far as it decodes, with the bad name shown lossily. */
  shown: string;
  what: 'name' | 'symlink target';
  position: Position;
}

export interface RunStep {
  seq: number;
  position: Position;
  instruction: Instruction;
  script: string;
  mounts: RunMount[];
  /** The script's commands, then those of the project scripts it runs (see followScripts), each naming its script. */
  commands: SimpleCommand[];
}

export interface ImageContent {
  events: ContentEvent[];
  copied: CopiedFile[];
  nonUtf8: NonUtf8Name[];
  runs: RunStep[];
}

// Enough for any project tree a Containerfile copies; a bigger one (a copied node_modules) is cut off there.
const MAX_ENTRIES = 20_000;
// By input: lint-project gives every check the same one.
const cache = new WeakMap<ContainerfileInput, ImageContent>();

/**
 * What the final stage chain (ending at `target`) puts in the image and takes out of it, in
 * order: each COPY/ADD of build-context files entry by entry (minus what .containerignore leaves
 * out), COPY here-documents, what RUN scripts visibly write and remove, WORKDIR folders. Read once
 * per input, for every check.
 */
export function imageContent(input: ContainerfileInput): ImageContent {
  const cached = cache.get(input);
  if (cached) return cached;
  const content: ImageContent = { events: [], copied: [], nonUtf8: [], runs: [] };
  const contextDir = input.contextDir ?? input.projectDir;
  let seq = 0;
  let workdir: string | undefined = '/';
  const add = (event: Omit<ContentEvent, 'seq'>) => content.events.push({ ...event, seq: seq++ });
  for (const stage of finalStageChain(input.parsed, input.target)) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      const position = instructionPosition(instruction);
      if (keyword === 'WORKDIR') {
        workdir = resolvePath(workdir, instruction.getArgumentsContent() ?? '');
        // WORKDIR creates its folder when it is missing, and the folder stays in the image.
        if (workdir !== undefined && workdir !== '/') add({ kind: 'write', path: workdir, type: 'dir', via: 'WORKDIR', position, mounts: [] });
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const { sources, destination, from } = copyArguments(instruction);
        const target = destination === undefined ? undefined : resolvePath(workdir, destination);
        if (target === undefined) continue;
        const heredocs = copyHeredocs(instruction);
        // The build context, or a named one (bootc-build's buildContexts) that `--from` names instead of a stage.
        const named = from !== undefined && !isStage(input, from) ? input.buildContexts?.[from] : undefined;
        const tree = from === undefined ? { dir: contextDir, ...(input.isIgnored ? { isIgnored: input.isIgnored } : {}) } : named !== undefined ? { dir: named } : undefined;
        const fromContext = tree ? sources.filter((s) => !heredocs.some((h) => h.name === s)) : [];
        const intoFolder = destination?.endsWith('/') || sources.length > 1;
        for (const heredoc of heredocs) {
          const path = intoFolder ? posix.join(target, heredoc.name) : target;
          content.copied.push({ path, source: `<<${heredoc.name}`, position, type: 'file', size: heredoc.body.length, read: () => heredoc.body });
          add({ kind: 'write', path, type: 'file', via: keyword, position, mounts: [], size: heredoc.body.length });
        }
        const placed = tree ? fromContext.flatMap((source) => copySource(tree, source, target, intoFolder, keyword, position, content)) : [];
        // Sources the context does not show (another stage's, a URL, a glob): what lands, by name.
        if (placed.length === 0 && heredocs.length === 0) {
          const names = intoFolder ? sources.filter((s) => !heredocs.some((h) => h.name === s)).map((s) => posix.basename(s.replace(/\/+$/, ''))) : [];
          const paths = names.length > 0 && names.every((n) => n !== '' && n !== '.' && !/[*?[$]/.test(n)) ? names.map((n) => posix.join(target, n)) : [target];
          for (const path of paths) add({ kind: 'write', path, via: keyword, position, mounts: [] });
        }
        for (const entry of placed) add(entry);
      } else if (keyword === 'RUN') {
        const script = runScript(instruction);
        const mounts = runMounts(instruction);
        const targets = mounts.flatMap((m) => (m.target ? [m.target] : []));
        const followed = followScripts(input, contextDir, content, mounts, script);
        content.runs.push({ seq, position, instruction, script, mounts, commands: followed.flatMap((s) => s.commands) });
        for (const { file, text, commands } of followed) {
          // Configuration a step writes as text (`echo 'd /var/lib/app' > /usr/lib/tmpfiles.d/app.conf`, `cat > ... <<EOF`).
          for (const written of writtenTexts(text)) {
            content.copied.push({ path: written.path, source: file === '' ? 'RUN' : file, position, type: 'file', size: written.text.length, read: () => written.text });
          }
          // What `cp -a /ctx/system_files/. /` copies out of a bind-mounted context folder, entry by entry.
          for (const entry of mountCopies(input, contextDir, mounts, commands, file === '' ? 'RUN cp' : `RUN ${file}: cp`, position, content)) {
            add({ ...entry, mounts: targets });
          }
          for (const effect of shellEffects(text)) {
            add({
              kind: effect.kind,
              path: effect.path,
              ...(effect.type ? { type: effect.type } : {}),
              ...(effect.linkTarget !== undefined ? { linkTarget: effect.linkTarget } : {}),
              ...(effect.empty ? { size: 0 } : {}),
              via: file === '' ? `RUN ${effect.via}` : `RUN ${file}: ${effect.via}`,
              position,
              mounts: targets,
            });
          }
        }
      }
    }
  }
  cache.set(input, content);
  return content;
}

const MAX_SCRIPTS = 50;

/**
 * The RUN's script, then each project script it runs, depth first (`/ctx/build.sh`, `bash /ctx/x.sh`,
 * `. /ctx/lib.sh`), where the path leads to a file of the build context: through a bind mount of
 * the context, of a `FROM scratch` stage that copies context folders (Universal Blue's ctx stage),
 * or a file an earlier COPY put there. Scripts named through variables are not followed.
 */
function followScripts(input: ContainerfileInput, contextDir: string, content: ImageContent, mounts: RunMount[], script: string) {
  const followed: Array<{ file: string; text: string; commands: SimpleCommand[] }> = [];
  const visit = (file: string, text: string, imagePath?: string) => {
    if (followed.length >= MAX_SCRIPTS || followed.some((f) => f.file === file && file !== '')) return;
    const commands = shellCommands(text).map((command) => (file === '' ? command : { ...command, script: file }));
    followed.push({ file, text, commands });
    const own = imagePath ? ownDirVariables(text) : [];
    for (const command of commands) {
      const invoked = invokedScript(command, imagePath ? posix.dirname(imagePath) : undefined, own);
      if (!invoked) continue;
      const found = resolveScript(input, contextDir, content, mounts, invoked);
      if (found) visit(found.file, found.text, invoked);
    }
  };
  visit('', script);
  return followed;
}

// A value that is the running script's folder: `$(dirname "$0")`, `$(realpath "$(dirname "$0")")`,
// `$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)`, `${0%/*}`.
function isOwnDir(value: string): boolean {
  return /dirname\s+\\?"?\$(?:0\b|\{0\}|\{?BASH_SOURCE)/.test(value) || /\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}/.test(value);
}

// The variables a script sets to its own folder (`here=$(dirname "$0")`, `SCRIPT_DIR="$(cd "$(dirname "$0")" && pwd)"`).
function ownDirVariables(text: string): string[] {
  return [...text.matchAll(/^\s*(?:export\s+|readonly\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/gm)].filter((m) => isOwnDir(m[2])).map((m) => m[1]);
}

// The absolute path a command runs as a script: the program itself, or a shell's or `source`'s first
// operand; inside a followed script, its own folder may be named by `$(dirname "$0")` or a variable set so.
function invokedScript(command: SimpleCommand, ownDir?: string, ownVariables: string[] = []): string | undefined {
  const { name, args } = commandName(command.words);
  const first = command.words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && !['sudo', 'env', 'exec', 'command', 'time', 'nohup'].includes(w));
  if (['bash', 'sh', 'dash', 'zsh'].includes(name) && args.some((a) => /^-[a-z]*c/.test(a))) return undefined;
  let path = ['bash', 'sh', 'dash', 'zsh', 'source', '.'].includes(name) ? args.find((a) => !a.startsWith('-')) : first;
  if (path !== undefined && ownDir !== undefined) {
    path = path.replace(/\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}/g, ownDir);
    for (const variable of ownVariables) path = path.replace(new RegExp(`\\$(?:\\{${variable}\\}|${variable}\\b)`, 'g'), ownDir);
  }
  return path?.startsWith('/') && !path.includes('$') ? normalizePath(path) : undefined;
}

function resolveScript(input: ContainerfileInput, contextDir: string, content: ImageContent, mounts: RunMount[], path: string): { file: string; text: string } | undefined {
  for (const mount of mounts) {
    if (mount.type !== 'bind' || !mount.target || !isUnder(path, mount.target)) continue;
    const inMount = posix.join('/', mount.source ?? '/', posix.relative(mount.target, path));
    for (const { dir, rel } of mountSources(input, contextDir, mount, inMount)) {
      const text = readContextFile(dir, rel);
      if (text !== undefined) return { file: dir === contextDir ? rel : posix.join(`<${mount.from}>`, rel), text };
    }
  }
  const copied = content.copied.filter((f) => f.path === path && f.type === 'file').at(-1);
  if (!copied) return undefined;
  try {
    return { file: copied.source, text: copied.read() };
  } catch {
    return undefined;
  }
}

/**
 * Files a script writes whole from literal text: `echo '...' > FILE` or `printf '...\\n' >> FILE`
 * (quoted, no variables), and `cat > FILE <<EOF` / `tee FILE <<EOF` here-documents. Appends add to
 * what the script wrote before.
 */
export function writtenTexts(script: string): Array<{ path: string; text: string }> {
  const files = new Map<string, string>();
  const put = (rawPath: string, text: string, append: boolean) => {
    const path = rawPath.replace(/^["']|["']$/g, '');
    if (!path.startsWith('/') || path.includes('$')) return;
    const key = normalizePath(path);
    files.set(key, (append ? (files.get(key) ?? '') : '') + text);
  };
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heredoc =
      /(?:^|[;&|]\s*|\s)(?:cat\s*(>>?)\s*([^\s;&|)<]+)\s*<<-?\s*(['"]?)([A-Za-z_]\w*)\3|cat\s*<<-?\s*(['"]?)([A-Za-z_]\w*)\5\s*(>>?)\s*([^\s;&|)]+)|tee\s+(-a\s+)?([^\s;&|)<]+)\s*<<-?\s*(['"]?)([A-Za-z_]\w*)\11)/.exec(line);
    if (heredoc) {
      const delimiter = heredoc[4] ?? heredoc[6] ?? heredoc[12];
      const path = heredoc[2] ?? heredoc[8] ?? heredoc[10];
      const append = heredoc[1] === '>>' || heredoc[7] === '>>' || heredoc[9] !== undefined;
      const end = lines.findIndex((l, k) => k > i && l.trim() === delimiter);
      const body = lines.slice(i + 1, end === -1 ? lines.length : end);
      put(path, body.length > 0 ? `${body.join('\n')}\n` : '', append);
      if (end !== -1) i = end;
      continue;
    }
    for (const m of line.matchAll(/(?:^|[;&|]\s*|\s)(echo(?:\s+-[neE]+)?|printf)\s+(['"])((?:(?!\2).)*)\2\s*(>>?)\s*([^\s;&|)]+)/g)) {
      if (m[3].includes('$')) continue;
      const text = m[1] === 'printf' ? m[3].replace(/\\n/g, '\n').replace(/\\t/g, '\t') : /-\w*e/.test(m[1]) ? m[3].replace(/\\n/g, '\n') : m[3];
      put(m[5], m[1].startsWith('echo') && !/-\w*n/.test(m[1]) ? `${text}\n` : text, m[4] === '>>');
    }
  }
  return [...files].map(([path, text]) => ({ path, text }));
}

// Folders a bootc base has, so `cp -a SRC /usr/lib` puts SRC inside them.
const EXISTING_DIRS = new Set(['/', '/usr', '/usr/lib', '/usr/share', '/usr/bin', '/usr/libexec', '/etc', '/var', '/var/lib', '/opt', '/usr/local']);

// cp and rsync of context files a RUN mounts: their entries land in the image as a COPY's do.
function mountCopies(
  input: ContainerfileInput,
  contextDir: string,
  mounts: RunMount[],
  commands: SimpleCommand[],
  via: string,
  position: Position,
  content: ImageContent,
): Array<Omit<ContentEvent, 'seq'>> {
  const binds = mounts.filter((m) => m.type === 'bind' && m.target);
  if (binds.length === 0) return [];
  return commands.flatMap((command) => {
    const { name, args } = commandName(command.words);
    if (name !== 'cp' && name !== 'rsync') return [];
    const parsed = parseArgs(args, ['-t', '--target-directory', '-S', '--suffix', '-e', '--rsh', '--exclude', '--include', '-f', '--filter']);
    const targetDir = parsed.values('-t', '--target-directory')[0];
    const dest = targetDir ?? (parsed.operands.length >= 2 ? parsed.operands.at(-1) : undefined);
    const sources = targetDir !== undefined ? parsed.operands : parsed.operands.slice(0, -1);
    if (dest === undefined || !dest.startsWith('/') || dest.includes('$')) return [];
    return sources.flatMap((source) => {
      // `SRC/.` and `SRC/*` (and rsync's `SRC/`) name what SRC holds.
      const contents = /\/(?:\.|\*)$/.test(source) || (name === 'rsync' && source.endsWith('/'));
      const path = normalizePath(source.replace(/\/(?:\.|\*)$/, ''));
      const mount = binds.find((m) => isUnder(path, m.target as string));
      if (!mount || path.includes('$') || /[*?[]/.test(path)) return [];
      const inMount = posix.join('/', mount.source ?? '/', posix.relative(mount.target as string, path));
      const found = mountSources(input, contextDir, mount, inMount).find(({ dir, rel }) => lstatOrUndefined(join(dir, rel)) !== undefined);
      if (!found) return [];
      const target = normalizePath(dest);
      const isDir = lstatOrUndefined(join(found.dir, found.rel))?.isDirectory() ?? false;
      // `cp -a SRC/. DEST` copies what SRC holds; `cp -a SRC DEST/` puts SRC inside DEST.
      const into = isDir && !contents && (dest.endsWith('/') || targetDir !== undefined || EXISTING_DIRS.has(target)) ? posix.join(target, posix.basename(found.rel)) : target;
      return copySource({ dir: found.dir }, found.rel, into, !isDir && (dest.endsWith('/') || targetDir !== undefined || EXISTING_DIRS.has(target)), via, position, content);
    });
  });
}

// Where a path inside a bind mount comes from: the build context, a named build context, or the context folders a `FROM scratch` stage copies.
function mountSources(input: ContainerfileInput, contextDir: string, mount: RunMount, inMount: string): Array<{ dir: string; rel: string }> {
  if (mount.from === undefined) return [{ dir: contextDir, rel: inMount.slice(1) }];
  const named = !isStage(input, mount.from) ? input.buildContexts?.[mount.from] : undefined;
  if (named !== undefined) return [{ dir: named, rel: inMount.slice(1) }];
  return stageSources(input, mount.from, inMount).map((rel) => ({ dir: contextDir, rel }));
}

function isStage(input: ContainerfileInput, name: string): boolean {
  return input.parsed.stages.some((s) => s.name?.toLowerCase() === name.toLowerCase() || String(s.index) === name);
}

// Where a path of a `FROM scratch` stage comes from in the build context, through the stage's COPY instructions (latest first).
function stageSources(input: ContainerfileInput, from: string, path: string): string[] {
  const stage = input.parsed.stages.find((s) => s.name?.toLowerCase() === from.toLowerCase() || String(s.index) === from);
  if (!stage || stage.base.toLowerCase() !== 'scratch') return [];
  const found: string[] = [];
  for (const instruction of [...stage.instructions].reverse()) {
    if (instruction.getKeyword() !== 'COPY' && instruction.getKeyword() !== 'ADD') continue;
    const { sources, destination, from: copyFrom } = copyArguments(instruction);
    const target = destination === undefined ? undefined : resolvePath('/', destination);
    if (copyFrom !== undefined || target === undefined || !isUnder(path, target)) continue;
    const rest = posix.relative(target, path);
    for (const source of sources) {
      const base = posix.normalize(source.replace(/^\/+/, ''));
      found.push(posix.join(base, rest), ...(sources.length > 1 || destination?.endsWith('/') ? [posix.join(base, posix.relative(posix.basename(base), rest))] : []));
      if (rest === posix.basename(path) || rest === '') found.push(base);
    }
  }
  return [...new Set(found)].filter((rel) => !rel.startsWith('..'));
}

function readContextFile(contextDir: string, rel: string): string | undefined {
  if (rel.startsWith('..') || rel === '' || rel === '.') return undefined;
  try {
    const path = join(contextDir, rel);
    return lstatSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

// The events one COPY source gives: each entry of a copied folder (its contents land in the target) or the file.
function copySource(
  from: { dir: string; isIgnored?: (path: string) => boolean },
  source: string,
  target: string,
  intoFolder: boolean,
  keyword: string,
  position: Position,
  content: ImageContent,
): Array<Omit<ContentEvent, 'seq'>> {
  if (/[*?[$]|^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return [];
  const relative = posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '') || '.';
  if (relative.startsWith('..')) return [];
  if (relative !== '.' && from.isIgnored?.(relative)) return [];
  const root = join(from.dir, relative);
  const rootStat = lstatOrUndefined(root);
  if (!rootStat) return [];
  const events: Array<Omit<ContentEvent, 'seq'>> = [];
  const place = (path: string, rel: string, type: CopiedFile['type'], size: number, abs: string, linkTarget?: string) => {
    const via = rel === relative ? keyword : `${keyword} of ${rel}`;
    content.copied.push({ path, source: rel, position, type, size, ...(linkTarget !== undefined ? { linkTarget } : {}), read: () => readFileSync(abs, 'utf8') });
    events.push({ kind: 'write', path, type, via, position, mounts: [], ...(type === 'file' ? { size } : {}), ...(linkTarget !== undefined ? { linkTarget } : {}) });
  };
  if (!rootStat.isDirectory()) {
    const path = intoFolder ? posix.join(target, posix.basename(relative)) : target;
    place(path, relative, rootStat.isSymbolicLink() ? 'symlink' : 'file', rootStat.size, root, rootStat.isSymbolicLink() ? readlinkSync(root) : undefined);
    return events;
  }
  // A folder's contents are copied into the target (the folder itself is not).
  let budget = MAX_ENTRIES;
  const walk = (dir: Buffer, rel: string, imagePath: string) => {
    let names: Buffer[];
    try {
      names = readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
    } catch {
      return;
    }
    for (const rawName of names) {
      if (budget-- <= 0) return;
      const abs = Buffer.concat([dir, Buffer.from('/'), rawName]);
      const name = decodeUtf8(rawName);
      const shownRel = rel === '.' ? (name ?? lossy(rawName)) : `${rel}/${name ?? lossy(rawName)}`;
      if (name === undefined) {
        content.nonUtf8.push({ shown: shownRel, what: 'name', position });
        continue;
      }
      if (from.isIgnored?.(shownRel)) continue;
      const stat = lstatOrUndefined(abs);
      if (!stat) continue;
      const path = posix.join(imagePath, name);
      if (stat.isSymbolicLink()) {
        const rawTarget = readlinkSync(abs, { encoding: 'buffer' });
        const linkTarget = decodeUtf8(rawTarget);
        if (linkTarget === undefined) content.nonUtf8.push({ shown: shownRel, what: 'symlink target', position });
        place(path, shownRel, 'symlink', 0, abs.toString(), linkTarget ?? lossy(rawTarget));
      } else if (stat.isDirectory()) {
        place(path, shownRel, 'dir', 0, abs.toString());
        walk(abs, shownRel, path);
      } else {
        place(path, shownRel, 'file', stat.size, abs.toString());
      }
    }
  };
  walk(Buffer.from(root), relative, target);
  return events;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function lossy(bytes: Buffer): string {
  return new TextDecoder('utf-8').decode(bytes);
}

function lstatOrUndefined(path: string | Buffer) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** An absolute, normalized path; undefined when it depends on a variable or an unknown WORKDIR. */
export function resolvePath(workdir: string | undefined, path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '' || trimmed.includes('$')) return undefined;
  if (trimmed.startsWith('/')) return normalizePath(trimmed);
  return workdir === undefined ? undefined : normalizePath(posix.join(workdir, trimmed));
}

export function isUnder(path: string, folder: string): boolean {
  return folder === '/' || path === folder || path.startsWith(`${folder}/`);
}

/** True when removing `pattern` (a path, possibly with `*`, `?` and `**` globs) removes `path`. */
export function removes(pattern: string, path: string): boolean {
  const regex = globRegex(pattern);
  for (let ancestor = path; ancestor !== '/' && ancestor !== '.'; ancestor = posix.dirname(ancestor)) {
    if (regex.test(ancestor)) return true;
  }
  return false;
}

const globs = new Map<string, RegExp>();

function globRegex(pattern: string): RegExp {
  let regex = globs.get(pattern);
  if (!regex) {
    const body = pattern
      .split(/(\/\*\*\/|\*|\?)/)
      .map((part) => (part === '/**/' ? '/(?:.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`);
    globs.set(pattern, regex);
  }
  return regex;
}
