import type { NxJsonConfiguration } from '@nx/devkit';
import { createTestWorkspace, type TestWorkspace } from '../testing/test-workspace';
import { builderInputs, sharedBuildInputs } from './build-inputs';

const ROOT = 'images/edge-node';

describe('sharedBuildInputs', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => ws.cleanup());

  const projectJson = (target: string, options: object) =>
    ws.write({ [`${ROOT}/project.json`]: JSON.stringify({ name: 'edge-node', targets: { [target]: { options } } }) });

  test('a context and build contexts outside the project become {workspaceRoot} inputs; inside ones are left out', () => {
    projectJson('bootc-build', { context: 'shared', buildContexts: { ctx: 'build_files', own: '{projectRoot}/x', again: '{workspaceRoot}/shared/' } });
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', {})).toMatchInlineSnapshot(`
[
  "{workspaceRoot}/build_files/**/*",
  "{workspaceRoot}/shared/**/*",
]
`);
  });

  test('nothing outside the project gives no inputs', () => {
    projectJson('bootc-build', { context: '{projectRoot}', buildContexts: { a: `${ROOT}/files`, b: '{projectRoot}' } });
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', {})).toEqual([]);
  });

  test('no project.json (a package.json project) and no defaults give no inputs', () => {
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', {})).toEqual([]);
  });

  test('targetDefaults by executor and by target name apply; the project overrides context and adds to buildContexts', () => {
    const nxJson: NxJsonConfiguration = {
      targetDefaults: {
        'immutable-os:build': { options: { context: 'from-executor-default', buildContexts: { common: 'tools/common' } } },
        'bootc-build': { options: { buildContexts: { scripts: 'build_files', common: 'tools/common-v2' } } },
      },
    };
    projectJson('bootc-build', { context: 'shared', buildContexts: { own: '{projectRoot}/x', extra: 'vendor/keys' } });
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', nxJson)).toEqual([
      '{workspaceRoot}/build_files/**/*',
      '{workspaceRoot}/shared/**/*',
      '{workspaceRoot}/tools/common-v2/**/*',
      '{workspaceRoot}/vendor/keys/**/*',
    ]);
  });

  test('targetDefaults alone give the inputs; array entries with a filter do not apply', () => {
    const nxJson = {
      targetDefaults: {
        'bootc-build': [
          { options: { context: 'shared' } },
          { filter: { projects: ['other'] }, options: { buildContexts: { x: 'not-for-us' } } },
        ],
      },
    } as unknown as NxJsonConfiguration;
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', nxJson)).toEqual(['{workspaceRoot}/shared/**/*']);
  });

  test('reads the options of a renamed build target', () => {
    projectJson('os-build', { context: 'shared' });
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', {})).toEqual([]);
    expect(sharedBuildInputs(ws.root, ROOT, 'os-build', {})).toEqual(['{workspaceRoot}/shared/**/*']);
  });

  test('the workspace root as context is the whole workspace; absolute paths inside count, outside ones are left out', () => {
    projectJson('bootc-build', { context: '{workspaceRoot}', buildContexts: { abs: `${ws.root}/build_files`, outside: '/etc', up: '../elsewhere' } });
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', {})).toEqual(['{workspaceRoot}/**/*', '{workspaceRoot}/build_files/**/*']);
  });

  test('a broken project.json is ignored (the executor reports it)', () => {
    ws.write({ [`${ROOT}/project.json`]: '{ not json' });
    expect(sharedBuildInputs(ws.root, ROOT, 'bootc-build', { targetDefaults: { 'bootc-build': { options: { context: 'shared' } } } })).toEqual([
      '{workspaceRoot}/shared/**/*',
    ]);
  });
});

describe('builderInputs', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => ws.cleanup());

  const images = (nxJson: NxJsonConfiguration, options?: object) => {
    if (options) ws.write({ [`${ROOT}/project.json`]: JSON.stringify({ name: 'edge-node', targets: { 'bootc-convert': { options } } }) });
    return builderInputs(ws.root, ROOT, 'bootc-convert', nxJson).map((input) => /"([^"]+)"$/.exec(input.runtime)?.[1]);
  };

  test.each([
    ['nothing set: the default bootc-image-builder image', {}, undefined, ['quay.io/centos-bootc/bootc-image-builder:latest']],
    ['the image-builder backend: its default image', {}, { builderBackend: 'image-builder' }, ['ghcr.io/osbuild/image-builder:latest']],
    ['targetDefaults by executor, overridden by target name', { targetDefaults: { 'immutable-os:convert': { options: { builderImage: 'a/b:1' } }, 'bootc-convert': { options: { builderImage: 'c/d:2' } } } }, undefined, ['c/d:2']],
    ['the project overrides targetDefaults', { targetDefaults: { 'bootc-convert': { options: { builderImage: 'c/d:2' } } } }, { builderImage: 'e/f:3' }, ['e/f:3']],
    ['pinned by digest: the options already name it exactly, no runtime input', {}, { builderImage: `quay.io/centos-bootc/bootc-image-builder@sha256:${'a'.repeat(64)}` }, []],
  ] as const)('%s', (_name, nxJson, options, expected) => {
    expect(images(nxJson as NxJsonConfiguration, options)).toEqual(expected);
  });

  test('the runtime input runs the plugin\'s builder-image-id script with node', () => {
    const [input] = builderInputs(ws.root, ROOT, 'bootc-convert', {});
    expect(input.runtime).toMatch(/^node "[^"]*\/bin\/builder-image-id\.js" "quay\.io\/centos-bootc\/bootc-image-builder:latest"$/);
  });
});
