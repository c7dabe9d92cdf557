import buildSchema from '../executors/build/schema.json';
import pushSchema from '../executors/push/schema.json';
import { installFakeEngines, type FakeEngines } from '../testing/fake-engine';
import { buildEnv, compareVersions, describeEngine, detectEngine, ENGINE_NAMES, engineHint } from './engine';

describe('detectEngine', () => {
  let fake: FakeEngines | undefined;
  afterEach(() => fake?.restore());

  test.each([
    [{ podman: '5.2.1', docker: '27.1.0', buildah: '1.37.0' }, { name: 'podman', command: 'podman', version: '5.2.1' }, ['podman --version']],
    [{ docker: '27.1.0', buildah: '1.37.0' }, { name: 'docker', command: 'docker', version: '27.1.0', daemonVersion: '27.1.0' }, ['docker --version', 'docker version --format {{.Server.Version}}']],
    [{ buildah: '1.28.2' }, { name: 'buildah', command: 'buildah', version: '1.28.2' }, ['buildah --version']],
  ])('auto with %j picks %j', async (versions, expected, calls) => {
    fake = installFakeEngines({ versions });
    expect(await detectEngine('auto', fake.dir)).toEqual(expected);
    expect(fake.calls().map((c) => `${c.engine} ${c.args.join(' ')}`)).toEqual(calls);
  });

  test('a named engine is used even when an earlier one exists', async () => {
    fake = installFakeEngines({ versions: { podman: '5.2.1', buildah: '1.37.0' } });
    expect(await detectEngine('buildah', fake.dir)).toEqual({ name: 'buildah', command: 'buildah', version: '1.37.0' });
  });

  test.each([
    ['podman', '3.4.4', 'podman 3.4.4 is too old: immutable-os needs podman 4.0.0 or newer. Upgrade it, or choose another engine with the engine option.'],
    ['docker', '19.03.15', 'docker 19.03.15 is too old: immutable-os needs docker 20.10.0 or newer. Upgrade it, or choose another engine with the engine option.'],
    ['buildah', '1.23.1', 'buildah 1.23.1 is too old: immutable-os needs buildah 1.24.0 or newer. Upgrade it, or choose another engine with the engine option.'],
  ] as const)('%s %s is too old', async (name, version, message) => {
    fake = installFakeEngines({ versions: { [name]: version } });
    await expect(detectEngine(name, fake.dir)).rejects.toThrow(message);
  });

  describe('docker: the client, the daemon and the builder', () => {
    test('a client before 23 builds with the daemon\'s BuildKit (DOCKER_BUILDKIT=1), and says so', async () => {
      fake = installFakeEngines({ versions: { docker: '20.10.24' } });
      const engine = await detectEngine('docker', fake.dir, { forBuild: true });
      expect(engine).toEqual({ name: 'docker', command: 'docker', version: '20.10.24', daemonVersion: '20.10.24', builder: 'daemon-buildkit' });
      expect(buildEnv(engine)).toEqual({ DOCKER_BUILDKIT: '1' });
      expect(describeEngine(engine)).toBe('docker 20.10.24 (daemon 20.10.24, its BuildKit)');
      expect(fake.calls().map((c) => c.args.join(' '))).not.toContain('buildx version');
    });

    test('a client from 23 on builds through buildx', async () => {
      fake = installFakeEngines({ versions: { docker: '28.2.2' }, state: { dockerDaemon: '20.10.24' } });
      const engine = await detectEngine('docker', fake.dir, { forBuild: true });
      expect(engine).toEqual({ name: 'docker', command: 'docker', version: '28.2.2', daemonVersion: '20.10.24', builder: 'buildx' });
      expect(buildEnv(engine)).toBeUndefined();
      expect(describeEngine(engine)).toBe('docker 28.2.2 (daemon 20.10.24, buildx)');
    });

    test('a client from 23 on without buildx is refused for builds (the legacy builder has no RUN --mount), not for push', async () => {
      fake = installFakeEngines({ versions: { docker: '28.2.2' }, state: { buildx: false } });
      await expect(detectEngine('docker', fake.dir, { forBuild: true })).rejects.toThrow(
        /^docker 28\.2\.2 builds with BuildKit only through the buildx plugin, which is not installed: without it docker falls back to its legacy builder, which has no RUN --mount, secrets or build contexts\. Install buildx/,
      );
      expect(await detectEngine('docker', fake.dir)).toEqual({ name: 'docker', command: 'docker', version: '28.2.2', daemonVersion: '28.2.2' });
    });

    test('a daemon older than 20.10 is too old, whatever the client', async () => {
      fake = installFakeEngines({ versions: { docker: '24.0.7' }, state: { dockerDaemon: '19.03.15' } });
      await expect(detectEngine('docker', fake.dir)).rejects.toThrow(
        'The docker daemon 19.03.15 is too old: immutable-os needs the docker daemon 20.10.0 or newer. Upgrade it, or choose another engine with the engine option.',
      );
    });

    test('a daemon the user may not reach: says to join the docker group', async () => {
      fake = installFakeEngines({ versions: { docker: '20.10.24' }, state: { rules: [{ engine: 'docker', args: ['version'], exitCode: 1, stderr: 'Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock' }] } });
      await expect(detectEngine('docker', fake.dir)).rejects.toThrow(/permission denied .*\)\. Run as a user in the docker group \(usermod -aG docker <user>, then log in again\) or as root, or choose another engine/);
    });

    test('a daemon that does not answer: named, with what to do', async () => {
      fake = installFakeEngines({ versions: { docker: '20.10.24' }, state: { dockerDaemon: null } });
      await expect(detectEngine('docker', fake.dir)).rejects.toThrow(
        'docker 20.10.24 is installed, but its daemon did not answer (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?). Start the daemon (systemctl start docker), point DOCKER_HOST at a running one, or choose another engine with the engine option.',
      );
    });

    test('auto passes over a docker it cannot use and says why when nothing else is there', async () => {
      fake = installFakeEngines({ versions: { docker: '20.10.24', buildah: '1.28.2' }, state: { dockerDaemon: null } });
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      expect((await detectEngine('auto', fake.dir)).name).toBe('buildah');
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/^immutable-os: using buildah 1\.28\.2: docker 20\.10\.24 is installed, but its daemon did not answer/));
      log.mockRestore();
      fake.restore();
      fake = installFakeEngines({ versions: { docker: '28.2.2' }, state: { buildx: false } });
      await expect(detectEngine('auto', fake.dir, { forBuild: true })).rejects.toThrow(
        /^No container engine found: looked for podman, docker \(installed, but not usable: see below\), buildah on PATH\. Install podman .* docker 28\.2\.2 builds with BuildKit only through the buildx plugin, which is not installed/,
      );
    });
  });

  test('auto stops at a too-old podman instead of quietly using another engine', async () => {
    fake = installFakeEngines({ versions: { podman: '3.4.4', docker: '27.1.0' } });
    await expect(detectEngine('auto', fake.dir)).rejects.toThrow(/^podman 3\.4\.4 is too old/);
  });

  test('no engine at all: lists what was looked for and how to install podman', async () => {
    fake = installFakeEngines({ versions: {} });
    await expect(detectEngine('auto', fake.dir)).rejects.toThrow(
      'No container engine found: looked for podman, docker, buildah on PATH. Install podman (Debian/Ubuntu: apt-get install podman; Fedora: dnf install podman; see https://podman.io/docs/installation).',
    );
  });

  test('a named engine that is missing says so and suggests auto', async () => {
    fake = installFakeEngines({ versions: { podman: '5.2.1' } });
    await expect(detectEngine('docker', fake.dir)).rejects.toThrow(
      /^The engine "docker" \(engine option\) was not found on PATH\. Install it, or set engine to "auto" to use whichever of podman, docker, buildah is installed\. Install podman/,
    );
  });
});

test('the executors offer exactly auto and the engine table', () => {
  expect(buildSchema.properties.engine.enum).toEqual(['auto', ...ENGINE_NAMES]);
  expect(pushSchema.properties.engine.enum).toEqual(['auto', ...ENGINE_NAMES]);
  expect(ENGINE_NAMES).toEqual(['podman', 'docker', 'buildah']);
});

describe('compareVersions', () => {
  test.each([
    ['4.0.0', '4.0.0', 0],
    ['4.10.0', '4.9.9', 1],
    ['4.9', '4.9.0', 0],
    ['3.4.4', '4.0.0', -1],
    ['1.28.2', '1.24.0', 1],
    ['23.0', '23.0.1', -1],
  ])('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});

describe('engineHint', () => {
  test.each([
    ['Error: committing container: writing blob: no space left on device', /disk holding the container storage is full/],
    ['pinging container registry r.example: Get "https://r.example/v2/": dial tcp: lookup r.example: no such host', /registry could not be reached.*tlsVerify to false/],
    ['Get "https://localhost:5000/v2/": http: server gave HTTP response to HTTPS client', /tlsVerify to false/],
    ['Error: writing blob: initiating layer upload: unauthorized: authentication required', /refused the credentials.*usernameEnv\/passwordEnv/],
    ['error: bootc: command not found', /base image has no bootc/],
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', /Docker daemon is not running/],
  ])('%s', (output, hint) => {
    expect(engineHint(output)).toMatch(hint);
  });

  test('unknown failures get no hint', () => {
    expect(engineHint('Error: building at STEP "RUN make": exit status 2')).toBeUndefined();
  });
});
