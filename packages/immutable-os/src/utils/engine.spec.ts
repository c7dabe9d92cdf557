import buildSchema from '../executors/build/schema.json';
import pushSchema from '../executors/push/schema.json';
import { installFakeEngines, type FakeEngines } from '../testing/fake-engine';
import { compareVersions, detectEngine, ENGINE_NAMES, engineHint } from './engine';

describe('detectEngine', () => {
  let fake: FakeEngines | undefined;
  afterEach(() => fake?.restore());

  test.each([
    [{ podman: '5.2.1', docker: '27.1.0', buildah: '1.37.0' }, { name: 'podman', command: 'podman', version: '5.2.1' }],
    [{ docker: '27.1.0', buildah: '1.37.0' }, { name: 'docker', command: 'docker', version: '27.1.0' }],
    [{ buildah: '1.28.2' }, { name: 'buildah', command: 'buildah', version: '1.28.2' }],
  ])('auto with %j picks %j', async (versions, expected) => {
    fake = installFakeEngines({ versions });
    expect(await detectEngine('auto', fake.dir)).toEqual(expected);
    expect(fake.calls().map((c) => `${c.engine} ${c.args.join(' ')}`)).toEqual([`${expected.name} --version`]);
  });

  test('a named engine is used even when an earlier one exists', async () => {
    fake = installFakeEngines({ versions: { podman: '5.2.1', buildah: '1.37.0' } });
    expect(await detectEngine('buildah', fake.dir)).toEqual({ name: 'buildah', command: 'buildah', version: '1.37.0' });
  });

  test.each([
    ['podman', '3.4.4', 'podman 3.4.4 is too old: immutable-os needs podman 4.0.0 or newer. Upgrade it, or choose another engine with the engine option.'],
    ['docker', '20.10.24', 'docker 20.10.24 is too old: immutable-os needs docker 23.0.0 or newer. Upgrade it, or choose another engine with the engine option.'],
    ['buildah', '1.23.1', 'buildah 1.23.1 is too old: immutable-os needs buildah 1.24.0 or newer. Upgrade it, or choose another engine with the engine option.'],
  ] as const)('%s %s is too old', async (name, version, message) => {
    fake = installFakeEngines({ versions: { [name]: version } });
    await expect(detectEngine(name, fake.dir)).rejects.toThrow(message);
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
