import type { EngineName } from '../../../utils/engine';
import { buildArgv, type BuildInvocation } from './build-argv';

const CF = '/ws/images/edge-node/Containerfile';
const CTX = '/ws/images/edge-node';
const IID = '/tmp/build/iid';
const REF = 'localhost/edge-node:latest';

const base: BuildInvocation = {
  containerfile: CF,
  context: CTX,
  refs: [REF],
  labels: {},
  buildArgs: {},
  platforms: [],
  pull: 'missing',
  noCache: false,
  secrets: [],
  cacheFrom: [],
  cacheTo: [],
  buildContexts: [],
  iidfile: IID,
  extraArgs: [],
};

// A whole build argv: `before` the pull policy (labels, build args, platform, target), `after` it (the rest).
const argv = ({ tags = ['--tag', REF], before = [] as string[], pull = ['--pull=missing'], after = [] as string[] } = {}) => [
  'build',
  '--file',
  CF,
  ...tags,
  ...before,
  ...pull,
  ...after,
  '--iidfile',
  IID,
  CTX,
];

describe('buildArgv', () => {
  test.each<[string, EngineName, Partial<BuildInvocation>, string[]]>([
    ['podman, defaults', 'podman', {}, argv()],
    ['docker, defaults (missing = no --pull)', 'docker', {}, argv({ pull: [] })],
    ['buildah, defaults', 'buildah', {}, argv()],
    [
      'podman, several tags',
      'podman',
      { refs: [REF, 'localhost/edge-node:1.0'] },
      argv({ tags: ['--tag', REF, '--tag', 'localhost/edge-node:1.0'] }),
    ],
    [
      'docker, several tags',
      'docker',
      { refs: [REF, 'ghcr.io/acme/edge-node:abc1234'] },
      argv({ tags: ['--tag', REF, '--tag', 'ghcr.io/acme/edge-node:abc1234'], pull: [] }),
    ],
    [
      'podman, labels then build args',
      'podman',
      { labels: { 'containers.bootc': '1', 'org.opencontainers.image.title': 'edge-node' }, buildArgs: { FEDORA: '44', EMPTY: '' } },
      argv({ before: ['--label', 'containers.bootc=1', '--label', 'org.opencontainers.image.title=edge-node', '--build-arg', 'FEDORA=44', '--build-arg', 'EMPTY='] }),
    ],
    ['docker, labels and build args', 'docker', { labels: { a: 'b' }, buildArgs: { X: 'y' } }, argv({ before: ['--label', 'a=b', '--build-arg', 'X=y'], pull: [] })],
    ['podman, one platform keeps --tag', 'podman', { platforms: ['linux/arm64'] }, argv({ before: ['--platform', 'linux/arm64'] })],
    ['docker, one platform', 'docker', { platforms: ['linux/amd64'] }, argv({ before: ['--platform', 'linux/amd64'], pull: [] })],
    ['buildah, one platform', 'buildah', { platforms: ['linux/arm64/v8'] }, argv({ before: ['--platform', 'linux/arm64/v8'] })],
    [
      'podman, several platforms build a manifest list under the first ref',
      'podman',
      { platforms: ['linux/amd64', 'linux/arm64'], refs: [REF, 'localhost/edge-node:1'] },
      argv({ tags: ['--manifest', REF], before: ['--platform', 'linux/amd64,linux/arm64'] }),
    ],
    [
      'buildah, several platforms: no --iidfile, which buildah refuses for a manifest list',
      'buildah',
      { platforms: ['linux/amd64', 'linux/arm64'] },
      argv({ tags: ['--manifest', REF], before: ['--platform', 'linux/amd64,linux/arm64'] }).filter((a) => a !== '--iidfile' && a !== IID),
    ],
    ['podman, target', 'podman', { target: 'final' }, argv({ before: ['--target', 'final'] })],
    ['docker, target', 'docker', { target: 'final' }, argv({ before: ['--target', 'final'], pull: [] })],
    ['podman, noCache', 'podman', { noCache: true }, argv({ after: ['--no-cache'] })],
    ['docker, noCache', 'docker', { noCache: true }, argv({ pull: [], after: ['--no-cache'] })],
    // Reproducible IDs: podman and buildah stamp the image and every layer file; BuildKit reads SOURCE_DATE_EPOCH.
    ['podman, timestamp', 'podman', { timestamp: 1772600767 }, argv({ after: ['--timestamp', '1772600767'] })],
    ['buildah, timestamp', 'buildah', { timestamp: 0 }, argv({ after: ['--timestamp', '0'] })],
    ['docker, timestamp', 'docker', { timestamp: 1772600767 }, argv({ pull: [], after: ['--build-arg', 'SOURCE_DATE_EPOCH=1772600767'] })],
    [
      'podman, secrets from a file and from the environment',
      'podman',
      { secrets: [{ id: 'token', source: { file: '/ws/secrets/token' } }, { id: 'key', source: { env: 'SIGNING_KEY' } }] },
      argv({ after: ['--secret', 'id=token,src=/ws/secrets/token', '--secret', 'id=key,env=SIGNING_KEY'] }),
    ],
    [
      'docker, secrets',
      'docker',
      { secrets: [{ id: 'token', source: { file: '/ws/t' } }, { id: 'key', source: { env: 'K' } }] },
      argv({ pull: [], after: ['--secret', 'id=token,src=/ws/t', '--secret', 'id=key,env=K'] }),
    ],
    [
      'podman, cache from/to take the repository',
      'podman',
      { cacheFrom: ['ghcr.io/acme/cache'], cacheTo: ['ghcr.io/acme/cache'] },
      argv({ after: ['--cache-from', 'ghcr.io/acme/cache', '--cache-to', 'ghcr.io/acme/cache'] }),
    ],
    [
      'buildah, cache from/to',
      'buildah',
      { cacheFrom: ['r.example/c'], cacheTo: ['r.example/c'] },
      argv({ after: ['--cache-from', 'r.example/c', '--cache-to', 'r.example/c'] }),
    ],
    [
      'docker, cache from/to as registry cache',
      'docker',
      { cacheFrom: ['ghcr.io/acme/cache'], cacheTo: ['ghcr.io/acme/cache'] },
      argv({ pull: [], after: ['--cache-from', 'type=registry,ref=ghcr.io/acme/cache', '--cache-to', 'type=registry,ref=ghcr.io/acme/cache,mode=max'] }),
    ],
    [
      'podman, named build contexts',
      'podman',
      { buildContexts: [{ name: 'ctx', path: '/ws/build_files' }, { name: 'own', path: '/ws/images/edge-node/x' }] },
      argv({ after: ['--build-context', 'ctx=/ws/build_files', '--build-context', 'own=/ws/images/edge-node/x'] }),
    ],
    ['docker, named build contexts', 'docker', { buildContexts: [{ name: 'ctx', path: '/ws/b' }] }, argv({ pull: [], after: ['--build-context', 'ctx=/ws/b'] })],
    [
      'buildah, target, noCache, secrets and build contexts',
      'buildah',
      { target: 't', noCache: true, secrets: [{ id: 's', source: { env: 'S' } }], buildContexts: [{ name: 'c', path: '/ws/c' }] },
      argv({ before: ['--target', 't'], after: ['--no-cache', '--secret', 'id=s,env=S', '--build-context', 'c=/ws/c'] }),
    ],
    [
      'podman, extraArgs come last, right before the context',
      'podman',
      { extraArgs: ['--layers=false', '--squash'], noCache: true },
      ['build', '--file', CF, '--tag', REF, '--pull=missing', '--no-cache', '--iidfile', IID, '--layers=false', '--squash', CTX],
    ],
  ])('%s', (_name, engine, options, expected) => {
    expect(buildArgv(engine, { ...base, ...options })).toEqual(expected);
  });

  test.each<[EngineName, BuildInvocation['pull'], string[]]>([
    ['podman', 'missing', ['--pull=missing']],
    ['podman', 'always', ['--pull=always']],
    ['podman', 'never', ['--pull=never']],
    ['podman', 'newer', ['--pull=newer']],
    ['buildah', 'missing', ['--pull=missing']],
    ['buildah', 'always', ['--pull=always']],
    ['buildah', 'never', ['--pull=never']],
    ['buildah', 'newer', ['--pull=newer']],
    ['docker', 'missing', []],
    ['docker', 'always', ['--pull']],
    ['docker', 'never', []],
    ['docker', 'newer', ['--pull']],
  ])('%s with pull %s passes %j', (engine, pull, expected) => {
    expect(buildArgv(engine, { ...base, pull })).toEqual(argv({ pull: expected }));
  });

  test.each<EngineName>(['podman', 'buildah'])('%s: tlsVerify false pulls bases with --tls-verify=false', (engine) => {
    expect(buildArgv(engine, { ...base, tlsVerify: false })).toEqual(argv({ pull: ['--pull=missing', '--tls-verify=false'] }));
    expect(buildArgv(engine, { ...base, tlsVerify: true })).toEqual(argv());
  });

  test('docker refuses tlsVerify false, naming where docker takes insecure registries', () => {
    expect(() => buildArgv('docker', { ...base, tlsVerify: false })).toThrow('tlsVerify: docker build has no --tls-verify; list the registry under "insecure-registries" in /etc/docker/daemon.json');
  });

  test('docker refuses several platforms, naming the option and the engines that can', () => {
    expect(() => buildArgv('docker', { ...base, platforms: ['linux/amd64', 'linux/arm64'] })).toThrow(
      /^platform: several platforms need a manifest list.*use engine podman or buildah/,
    );
  });

  describe('docker before 23, building with the daemon\'s BuildKit (no buildx)', () => {
    const docker20 = { name: 'docker', builder: 'daemon-buildkit', version: '20.10.24' } as const;

    test('builds as with buildx: secrets, target, one platform, the SOURCE_DATE_EPOCH build arg', () => {
      const options = { target: 't', platforms: ['linux/amd64'], timestamp: 5, secrets: [{ id: 's', source: { env: 'S' } }] };
      expect(buildArgv(docker20, { ...base, ...options })).toEqual(buildArgv('docker', { ...base, ...options }));
    });

    test('cacheFrom names the image whose inline cache it reads', () => {
      expect(buildArgv(docker20, { ...base, cacheFrom: ['ghcr.io/acme/cache'] })).toEqual(argv({ pull: [], after: ['--cache-from', 'ghcr.io/acme/cache'] }));
    });

    test.each<[string, Partial<BuildInvocation>, RegExp]>([
      ['buildContexts', { buildContexts: [{ name: 'ctx', path: '/ws/b' }] }, /^buildContexts: docker 20\.10\.24 builds with the daemon's BuildKit \(no buildx\), which has no --build-context\. Install the buildx plugin/],
      ['cacheTo', { cacheTo: ['ghcr.io/acme/cache'] }, /^cacheTo: docker 20\.10\.24 builds with the daemon's BuildKit \(no buildx\), which cannot export a build cache \(--cache-to\)\. Drop cacheTo/],
    ])('%s is refused, naming the option and what can', (_name, options, message) => {
      expect(() => buildArgv(docker20, { ...base, ...options })).toThrow(message);
    });
  });

  test.each<EngineName>(['podman', 'docker', 'buildah'])('%s: values with shell metacharacters stay one literal argument each', (engine) => {
    const nasty = `$(id); \`whoami\` "dq" 'sq' a b | & > /tmp/x`;
    const result = buildArgv(engine, {
      ...base,
      containerfile: '/ws/my images/Containerfile; rm -rf /',
      context: '/ws/my images/$(id)',
      labels: { note: nasty },
      buildArgs: { MOTD: nasty },
      target: '`id`',
      secrets: [{ id: 'tok', source: { file: '/ws/a b/$(id)' } }],
      buildContexts: [{ name: 'ctx', path: "/ws/it's here" }],
      iidfile: '/tmp/a b/iid',
      extraArgs: ['--build-arg=X=$(id)'],
    });
    expect(result).toContain('/ws/my images/Containerfile; rm -rf /');
    expect(result).toContain(`note=${nasty}`);
    expect(result).toContain(`MOTD=${nasty}`);
    expect(result).toContain('`id`');
    expect(result).toContain('id=tok,src=/ws/a b/$(id)');
    expect(result).toContain("ctx=/ws/it's here");
    expect(result).toContain('/tmp/a b/iid');
    expect(result).toContain('--build-arg=X=$(id)');
    expect(result.at(-1)).toBe('/ws/my images/$(id)');
    expect(result.at(-2)).toBe('--build-arg=X=$(id)');
    expect(result.filter((a) => a.includes(nasty))).toHaveLength(2);
  });
});
