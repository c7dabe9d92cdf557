import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { tail } from './run';
import { freePort, sleep, stopProcessGroup } from './server-process';

const SERVER = join(__dirname, 'nx-cache-server.mjs');
const START_TIMEOUT_MS = 30_000;

export interface NxRemoteCache {
  url: string;
  /** The folder holding one file per cached task (named by the task's hash). */
  folder: string;
  log: string;
  /** What an nx run needs in its environment to read and write this cache. */
  env: Record<string, string>;
  /** Hashes of the entries stored so far. */
  entries(): string[];
  stop(): Promise<void>;
}

/**
 * Starts the self-hosted Nx remote cache (nx-cache-server.mjs) on a free 127.0.0.1 port, with its
 * entries in `dir`/entries and a random bearer token, in its own process group so stop() ends it whole.
 */
export async function startNxRemoteCache(dir: string): Promise<NxRemoteCache> {
  const folder = join(dir, 'entries');
  mkdirSync(folder, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = randomBytes(16).toString('hex');
  const log = join(dir, 'nx-cache-server.log');
  const logFd = openSync(log, 'a');
  // The token goes through the environment, never argv (ps shows argv).
  const child = spawn(process.execPath, [SERVER, folder, '127.0.0.1', String(port)], {
    cwd: dir,
    env: childEnv({ NX_CACHE_SERVER_TOKEN: token }),
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${SERVER}; see ${log}`);
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.once('error', (error) => (exit = `could not start: ${error.message}`));

  const cache: NxRemoteCache = {
    url,
    folder,
    log,
    env: { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token },
    entries: () => readdirSync(folder).filter((name) => !name.endsWith('.partial')).sort(),
    stop: () => stopProcessGroup(pid),
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`The Nx cache server ${exit} before answering on ${url}.\n${readTail(log)}`);
    if (await answers(url, token)) return cache;
    await sleep(100);
  }
  await cache.stop();
  throw new Error(`The Nx cache server did not answer ${url} within ${START_TIMEOUT_MS / 1000}s.\n${readTail(log)}`);
}

// An unknown hash answers 404 once the server serves and takes the token.
async function answers(url: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/v1/cache/0`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2000) });
    return response.status === 404;
  } catch {
    return false;
  }
}

function readTail(log: string): string {
  return existsSync(log) ? `--- ${log} (end) ---\n${tail(readFileSync(log, 'utf8'))}` : `(no log at ${log})`;
}
