import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { childEnv } from './child-env';
import { startServerProcess } from './server-process';

const DOCKERD_BIN = '/usr/sbin/dockerd';
/** Debian's docker client (docker.io, 20.10): what a Debian 12 machine builds with. */
export const DEBIAN_DOCKER_CLIENT = '/usr/bin/docker';

export interface DockerDaemon {
  /** DOCKER_HOST and a PATH whose `docker` is Debian's client: the environment to run nx with. */
  env: Record<string, string>;
  log: string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's dockerd on a private socket, data root and exec root in a folder of its own (under
 * /tmp: a unix socket path has at most 107 bytes), so the tests neither use nor disturb a docker on
 * this machine; stop() ends it and removes the folder. Its log goes to `logDir`. No iptables rules: the tests' registry is on
 * loopback, which docker treats as an insecure registry by default.
 */
export async function startDockerd(logDir: string): Promise<DockerDaemon> {
  for (const bin of [DOCKERD_BIN, DEBIAN_DOCKER_CLIENT]) {
    if (!existsSync(bin)) throw new Error(`${bin} not found: install Debian's docker.io (bash tools/ci/setup-host.sh does).`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'ios-dockerd-'));
  const socket = join(dir, 'docker.sock');
  const namespace = `immutable-os-e2e-${dir.split('-').pop()}`;
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(DEBIAN_DOCKER_CLIENT, join(bin, 'docker'));
  const env = { DOCKER_HOST: `unix://${socket}`, PATH: [bin, process.env.PATH ?? ''].join(delimiter) };
  const answers = () => spawnSync(DEBIAN_DOCKER_CLIENT, ['version', '--format', '{{.Server.Version}}'], { env: childEnv(env), timeout: 5000 }).status === 0;
  const server = await startServerProcess(
    'dockerd',
    DOCKERD_BIN,
    [
      '--host',
      env.DOCKER_HOST,
      '--data-root',
      join(dir, 'data'),
      '--exec-root',
      join(dir, 'exec'),
      '--pidfile',
      join(dir, 'docker.pid'),
      // Namespaces of its own in a containerd the machine may already run; no iptables rules.
      `--containerd-namespace=${namespace}`,
      `--containerd-plugins-namespace=${namespace}-plugins`,
      '--iptables=false',
      '--ip-masq=false',
      '--storage-driver=overlay2',
    ],
    { cwd: dir, log: join(logDir, `${dir.split('/').pop()}.log`), address: env.DOCKER_HOST, ready: async () => answers(), env: childEnv() },
  );
  return {
    env,
    log: server.log,
    stop: async () => {
      await server.stop();
      // overlay2 mounts go with a clean shutdown; whatever a killed daemon left is unmounted first.
      const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((line) => line.split(' ')[1] ?? '').filter((path) => path.startsWith(`${dir}/`));
      for (const path of mounts.sort().reverse()) spawnSync('umount', ['-l', path], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
