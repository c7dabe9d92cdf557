import { isReleaseTag, expandTagRefs, tagTokenValues, assertTagTemplate, expandTagTemplate, needsCommit, TAG_TOKENS, type TagTokenValues } from './tag-template';

const values: TagTokenValues = { projectName: 'edge-node', sha: '0123456789abcdef0123456789abcdef01234567', shortSha: '0123456', date: '20250102', version: undefined };

describe('assertTagTemplate', () => {
  test.each(['latest', '1.0.0', '{projectName}', 'v{date}-{shortSha}', '{sha}', 'x_{projectName}.{date}'])('accepts %s', (template) => {
    expect(() => assertTagTemplate(template, 'tags')).not.toThrow();
  });

  test.each([
    ['{branch}', /^tags: the tag "\{branch\}" uses the unknown token \{branch\}; available tokens are \{projectName\}, \{sha\}, \{shortSha\}, \{date\}, \{version\}\.$/],
    ['v-{Sha}', /uses the unknown token \{Sha\}/],
    ['{}', /uses the unknown token \{\}/],
    ['-latest', /^tags: "-latest" is not a valid tag: use up to 128 letters, digits, "_", "\." or "-", not starting with "\." or "-"\.$/],
    ['.hidden', /"\.hidden" is not a valid tag/],
    ['a:b', /"a:b" is not a valid tag/],
    ['with space', /"with space" is not a valid tag/],
    ['$(id)', /"\$\(id\)" is not a valid tag/],
    ['x'.repeat(129), /is not a valid tag/],
    ['', /"" is not a valid tag/],
  ])('rejects %j naming the option and the value', (template, message) => {
    expect(() => assertTagTemplate(template, 'tags')).toThrow(message);
  });

  test('names the option it is given', () => {
    expect(() => assertTagTemplate('{nope}', 'metadata["immutable-os"].tags')).toThrow(/^metadata\["immutable-os"\]\.tags: /);
  });
});

describe('expandTagTemplate', () => {
  test.each([
    ['latest', 'latest'],
    ['{projectName}', 'edge-node'],
    ['{sha}', values.sha],
    ['{shortSha}', '0123456'],
    ['{date}', '20250102'],
    ['{projectName}-{date}-{shortSha}', 'edge-node-20250102-0123456'],
    ['{shortSha}{shortSha}', '01234560123456'],
  ])('%s → %s', (template, expected) => {
    expect(expandTagTemplate(template, values, 'tags')).toBe(expected);
  });

  test.each(['{sha}', 'build-{shortSha}'])('%s without a commit says the workspace has no git commit', (template) => {
    expect(() => expandTagTemplate(template, { ...values, sha: undefined, shortSha: undefined }, 'tags')).toThrow(
      /^tags: the tag ".*" uses \{(sha|shortSha)\}, but the workspace is not a git repository with a commit\. Commit first, or remove the token\.$/,
    );
  });

  test('checks the template before expanding', () => {
    expect(() => expandTagTemplate('{nope}', values, 'tags')).toThrow(/unknown token \{nope\}/);
  });
});

test('needsCommit is true only for {sha} and {shortSha}', () => {
  expect(needsCommit(['latest', '{date}', '{projectName}'])).toBe(false);
  expect(needsCommit(['latest', 'v-{sha}'])).toBe(true);
  expect(needsCommit(['{shortSha}'])).toBe(true);
  expect(TAG_TOKENS).toEqual(['projectName', 'sha', 'shortSha', 'date', 'version']);
});

describe('release tags', () => {
  test.each([
    ['{version}', true],
    ['v{version}-{shortSha}', true],
    ['latest', false],
    ['{date}', false],
  ])('isReleaseTag(%p) is %p', (template, expected) => {
    expect(isReleaseTag(template)).toBe(expected);
  });

  it('expands {version} into refs, dropping duplicates', () => {
    const values = tagTokenValues('kiosk', 'abcdef1234567', '2026-11-25T10:00:00.000Z', '1.4.0');
    expect(expandTagRefs('ghcr.io/acme/kiosk', ['{version}', 'v{version}', '{version}', '{date}-{shortSha}'], values, 'tags')).toEqual([
      'ghcr.io/acme/kiosk:1.4.0',
      'ghcr.io/acme/kiosk:v1.4.0',
      'ghcr.io/acme/kiosk:20261125-abcdef1',
    ]);
  });

  it('says how to get a version when there is none', () => {
    const values = tagTokenValues('kiosk', undefined, '2026-11-25T10:00:00.000Z', undefined);
    expect(() => expandTagRefs('ghcr.io/acme/kiosk', ['{version}'], values, 'tags')).toThrow(/no release version at HEAD.*Run nx release first/);
  });

  it('refuses an expansion that is no valid tag', () => {
    const values = tagTokenValues('@acme/kiosk', undefined, '2026-11-25T10:00:00.000Z', undefined);
    expect(() => expandTagRefs('ghcr.io/acme/kiosk', ['{projectName}'], values, 'tags')).toThrow(/expands to "@acme\/kiosk", which is not a valid tag/);
  });
});
