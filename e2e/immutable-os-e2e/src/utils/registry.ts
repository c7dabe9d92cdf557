import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { runOk } from './run';
import { freePort, startServerProcess } from './server-process';

const REGISTRY_BIN = '/usr/bin/docker-registry';
const HTPASSWD_BIN = '/usr/bin/htpasswd';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface Registry {
  /** host:port, the registry part of an image reference. */
  host: string;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's docker-registry (the CNCF distribution registry) on a free 127.0.0.1 port, plain
 * HTTP, with its storage and log in `dir`; with `auth`, behind an htpasswd (bcrypt) file. It runs in
 * its own process group, so stop() ends it whole.
 */
export async function startRegistry(dir: string, auth?: RegistryCredentials): Promise<Registry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} not found: install Debian's docker-registry (bash tools/ci/setup-host.sh does).`);
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  // JSON is YAML: no YAML writer needed.
  writeFileSync(
    config,
    `${JSON.stringify(
      {
        version: 0.1,
        log: { level: 'info', formatter: 'text' },
        storage: { filesystem: { rootdirectory: join(dir, 'storage') }, delete: { enabled: true } },
        http: { addr: host },
        ...(auth ? { auth: { htpasswd: { realm: 'immutable-os-e2e', path: writeHtpasswd(dir, auth) } } } : {}),
      },
      null,
      2,
    )}\n`,
  );

  const server = await startServerProcess('docker-registry', REGISTRY_BIN, ['serve', config], {
    cwd: dir,
    log: join(dir, 'registry.log'),
    address: `http://${host}/v2/`,
    ready: () => answersV2(host),
  });
  return { host, ...server };
}

// The registry only takes bcrypt entries; htpasswd reads the password from standard input (-i), not argv.
function writeHtpasswd(dir: string, { username, password }: RegistryCredentials): string {
  const file = join(dir, 'htpasswd');
  if (!existsSync(HTPASSWD_BIN)) {
    throw new Error(`${HTPASSWD_BIN} not found: install Debian's apache2-utils (bash tools/ci/setup-host.sh does).`);
  }
  const { stdout } = runOk(HTPASSWD_BIN, ['-nBi', username], { cwd: dir, env: childEnv(), input: password, timeoutMs: 30_000 });
  writeFileSync(file, `${stdout.trim()}\n`);
  return file;
}

// /v2/ answers 200, or 401 behind auth, once the registry serves.
async function answersV2(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200 || response.status === 401;
  } catch {
    return false;
  }
}
