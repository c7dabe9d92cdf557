import { execFile } from 'node:child_process';
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
  /** Set when the command ended with one of ShortRunOptions.okExitCodes. */
  exitCode?: number;
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

type Execa = typeof import('execa', { with: { 'resolution-mode': 'import' } });
let execaModule: Promise<Execa> | undefined;
const loadExeca = () => (execaModule ??= import('execa'));

/**
 * Starts loading execa (an ES module graph of about a hundred files, ~100 ms) in the background,
 * so it loads while the short commands a task starts with (runShort) are running. Executors call
 * it first thing; runProcess waits for the load either way.
 */
export function preloadProcessRunner(): void {
  loadExeca().catch(() => undefined);
}

/** Runs `file` with an argument array (never through a shell). */
export async function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { execa } = await loadExeca();
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
  const how = result.isCanceled
    ? 'was stopped (interrupted)'
    : result.isTerminated
      ? `was killed by ${result.signal}`
      : result.exitCode !== undefined
        ? `failed with exit code ${result.exitCode}`
        : `could not start: ${startFailure(file, options.cwd, result.cause ?? result.shortMessage)}`;
  throw processError(file, args, how, { stdout, stderr, exitCode: result.exitCode, hint: options.hint, cause: result });
}

export type ShortRunOptions = Pick<RunOptions, 'cwd' | 'env' | 'hint'> & {
  /** Exit codes that are answers, not failures (e.g. an inspect of several images, some missing): the result then carries the code. */
  okExitCodes?: readonly number[];
};

/**
 * Runs a short command whose output is only captured (a version, an image check, a tag, git), with
 * node's execFile (an argument array, never a shell): the results and errors of runProcess without
 * waiting for execa to load, which would add about 100 ms to every task (BENCHMARKS.md). Anything
 * that streams, takes input, may be cancelled or runs long goes through runProcess.
 */
export function runShort(file: string, args: readonly string[], options: ShortRunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      // The environment is passed explicitly: process.env as this module sees it (under jest, the test's own).
      { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
      (error, rawStdout, rawStderr) => {
        const stdout = stripFinalNewline(rawStdout);
        const stderr = stripFinalNewline(rawStderr);
        if (!error) return resolve({ stdout, stderr });
        const exitCode = typeof error.code === 'number' ? error.code : undefined;
        if (exitCode !== undefined && !error.signal && options.okExitCodes?.includes(exitCode)) return resolve({ stdout, stderr, exitCode });
        const how = error.signal
          ? `was killed by ${error.signal}`
          : exitCode !== undefined
            ? `failed with exit code ${exitCode}`
            : `could not start: ${startFailure(file, options.cwd, error)}`;
        reject(processError(file, args, how, { stdout, stderr, exitCode, hint: options.hint, cause: error }));
      },
    );
    child.stdin?.end();
  });
}

// The error of a failed run: what ran, how it ended, the end of its output and a hint.
function processError(
  file: string,
  args: readonly string[],
  how: string,
  { stdout, stderr, exitCode, hint, cause }: { stdout: string; stderr: string; exitCode: number | undefined; hint?: RunOptions['hint']; cause: unknown },
): ProcessError {
  const command = formatCommand(file, args);
  const tail = lastLines(stderr || stdout, TAIL_LINES);
  const explanation = hint?.(`${stderr}\n${stdout}`);
  const message = [`${command} ${how}.`, tail && `Last lines of its output:\n${indent(tail)}`, explanation && `Hint: ${explanation}`]
    .filter(Boolean)
    .join('\n');
  return new ProcessError(message, command, exitCode, tail, { cause });
}

function stripFinalNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
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
