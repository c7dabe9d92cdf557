import { posix } from 'node:path';
import { tokenizeShell } from './shell-tokens';

/** A path a shell command visibly writes or removes. */
export interface ShellEffect {
  kind: 'write' | 'remove';
  /** Absolute, normalized path (may still hold `$VAR` or globs; `**` in a removal matches any depth). */
  path: string;
  /** What does it, for messages: `mkdir`, `curl -o`, `>`. */
  via: string;
  /** What a write makes, where the command says: mkdir a directory, `ln -s` a symlink (to `linkTarget`). */
  type?: 'dir' | 'symlink';
  linkTarget?: string;
  /** The write makes an empty file (touch), where nothing existed. */
  empty?: boolean;
}

/** A simple command of a script: its words (assignments and prefixes such as sudo kept), its redirections and the operator after it. */
export interface SimpleCommand {
  words: string[];
  redirects: Array<{ op: string; target: string }>;
  /** The control operator that ends it (`&&`, `||`, `;`, `|`, newline, ...); none at the end of the script. */
  next?: string;
  /** The context-relative project script it is in, when a RUN runs one (image-content.ts followScripts). */
  script?: string;
}

/** What `ostree container commit` empties (ostree-ext src/commit.rs, FORCE_CLEAN_PATHS). */
export const OSTREE_COMMIT_CLEANS = ['/run', '/tmp', '/var/tmp', '/var/cache'] as const;

const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);
const PREFIX_WORDS = new Set(['!', '{', '}', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time', 'sudo', 'command', 'exec', 'nohup', 'env']);
// Commands whose `-o` is no output file.
const OTHER_DASH_O = new Set(['install', 'ls', 'unzip', 'mount', 'ssh', 'scp', 'sshfs', 'useradd', 'usermod', 'make', 'ps', 'cpio']);

/**
 * The absolute paths a shell script visibly writes (redirections, mkdir, touch, tee, cp/mv/install/ln
 * targets, `-o` outputs, curl/wget downloads, tar/unzip extraction, git clone) and removes (rm, rmdir,
 * find -delete, the sources of mv), in order. Commands that write elsewhere without naming the path (a package
 * manager filling its cache) are not reported.
 */
export function shellEffects(script: string): ShellEffect[] {
  const effects: ShellEffect[] = [];
  const onExit: ShellEffect[] = [];
  for (const command of splitCommands(script)) {
    const trap = exitTrap(command);
    if (trap !== undefined) onExit.unshift(...shellEffects(trap));
    else effects.push(...commandEffects(command));
  }
  return [...effects, ...onExit];
}

// `trap 'rm -rf /tmp/x' EXIT` (or 0): the script runs when the shell exits, after everything else.
function exitTrap({ words }: SimpleCommand): string | undefined {
  const { name, args } = commandName(words);
  if (name !== 'trap' || args.length < 2) return undefined;
  return args.slice(1).some((signal) => /^(?:EXIT|0|SIGEXIT)$/i.test(signal)) ? args[0] : undefined;
}

/** The program a command runs (basename, after assignments and prefixes such as sudo or env) and its arguments. */
export function commandName(words: readonly string[]): { name: string; args: string[] } {
  let start = 0;
  while (start < words.length && (PREFIX_WORDS.has(words[start]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]))) start++;
  return start >= words.length ? { name: '', args: [] } : { name: posix.basename(words[start]), args: words.slice(start + 1) };
}

/** The simple commands of a script, in order, including those inside `sh -c '...'` arguments. */
export function shellCommands(script: string): SimpleCommand[] {
  return splitCommands(script).flatMap((command) => {
    const { name, args } = commandName(command.words);
    const inner = SHELLS.has(name) ? dashCScript(args) : undefined;
    return inner === undefined ? [command] : [command, ...shellCommands(inner)];
  });
}

function dashCScript(args: string[]): string | undefined {
  const index = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
  return index === -1 ? undefined : args[index + 1];
}

function splitCommands(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [], redirects: [] };
  const tokens = tokenizeShell(script);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'word') current.words.push(token.value);
    else if (token.type === 'redirect') {
      const next = tokens[i + 1];
      if (next?.type === 'word') {
        current.redirects.push({ op: token.value, target: next.value });
        i++;
      }
    } else {
      current.next = token.value;
      commands.push(current);
      current = { words: [], redirects: [] };
    }
  }
  commands.push(current);
  return commands.filter((c) => c.words.length > 0 || c.redirects.length > 0);
}

function commandEffects({ words, redirects }: SimpleCommand): ShellEffect[] {
  const effects: ShellEffect[] = [];
  for (const { op, target } of redirects) {
    if (WRITE_REDIRECTS.has(op)) effects.push(...written([target], op));
  }
  const { name, args } = commandName(words);
  if (name === '') return effects;
  return [...effects, ...programEffects(name, args.flatMap(expandBraces))];
}

/** Bash's brace expansion of one word (`/tmp/{a,b}` → `/tmp/a`, `/tmp/b`; nested and repeated groups too); `/bin/sh` is bash on Fedora and CentOS. */
export function expandBraces(word: string): string[] {
  const open = word.indexOf('{');
  if (open === -1 || word[open - 1] === '$') return [word];
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < word.length; i++) {
    if (word[i] === '{') depth++;
    else if (word[i] === '}' && --depth === 0) {
      if (commas.length === 0) return [word];
      const bounds = [open, ...commas, i];
      const prefix = word.slice(0, open);
      const suffix = word.slice(i + 1);
      return bounds.slice(0, -1).flatMap((start, k) => expandBraces(`${prefix}${word.slice(start + 1, bounds[k + 1])}${suffix}`));
    } else if (word[i] === ',' && depth === 1) commas.push(i);
  }
  return [word];
}

function programEffects(name: string, args: string[]): ShellEffect[] {
  switch (name) {
    case 'mkdir':
      return written(parseArgs(args, ['-m', '--mode']).operands, name, 'dir');
    case 'touch':
      return written(parseArgs(args, ['-d', '-r', '-t', '--date', '--reference']).operands, name).map((effect) => ({ ...effect, empty: true }));
    case 'tee':
      return written(parseArgs(args, []).operands, name);
    case 'mv': {
      // What is moved is gone from where it was.
      const parsed = parseArgs(args, ['-t', '--target-directory', '-S', '--suffix']);
      const target = destination(parsed);
      const sources = parsed.values('-t', '--target-directory').length > 0 ? parsed.operands : parsed.operands.slice(0, -1);
      return [...removed(sources, name), ...written(target, name)];
    }
    case 'cp':
      return written(destination(parseArgs(args, ['-t', '--target-directory', '-S', '--suffix'])), name);
    case 'ln': {
      const parsed = parseArgs(args, ['-t', '--target-directory', '-S', '--suffix']);
      const symbolic = parsed.flags.has('-s') || parsed.flags.has('--symbolic');
      const [link] = destination(parsed);
      if (!symbolic || link === undefined || parsed.values('-t', '--target-directory').length > 0 || parsed.operands.length !== 2) {
        return written(destination(parsed), name);
      }
      return written([link], 'ln -s', 'symlink').map((effect) => ({ ...effect, linkTarget: parsed.operands[0] }));
    }
    case 'rsync':
      return written(destination(parseArgs(args, ['-e', '--rsh', '--exclude', '--include', '-f', '--filter'])), name);
    case 'install': {
      const parsed = parseArgs(args, ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix']);
      return parsed.flags.has('-d') || parsed.flags.has('--directory') ? written(parsed.operands, name, 'dir') : written(destination(parsed), name);
    }
    case 'curl': {
      const parsed = parseArgs(args, CURL_VALUE_OPTIONS);
      return written(parsed.values('-o', '--output', '--output-dir', '-c', '--cookie-jar'), 'curl -o');
    }
    case 'wget': {
      const parsed = parseArgs(args, WGET_VALUE_OPTIONS);
      return written(parsed.values('-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output'), 'wget -O');
    }
    case 'tar': {
      // `tar -xzf f -C dir`, `tar --extract ...` or the old bundled form `tar xzf f -C dir`.
      const extracts = args.some(
        (a, index) => a === '--extract' || a === '--get' || (/^-[A-Za-z]+$/.test(a) && a.includes('x')) || (index === 0 && /^[A-Za-z]+$/.test(a) && a.includes('x')),
      );
      return extracts ? written(parseArgs(args, ['-C', '--directory', '-f', '--file']).values('-C', '--directory'), 'tar -C') : [];
    }
    case 'unzip':
      return written(parseArgs(args, ['-d', '-x']).values('-d'), 'unzip -d');
    case 'git': {
      const clone = args.indexOf('clone');
      if (clone === -1) return [];
      const { operands } = parseArgs(args.slice(clone + 1), ['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '--reference', '-j', '--jobs', '--filter']);
      return operands.length >= 2 ? written(operands.slice(-1), 'git clone') : [];
    }
    case 'rm':
    case 'rmdir':
    case 'unlink':
      return removed(parseArgs(args, []).operands, name);
    case 'find':
      return findRemovals(args);
    case 'dnf':
    case 'dnf5':
    case 'yum':
    case 'microdnf':
      // `dnf clean all` empties the caches (logs and state stay).
      return args.includes('clean') && args.some((a) => /^(?:all|packages|metadata|dbcache)$/.test(a))
        ? removed(['/var/cache/libdnf5/*', '/var/cache/dnf/*', '/var/cache/yum/*'], `${name} clean`)
        : [];
    case 'apt-get':
    case 'apt':
      return args.includes('clean') ? removed(['/var/cache/apt/archives/*', '/var/cache/apt/*.bin'], `${name} clean`) : [];
    case 'ostree':
      return args[0] === 'container' && args[1] === 'commit'
        ? removed(OSTREE_COMMIT_CLEANS.map((dir) => `${dir}/*`), 'ostree container commit')
        : [];
    default:
      if (SHELLS.has(name)) {
        const script = dashCScript(args);
        return script !== undefined ? shellEffects(script) : [];
      }
      return OTHER_DASH_O.has(name) ? [] : written(parseArgs(args, ['-o', '--output']).values('-o', '--output'), `${name} -o`);
  }
}

const CURL_VALUE_OPTIONS = [
  '-o', '--output', '--output-dir', '-c', '--cookie-jar', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary',
  '-u', '--user', '-X', '--request', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-T', '--upload-file',
  '-x', '--proxy', '-w', '--write-out', '--retry', '--retry-delay', '--retry-max-time', '-m', '--max-time',
  '--connect-timeout', '-F', '--form', '-K', '--config', '-E', '--cert', '--key', '--cacert', '-r', '--range',
  '-C', '--continue-at', '-z', '--time-cond', '-Y', '-y', '--proto', '--proto-redir', '-U', '--url',
];
const WGET_VALUE_OPTIONS = [
  '-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output', '-t', '--tries',
  '-T', '--timeout', '-U', '--user-agent', '--header', '-e', '--execute', '-i', '--input-file', '-B', '--base',
  '--user', '--password', '-w', '--wait', '-Q', '--quota', '--post-data',
];

export interface ParsedArgs {
  operands: string[];
  flags: Set<string>;
  values(...names: string[]): string[];
}

// Splits arguments into operands, flags and option values; `valueOptions` take a value (`-o x`, `-ox`, `--out=x`).
export function parseArgs(args: string[], valueOptions: string[]): ParsedArgs {
  const takesValue = new Set(valueOptions);
  const operands: string[] = [];
  const flags = new Set<string>();
  const values: Array<[string, string]> = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq !== -1) values.push([arg.slice(0, eq), arg.slice(eq + 1)]);
      else if (takesValue.has(arg) && i + 1 < args.length) values.push([arg, args[++i]]);
      else flags.add(arg);
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const option = `-${arg[j]}`;
        if (!takesValue.has(option)) {
          flags.add(option);
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest) values.push([option, rest]);
        else if (i + 1 < args.length) values.push([option, args[++i]]);
        break;
      }
    } else {
      operands.push(arg);
    }
  }
  return { operands, flags, values: (...names) => values.filter(([name]) => names.includes(name)).map(([, value]) => value) };
}

// cp/mv/install/ln: `-t DIR`, else the last of two or more operands.
function destination(parsed: ParsedArgs): string[] {
  const target = parsed.values('-t', '--target-directory');
  if (target.length > 0) return target;
  return parsed.operands.length >= 2 ? parsed.operands.slice(-1) : [];
}

// `find DIR ... -delete` or `-exec rm ... {} +`: removes what the tests select, under each starting
// folder. A bare `find DIR -delete` removes DIR too; with `-mindepth 1` or any test (`-type f`,
// `-mtime`, ...) only what is inside; with one name test, the names matched at any depth.
function findRemovals(args: string[]): ShellEffect[] {
  const exec = args.findIndex((a, i) => (a === '-exec' || a === '-execdir') && /^(?:\/usr)?(?:\/bin\/)?rm$/.test(args[i + 1] ?? ''));
  if (!args.includes('-delete') && exec === -1) return [];
  const firstTest = args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!');
  const roots = args.slice(0, firstTest === -1 ? args.length : firstTest);
  const tests = args.slice(firstTest === -1 ? args.length : firstTest, exec === -1 ? undefined : exec).filter((a) => a !== '-delete' && a !== '-depth');
  const names = args.flatMap((a, i) => (a === '-name' || a === '-iname' || a === '-path' ? [args[i + 1] ?? ''] : []));
  const via = exec === -1 ? 'find -delete' : 'find -exec rm';
  if (args.includes('-o') || names.length > 1) return [];
  if (names.length === 1) return removed(roots.map((root) => (names[0].startsWith('/') ? names[0] : `${root}/**/${names[0]}`)), via);
  return removed(tests.length === 0 ? roots : roots.map((root) => `${root}/*`), via);
}

function written(paths: string[], via: string, type?: ShellEffect['type']): ShellEffect[] {
  return absolute(paths).map((path) => ({ kind: 'write', path, via, ...(type ? { type } : {}) }));
}

function removed(paths: string[], via: string): ShellEffect[] {
  return absolute(paths).map((path) => ({ kind: 'remove', path, via }));
}

// Absolute paths only; `${TMPDIR:-/tmp}/x` is taken as its default, /tmp/x.
function absolute(paths: string[]): string[] {
  return paths
    .map((p) => p.replace(/^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(\/[^}]*)\}/, '$1'))
    .filter((p) => p.startsWith('/'))
    .map(normalizePath);
}

/** `/var//lib/./x/` → `/var/lib/x`. */
export function normalizePath(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}
