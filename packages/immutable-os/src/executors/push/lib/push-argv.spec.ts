import type { EngineName } from '../../../utils/engine';
import { digestFromDockerOutput, loginArgv, pushArgv, registryOf, type PushInvocation } from './push-argv';

const ID = 'f'.repeat(64);
const REF = 'registry.example:5000/acme/edge-node:latest';
const DIGESTFILE = '/tmp/push/digest';

const base: PushInvocation = { imageId: ID, ref: REF, digestfile: DIGESTFILE, tlsVerify: true, extraArgs: [] };

describe('pushArgv', () => {
  test.each<[string, EngineName, Partial<PushInvocation>, string[]]>([
    ['podman, defaults: by image ID to docker://ref', 'podman', {}, ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', ID, `docker://${REF}`]],
    ['buildah, defaults', 'buildah', {}, ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', ID, `docker://${REF}`]],
    ['docker, defaults: by ref', 'docker', {}, ['push', REF]],
    ['podman, tlsVerify false', 'podman', { tlsVerify: false }, ['push', '--digestfile', DIGESTFILE, '--tls-verify=false', ID, `docker://${REF}`]],
    ['buildah, tlsVerify false', 'buildah', { tlsVerify: false }, ['push', '--digestfile', DIGESTFILE, '--tls-verify=false', ID, `docker://${REF}`]],
    [
      'podman, with an auth file',
      'podman',
      { authfile: '/tmp/push/auth.json' },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--authfile', '/tmp/push/auth.json', ID, `docker://${REF}`],
    ],
    [
      'buildah, with an auth file',
      'buildah',
      { authfile: '/tmp/a.json' },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--authfile', '/tmp/a.json', ID, `docker://${REF}`],
    ],
    [
      'podman, signed with a sigstore key',
      'podman',
      { signBySigstoreKey: '/ws/keys/cosign.key' },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--sign-by-sigstore-private-key', '/ws/keys/cosign.key', ID, `docker://${REF}`],
    ],
    [
      'podman, signed with GPG',
      'podman',
      { signBy: 'release@acme.example' },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--sign-by', 'release@acme.example', ID, `docker://${REF}`],
    ],
    [
      'buildah, signed with GPG',
      'buildah',
      { signBy: 'ABCDEF0123456789' },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--sign-by', 'ABCDEF0123456789', ID, `docker://${REF}`],
    ],
    [
      'podman, extraArgs before the image',
      'podman',
      { extraArgs: ['--compression-format', 'zstd'], authfile: '/a' },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--authfile', '/a', '--compression-format', 'zstd', ID, `docker://${REF}`],
    ],
    ['docker, extraArgs before the ref', 'docker', { extraArgs: ['--quiet'] }, ['push', '--quiet', REF]],
    [
      'podman, metacharacters stay one literal argument',
      'podman',
      { signBy: '$(id); `x` "a b"', authfile: "/tmp/it's/auth.json", extraArgs: ['--creds=$(id)'] },
      ['push', '--digestfile', DIGESTFILE, '--tls-verify=true', '--authfile', "/tmp/it's/auth.json", '--sign-by', '$(id); `x` "a b"', '--creds=$(id)', ID, `docker://${REF}`],
    ],
  ])('%s', (_name, engine, options, expected) => {
    expect(pushArgv(engine, { ...base, ...options })).toEqual(expected);
  });

  test.each<[string, EngineName, Partial<PushInvocation>, RegExp]>([
    ['docker cannot skip TLS verification', 'docker', { tlsVerify: false }, /^tlsVerify: docker cannot skip TLS verification.*insecure-registries.*or use podman/],
    ['docker cannot sign with sigstore', 'docker', { signBySigstoreKey: '/k' }, /^signBySigstoreKey\/signBy: docker push cannot sign images; use podman/],
    ['docker cannot sign with GPG', 'docker', { signBy: 'me@x' }, /^signBySigstoreKey\/signBy: docker push cannot sign images; use podman/],
    ['buildah cannot sign with sigstore', 'buildah', { signBySigstoreKey: '/k' }, /^signBySigstoreKey: use podman to sign with a sigstore key \(buildah signs with GPG only: signBy\)/],
  ])('refuses: %s', (_name, engine, options, message) => {
    expect(() => pushArgv(engine, { ...base, ...options })).toThrow(message);
  });
});

describe('loginArgv', () => {
  test.each<[EngineName, boolean, string | undefined, string[]]>([
    ['podman', true, '/tmp/auth.json', ['login', '--username', 'ci-bot', '--password-stdin', '--tls-verify=true', '--authfile', '/tmp/auth.json', 'ghcr.io']],
    ['podman', false, undefined, ['login', '--username', 'ci-bot', '--password-stdin', '--tls-verify=false', 'ghcr.io']],
    ['buildah', true, '/tmp/a', ['login', '--username', 'ci-bot', '--password-stdin', '--tls-verify=true', '--authfile', '/tmp/a', 'ghcr.io']],
    ['docker', true, undefined, ['login', '--username', 'ci-bot', '--password-stdin', 'ghcr.io']],
    ['docker', true, '/ignored', ['login', '--username', 'ci-bot', '--password-stdin', 'ghcr.io']],
  ])('%s (tlsVerify %s, authfile %s) reads the password from stdin', (engine, tlsVerify, authfile, expected) => {
    expect(loginArgv(engine, 'ghcr.io', 'ci-bot', tlsVerify, authfile)).toEqual(expected);
  });

  test('a user name with metacharacters is one argument', () => {
    expect(loginArgv('podman', 'r.example', 'a b;$(id)', true, undefined)).toContain('a b;$(id)');
  });
});

describe('registryOf', () => {
  test.each([
    ['ghcr.io/acme/edge-node:1', 'ghcr.io'],
    ['registry.example:5000/edge-node:latest', 'registry.example:5000'],
    ['localhost:5000/edge-node', 'localhost:5000'],
    ['localhost/edge-node:latest', 'localhost'],
    ['acme/edge-node:1', 'docker.io'],
    ['edge-node:1', 'docker.io'],
    ['[::1]:5000/edge-node', '[::1]:5000'],
  ])('%s → %s', (ref, registry) => {
    expect(registryOf(ref)).toBe(registry);
  });
});

describe('digestFromDockerOutput', () => {
  test('reads the digest docker prints after a push', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(digestFromDockerOutput(`The push refers to repository [r/x]\n5f70bf18a086: Pushed\nlatest: digest: ${digest} size: 1234\n`)).toBe(digest);
  });

  test('is undefined when there is none', () => {
    expect(digestFromDockerOutput('latest: digest: sha256:short size: 1')).toBeUndefined();
  });
});

describe('pushArgv for a multi-platform build', () => {
  const base = { imageId: 'abc123', ref: 'ghcr.io/acme/kiosk:1', digestfile: '/tmp/d', tlsVerify: true, extraArgs: [], manifestList: 'ghcr.io/acme/kiosk:latest' };
  test.each([
    ['podman', ['manifest', 'push', '--all', '--digestfile', '/tmp/d', '--tls-verify=true', 'ghcr.io/acme/kiosk:latest', 'docker://ghcr.io/acme/kiosk:1']],
    ['buildah', ['manifest', 'push', '--all', '--digestfile', '/tmp/d', '--tls-verify=true', 'ghcr.io/acme/kiosk:latest', 'docker://ghcr.io/acme/kiosk:1']],
  ] as const)('%s pushes the manifest list with all its images', (engine, argv) => {
    expect(pushArgv(engine, base)).toEqual(argv);
  });

  it('docker refuses', () => {
    expect(() => pushArgv('docker', base)).toThrow(/manifest list/);
  });
});
