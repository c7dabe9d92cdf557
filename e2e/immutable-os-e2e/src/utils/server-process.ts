import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tail } from './run';

const START_TIMEOUT_MS = 30_000;

export interface ServerProcess {
  pid: number;
  log: string;
  stop(): Promise<void>;
}

/**
 * Starts a test server in its own process group (so stop() ends it whole), its output appended to
 * `log`, and waits until `ready()` answers true. Exiting first, or not answering within 30 s, is an
 * error naming `name` and `address` with the end of the log.
 */
export async function startServerProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; log: string; address: string; ready: () => Promise<boolean>; env?: NodeJS.ProcessEnv },
): Promise<ServerProcess> {
  const { log } = options;
  const logFd = openSync(log, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${command}; see ${log}`);
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.once('error', (error) => (exit = `could not start: ${error.message}`));

  const server: ServerProcess = { pid, log, stop: () => stopProcessGroup(pid) };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${name} ${exit} before answering on ${options.address}.\n${readTail(log)}`);
    if (await options.ready()) return server;
    await sleep(100);
  }
  await server.stop();
  throw new Error(`${name} did not answer ${options.address} within ${START_TIMEOUT_MS / 1000}s.\n${readTail(log)}`);
}

function readTail(log: string): string {
  return existsSync(log) ? `--- ${log} (end) ---\n${tail(readFileSync(log, 'utf8'))}` : `(no log at ${log})`;
}

/** A port the kernel reports free on 127.0.0.1 (bound to port 0, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port was assigned')),
      );
    });
  });
}

/** Stops a process group started detached: SIGTERM, then SIGKILL if it is still there after 5 s. */
export async function stopProcessGroup(pid: number): Promise<void> {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (!signalGroup(pid, 0)) return;
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
}

/** Sends a signal to a process group; false when the group no longer exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
