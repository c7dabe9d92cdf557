import { createTestWorkspace, type TestWorkspace } from '../../../testing/test-workspace';
import type { NormalizedBuildOptions } from './normalize-options';
import { expandTags, projectVersion } from './tags';

const SHA = '89abcdef0123456789abcdef0123456789abcdef';
const BUILT_AT = '2025-03-04T23:59:59.123Z';

function options(tagTemplates: string[], overrides: Partial<NormalizedBuildOptions> = {}): NormalizedBuildOptions {
  return { projectName: 'edge-node', image: 'ghcr.io/acme/edge-node', tagTemplates, ...overrides } as NormalizedBuildOptions;
}

describe('expandTags', () => {
  test.each([
    [['latest'], ['ghcr.io/acme/edge-node:latest']],
    [['{projectName}'], ['ghcr.io/acme/edge-node:edge-node']],
    [['{sha}'], [`ghcr.io/acme/edge-node:${SHA}`]],
    [['{shortSha}'], ['ghcr.io/acme/edge-node:89abcde']],
    [['{date}'], ['ghcr.io/acme/edge-node:20250304']],
    [['latest', 'v{date}.{shortSha}'], ['ghcr.io/acme/edge-node:latest', 'ghcr.io/acme/edge-node:v20250304.89abcde']],
    [['latest', 'latest'], ['ghcr.io/acme/edge-node:latest']],
  ])('%j → %j', (templates, refs) => {
    expect(expandTags(options(templates), { revision: SHA }, BUILT_AT)).toEqual(refs);
  });

  test('{sha} outside git says to commit or drop the token', () => {
    expect(() => expandTags(options(['latest', '{sha}']), {}, BUILT_AT)).toThrow(
      'tags: the tag "{sha}" uses {sha}, but the workspace is not a git repository with a commit. Commit first, or remove the token.',
    );
  });

  test('a tag that expands to an invalid tag names the template and the expansion', () => {
    expect(() => expandTags(options(['{projectName}'], { projectName: '@acme/edge-node' }), { revision: SHA }, BUILT_AT)).toThrow(
      /^tags: "\{projectName\}" expands to "@acme\/edge-node", which is not a valid tag/,
    );
    expect(() => expandTags(options(['{projectName}-{sha}-{sha}'], { projectName: 'p'.repeat(50) }), { revision: SHA }, BUILT_AT)).toThrow(
      /expands to "p{50}-[0-9a-f]{40}-[0-9a-f]{40}", which is not a valid tag \(letters, digits, "_", "\." or "-", at most 128\)/,
    );
  });
});

describe('projectVersion', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => ws.cleanup());

  test('reads the version of a package.json beside the project', () => {
    ws.write({ 'images/edge-node/package.json': '{ "name": "edge-node", "version": "1.2.3" }' });
    expect(projectVersion({ workspaceRoot: ws.root, projectRoot: 'images/edge-node' })).toBe('1.2.3');
  });

  test.each([
    ['no package.json', undefined],
    ['no version', '{ "name": "x" }'],
    ['a version that is no string', '{ "version": 3 }'],
    ['invalid JSON', '{ version: '],
  ])('is undefined with %s', (_name, content) => {
    if (content !== undefined) ws.write({ 'images/edge-node/package.json': content });
    expect(projectVersion({ workspaceRoot: ws.root, projectRoot: 'images/edge-node' })).toBeUndefined();
  });
});
