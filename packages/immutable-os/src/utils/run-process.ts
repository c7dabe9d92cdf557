import { existsSync } from 'node:fs';
import type { Options, Result } from 'execa' with { 'resolution-mode': 'import' };

export interface RunOptions {
  cwd: string;
  /** Written to the process's standard input (e.g. a password for `login --password-stdin`). */
  input?: string;
  env?: Record<string, string | undefined>;
  /** Stream the process's output live to ours while keeping it (default true). */
  stream?: boolean;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) when aborted. */
  signal?: AbortSignal;
  /** Explains known failures: returns a hint for the error message, or undefined. */
  hint?: (stderr: string) => string | undefined;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const TAIL_LINES = 20;

/** A process that failed: the message says what ran, how it ended, the end of its stderr and a hint. */
export class ProcessError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProcessError';
  }
}

/** Runs `file` with an argument array (never through a shell). */
export async function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { execa } = await import('execa');
  const stream = options.stream ?? true;
  const execaOptions: Options = {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    stdin: options.input === undefined ? 'ignore' : undefined,
    stdout: stream ? ['pipe', 'inherit'] : 'pipe',
    stderr: stream ? ['pipe', 'inherit'] : 'pipe',
    cancelSignal: options.signal,
    forceKillAfterDelay: 5000,
    reject: false,
    stripFinalNewline: true,
  };
  const result = (await execa(file, args, execaOptions)) as Result;
  const stdout = String(result.stdout ?? '');
  const stderr = String(result.stderr ?? '');
  if (!result.failed) return { stdout, stderr };

  const command = formatCommand(file, args);
  const how = result.isCanceled
    ? 'was stopped (interrupted)'
    : result.isTerminated
      ? `was killed by ${result.signal}`
      : result.exitCode !== undefined
        ? `failed with exit code ${result.exitCode}`
        : `could not start: ${startFailure(file, options.cwd, result.cause ?? result.shortMessage)}`;
  const tail = lastLines(stderr || stdout, TAIL_LINES);
  const hint = options.hint?.(`${stderr}\n${stdout}`);
  const message = [`${command} ${how}.`, tail && `Last lines of its output:\n${indent(tail)}`, hint && `Hint: ${hint}`]
    .filter(Boolean)
    .join('\n');
  throw new ProcessError(message, command, result.exitCode, tail, { cause: result });
}

export function formatCommand(file: string, args: readonly string[]): string {
  return [file, ...args].map(quoteForDisplay).join(' ');
}

// Quotes an argument for display so a user can paste the command into a POSIX shell.
export function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

// Why a program did not start, with the fix; `cause` may come from another realm (jest), so no instanceof.
function startFailure(file: string, cwd: string, cause: unknown): string {
  const { code, message } = (cause ?? {}) as { code?: string; message?: string };
  const detail = message ?? String(cause);
  if (code === 'ENOENT' && !existsSync(cwd)) return `its working folder ${cwd} does not exist (${detail})`;
  if (code === 'ENOENT') return `${file} was not found${file.includes('/') ? '' : ' on PATH'}; install it or check its name (${detail})`;
  if (code === 'EACCES') return `${file} is not executable; check its permissions (${detail})`;
  return detail;
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
