import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { freePort, startServerProcess } from './server-process';

const SERVER = join(__dirname, 'nx-cache-server.mjs');

export interface NxRemoteCache {
  url: string;
  /** The folder holding one file per cached task (named by the task's hash). */
  folder: string;
  log: string;
  /** What an nx run needs in its environment to read and write this cache. */
  env: Record<string, string>;
  /** The same with the read-only token (a pull request's job): hits come back, nothing is stored. */
  readOnlyEnv: Record<string, string>;
  /** Hashes of the entries stored so far. */
  entries(): string[];
  stop(): Promise<void>;
}

/**
 * Starts the self-hosted Nx remote cache (nx-cache-server.mjs) on a free 127.0.0.1 port, with its
 * entries in `dir`/entries and random bearer tokens (one reads and writes, one only reads), in its own process group so stop() ends it whole.
 */
export async function startNxRemoteCache(dir: string): Promise<NxRemoteCache> {
  const folder = join(dir, 'entries');
  mkdirSync(folder, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const token = randomBytes(16).toString('hex');
  const readToken = randomBytes(16).toString('hex');
  // The token goes through the environment, never argv (ps shows argv).
  const server = await startServerProcess('The Nx cache server', process.execPath, [SERVER, folder, '127.0.0.1', String(port)], {
    cwd: dir,
    env: childEnv({ NX_CACHE_SERVER_TOKEN: token, NX_CACHE_SERVER_READ_TOKEN: readToken }),
    log: join(dir, 'nx-cache-server.log'),
    address: url,
    ready: () => answers(url, token),
  });
  return {
    url,
    folder,
    log: server.log,
    env: { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token },
    readOnlyEnv: { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url, NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: readToken },
    entries: () => readdirSync(folder).filter((name) => !name.endsWith('.partial')).sort(),
    stop: server.stop,
  };
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
