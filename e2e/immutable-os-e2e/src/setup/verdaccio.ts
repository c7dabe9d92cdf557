import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from '../utils/run';
import { freePort, sleep, stopProcessGroup } from '../utils/server-process';

export const PLUGIN_PACKAGE = 'immutable-os';
const UPLINK = 'https://registry.npmjs.org/';
const START_TIMEOUT_MS = 60_000;

export interface Verdaccio {
  url: string;
  port: number;
  pid: number;
  log: string;
}

/**
 * Serves the plugin only from its own storage (published here, never proxied) and every other
 * package through the public registry. JSON is YAML, so the config needs no YAML writer.
 */
export function writeVerdaccioConfig(dir: string): string {
  const config = {
    storage: join(dir, 'storage'),
    auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: -1 } },
    uplinks: { npmjs: { url: UPLINK, timeout: '60s', max_fails: 5, fail_timeout: '1m' } },
    packages: {
      [PLUGIN_PACKAGE]: { access: '$all', publish: '$all' },
      '**': { access: '$all', proxy: 'npmjs' },
    },
    web: { enable: false },
    log: { type: 'stdout', format: 'pretty', level: 'http' },
  };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** Starts verdaccio in its own process group (so teardown can stop it whole) and waits until it answers. */
export async function startVerdaccio(workspaceRoot: string, dir: string): Promise<Verdaccio> {
  const bin = join(workspaceRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  if (!existsSync(bin)) {
    throw new Error(`verdaccio is not installed at ${bin}: run \`npm ci\` at ${workspaceRoot}.`);
  }
  const config = writeVerdaccioConfig(dir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = join(dir, 'verdaccio.log');
  const logFd = openSync(log, 'a');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start verdaccio (${bin}); see ${log}`);
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `was killed by ${signal}` : `exited with code ${code}`));
  child.once('error', (error) => (exit = `could not start: ${error.message}`));

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`verdaccio ${exit} before answering on ${url}.\n${readTail(log)}`);
    if (await answersPing(url)) return { url, port, pid, log };
    await sleep(200);
  }
  await stopVerdaccio(pid);
  throw new Error(`verdaccio did not answer ${url}/-/ping within ${START_TIMEOUT_MS / 1000}s.\n${readTail(log)}`);
}

/** Stops verdaccio's process group: SIGTERM, then SIGKILL if it is still there after 5 s. */
export function stopVerdaccio(pid: number): Promise<void> {
  return stopProcessGroup(pid);
}

async function answersPing(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/-/ping`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

function readTail(log: string): string {
  return existsSync(log) ? `--- ${log} (end) ---\n${tail(readFileSync(log, 'utf8'))}` : `(no log at ${log})`;
}
