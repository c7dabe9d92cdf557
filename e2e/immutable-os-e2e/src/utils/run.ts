import { spawnSync } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the program's standard input. */
  input?: string;
  /** Default 10 minutes: npm install through a cold proxy registry is the slowest step. */
  timeoutMs?: number;
}

export interface RunResult {
  command: string;
  args: readonly string[];
  cwd: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

const TAIL_LINES = 40;

/** Runs a program to its end and returns how it ended and what it printed; a non-zero exit is not an error here. */
export function run(command: string, args: readonly string[], options: RunOptions): RunResult {
  const timeout = options.timeoutMs ?? 10 * 60 * 1000;
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    input: options.input,
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !timedOut) {
    throw new Error(`Could not start \`${commandLine(command, args)}\` in ${options.cwd}: ${result.error.message}`, {
      cause: result.error,
    });
  }
  return {
    command,
    args,
    cwd: options.cwd,
    status: result.status,
    signal: result.signal,
    timedOut,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
}

/** Like run, but throws an error naming the command, how it ended and the end of its output unless it exits 0. */
export function runOk(command: string, args: readonly string[], options: RunOptions): RunResult {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(describeFailure(result));
  return result;
}

export function describeFailure(result: RunResult): string {
  const ending = result.timedOut
    ? 'timed out'
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with code ${result.status}`;
  return [
    `\`${commandLine(result.command, result.args)}\` in ${result.cwd} ${ending}.`,
    `--- stdout (last ${TAIL_LINES} lines) ---`,
    tail(result.stdout),
    `--- stderr (last ${TAIL_LINES} lines) ---`,
    tail(result.stderr),
  ].join('\n');
}

/** stdout and stderr together, for assertions on a message that either stream may carry. */
export function output(result: RunResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

export function tail(text: string, lines = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}
