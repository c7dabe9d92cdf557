import { posix } from 'node:path';
import { tokenizeShell } from './shell-tokens';

/** A path a shell command visibly writes or removes. */
export interface ShellEffect {
  kind: 'write' | 'remove';
  /** Absolute, normalized path (may still hold `$VAR` or globs). */
  path: string;
  /** What does it, for messages: `mkdir`, `curl -o`, `>`. */
  via: string;
}

interface SimpleCommand {
  words: string[];
  redirects: Array<{ op: string; target: string }>;
}

const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>', '>&']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh']);
const PREFIX_WORDS = new Set(['!', '{', '}', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time', 'sudo', 'command', 'exec', 'nohup', 'env']);
// Commands whose `-o` is no output file.
const OTHER_DASH_O = new Set(['install', 'unzip', 'mount', 'ssh', 'scp', 'sshfs', 'useradd', 'usermod', 'make', 'ps', 'cpio']);

/**
 * The absolute paths a shell script visibly writes (redirections, mkdir, touch, tee, cp/mv/install/ln
 * targets, `-o` outputs, curl/wget downloads, tar/unzip extraction, git clone) and removes (rm, rmdir,
 * find -delete, the sources of mv), in order. Commands that write elsewhere without naming the path (a package
 * manager filling its cache) are not reported.
 */
export function shellEffects(script: string): ShellEffect[] {
  return splitCommands(script).flatMap(commandEffects);
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
  let start = 0;
  while (start < words.length && (PREFIX_WORDS.has(words[start]) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start]))) start++;
  if (start >= words.length) return effects;
  const name = posix.basename(words[start]);
  const args = words.slice(start + 1);
  return [...effects, ...programEffects(name, args)];
}

function programEffects(name: string, args: string[]): ShellEffect[] {
  switch (name) {
    case 'mkdir':
      return written(parseArgs(args, ['-m', '--mode']).operands, name);
    case 'touch':
      return written(parseArgs(args, ['-d', '-r', '-t', '--date', '--reference']).operands, name);
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
    case 'ln':
      return written(destination(parseArgs(args, ['-t', '--target-directory', '-S', '--suffix'])), name);
    case 'rsync':
      return written(destination(parseArgs(args, ['-e', '--rsh', '--exclude', '--include', '-f', '--filter'])), name);
    case 'install': {
      const parsed = parseArgs(args, ['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix']);
      return written(parsed.flags.has('-d') || parsed.flags.has('--directory') ? parsed.operands : destination(parsed), name);
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
      return args.includes('-delete') ? removed(args.slice(0, 1), 'find -delete') : [];
    default:
      if (SHELLS.has(name)) {
        const script = args[args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a)) + 1];
        return args.some((a) => /^-[a-z]*c[a-z]*$/.test(a)) && script !== undefined ? shellEffects(script) : [];
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

interface ParsedArgs {
  operands: string[];
  flags: Set<string>;
  values(...names: string[]): string[];
}

// Splits arguments into operands, flags and option values; `valueOptions` take a value (`-o x`, `-ox`, `--out=x`).
function parseArgs(args: string[], valueOptions: string[]): ParsedArgs {
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

function written(paths: string[], via: string): ShellEffect[] {
  return absolute(paths).map((path) => ({ kind: 'write', path, via }));
}

function removed(paths: string[], via: string): ShellEffect[] {
  return absolute(paths).map((path) => ({ kind: 'remove', path, via }));
}

function absolute(paths: string[]): string[] {
  return paths.filter((p) => p.startsWith('/')).map(normalizePath);
}

/** `/var//lib/./x/` → `/var/lib/x`. */
export function normalizePath(path: string): string {
  const normalized = posix.normalize(path);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}
