import { assertImageReference, isValidTag, parseImageReference, repositoryKey, type ImageReference } from './image-ref';

const SHA256 = 'sha256:' + 'a'.repeat(64);
const SHA512 = 'sha512:' + '0123456789abcdef'.repeat(8);

// Test titles with long references cut short, so the report stays readable.
const titled = <T extends unknown[]>(rows: Array<[string, ...T]>) =>
  rows.map(([ref, ...rest]) => [ref.length > 60 ? `${ref.slice(0, 40)}…(${ref.length} chars)` : ref, ref, ...rest] as const);

describe('parseImageReference', () => {
  test.each(
    titled<[Partial<ImageReference>]>([
      ['fedora', { path: 'fedora' }],
      ['library/fedora:40', { path: 'library/fedora', tag: '40' }],
      ['quay.io/fedora/fedora-bootc:44', { domain: 'quay.io', path: 'fedora/fedora-bootc', tag: '44' }],
      ['registry.example.com:5000/acme/edge-node:1.2.3', { domain: 'registry.example.com:5000', path: 'acme/edge-node', tag: '1.2.3' }],
      ['localhost:5000/edge-node', { domain: 'localhost:5000', path: 'edge-node' }],
      ['localhost/edge-node:latest', { domain: 'localhost', path: 'edge-node', tag: 'latest' }],
      ['[::1]:5000/edge-node:v1', { domain: '[::1]:5000', path: 'edge-node', tag: 'v1' }],
      ['[2001:db8::1]/acme/os', { domain: '[2001:db8::1]', path: 'acme/os' }],
      ['Registry.Example.com/acme/os', { domain: 'Registry.Example.com', path: 'acme/os' }],
      ['ghcr.io/ublue-os/base-main@' + SHA256, { domain: 'ghcr.io', path: 'ublue-os/base-main', digest: SHA256 }],
      ['ghcr.io/ublue-os/base-main:41@' + SHA512, { domain: 'ghcr.io', path: 'ublue-os/base-main', tag: '41', digest: SHA512 }],
      ['quay.io/a/b@sha1024:' + 'f'.repeat(32), { domain: 'quay.io', path: 'a/b', digest: 'sha1024:' + 'f'.repeat(32) }],
      ['a__b/c.d/e---f_g', { path: 'a__b/c.d/e---f_g' }],
      ['edge:' + 'x'.repeat(128), { path: 'edge', tag: 'x'.repeat(128) }],
      ['edge:_Under.Score-1', { path: 'edge', tag: '_Under.Score-1' }],
      // The longest name, the longest tag and a sha512 digest.
      [`${'r'.repeat(255)}:${'t'.repeat(128)}@${SHA512}`, { path: 'r'.repeat(255), tag: 't'.repeat(128), digest: SHA512 }],
      // As in distribution/reference: with no "/", "localhost:5000" is the repository localhost with the tag 5000.
      ['localhost:5000', { path: 'localhost', tag: '5000' }],
    ]),
  )('%s is valid', (_title, ref, expected) => {
    expect(parseImageReference(ref)).toEqual({ domain: undefined, tag: undefined, digest: undefined, ...expected });
  });

  test.each(
    titled<[RegExp]>([
      ['', /empty/],
      ['Fedora', /repository "Fedora" is not valid/],
      ['quay.io/Fedora/fedora-bootc', /repository "Fedora\/fedora-bootc"/],
      ['quay.io/fedora/', /repository "fedora\/"/],
      ['quay.io//fedora', /repository "\/fedora"/],
      ['quay.io/a..b', /repository "a..b"/],
      ['quay.io/-a', /repository "-a"/],
      ['quay.io/a-', /repository "a-"/],
      ['quay.io/a___b', /repository "a___b"/],
      ['quay.io:abc/a', /registry "quay.io:abc"/],
      ['-quay.io/a', /registry "-quay.io"/],
      ['[::g]/a', /registry "\[::g\]"/],
      ['edge:' + 'x'.repeat(129), /tag "x{129}" is not valid/],
      ['edge:.hidden', /tag ".hidden"/],
      ['edge:-dash', /tag "-dash"/],
      ['edge:', /tag ""/],
      ['edge:a:b', /repository "edge:a"/],
      ['edge@sha256:abc', /digest "sha256:abc"/],
      ['edge@sha256:' + 'a'.repeat(63), /sha256 digest "a{63}" must be exactly 64 lowercase hex digits/],
      ['edge@sha256:' + 'A'.repeat(64), /sha256 digest "A{64}" must be exactly 64 lowercase hex digits/],
      ['edge@sha512:' + 'a'.repeat(64), /sha512 digest .* must be exactly 128/],
      ['edge@sha256' + 'a'.repeat(64), /digest .* is not of the form algorithm:hex/],
      ['edge@' + 'a'.repeat(64), /not of the form algorithm:hex/],
      ['@' + SHA256, /repository ""/],
      [':latest', /repository ""/],
      ['quay.io/' + 'a'.repeat(250), /longer than 255 characters/],
      ['a'.repeat(1025), /1025 characters long \(at most 1024\)/],
    ]),
  )('%s is invalid', (_title, ref, message) => {
    const parsed = parseImageReference(ref);
    expect(parsed).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('isValidTag', () => {
  test.each([
    ['latest', true],
    ['stream10', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['.x', false],
    ['a/b', false],
    ['', false],
  ])('%s → %s', (tag, valid) => {
    expect(isValidTag(tag)).toBe(valid);
  });
});

describe('assertImageReference', () => {
  it('names the option and the reference in the error', () => {
    expect(() => assertImageReference('Quay.io/Bad', 'Option `image`')).toThrow(
      'Option `image` "Quay.io/Bad" is not a valid image reference: the repository "Bad" is not valid',
    );
  });

  it('refuses a tag or digest when allowTag is false and says how to set tags', () => {
    expect(() => assertImageReference('ghcr.io/acme/edge-node:1', 'image', { allowTag: false })).toThrow(/set tags with the tags option/);
    expect(() => assertImageReference(`ghcr.io/acme/edge-node@${SHA256}`, 'image', { allowTag: false })).toThrow(/without a tag or digest/);
    expect(assertImageReference('ghcr.io/acme/edge-node', 'image', { allowTag: false })).toEqual({
      domain: 'ghcr.io',
      path: 'acme/edge-node',
      tag: undefined,
      digest: undefined,
    });
  });
});

describe('repositoryKey', () => {
  test.each([
    ['edge-node', 'edge-node'],
    ['edge-node:latest', 'edge-node'],
    ['localhost/edge-node', 'edge-node'],
    ['localhost/edge-node:latest', 'edge-node'],
    [`localhost/edge-node@${SHA256}`, 'edge-node'],
    ['LOCALHOST/edge-node', undefined],
    ['localhost:5000/edge-node:1', 'localhost:5000/edge-node'],
    ['quay.io/centos-bootc/centos-bootc:stream10', 'quay.io/centos-bootc/centos-bootc'],
    ['Quay.IO/centos-bootc/centos-bootc', 'quay.io/centos-bootc/centos-bootc'],
    [`ghcr.io/acme/edge-node:1@${SHA256}`, 'ghcr.io/acme/edge-node'],
    ['[::1]:5000/edge-node:v1', '[::1]:5000/edge-node'],
    ['Not A Reference', undefined],
    ['', undefined],
  ])('%s → %s', (ref, key) => {
    expect(repositoryKey(ref)).toBe(key);
  });

  it('gives a short name and its localhost/ form the same key', () => {
    expect(repositoryKey('edge-node')).toBe(repositoryKey('localhost/edge-node:latest'));
    expect(repositoryKey('edge-node')).not.toBe(repositoryKey('ghcr.io/acme/edge-node'));
  });
});

describe('uppercase first components (podman normalizes them to docker.io paths)', () => {
  test.each(['UPPER/case', 'Acme/os:1'])('%s is refused', (ref) => {
    expect(parseImageReference(ref)).toEqual({ error: expect.stringContaining('is not valid: use lowercase') });
  });
});
