import type { ProjectGraph, TaskResult } from '@nx/devkit';
import { fakeId, installFakeEngines, type FakeEngines } from '../testing/fake-engine';
import { createTestWorkspace, imageRecord, writeImageRecord, type TestWorkspace } from '../testing/test-workspace';
import { buildResults, checkImagesOn, checkRecordedImages, missingImagesError, skippedCache } from './post-tasks-execution';

const BASE = fakeId('edge-node');
const KIOSK = fakeId('kiosk');
const DIGEST = `sha256:${'d'.repeat(64)}`;

function result(project: string, status: TaskResult['status'], target = 'bootc-build'): TaskResult {
  return { task: { id: `${project}:${target}`, target: { project, target }, overrides: {}, outputs: [], hash: `h-${project}`, cache: true }, status, code: status === 'failure' ? 1 : 0 };
}

describe('buildResults', () => {
  const graph = {
    nodes: {
      a: { name: 'a', type: 'app', data: { root: 'a', targets: { 'bootc-build': { executor: 'immutable-os:build' }, 'bootc-lint': { executor: 'immutable-os:lint' } } } },
      b: { name: 'b', type: 'app', data: { root: 'b', targets: { 'os-build': { executor: 'immutable-os:build' }, 'bootc-build': { executor: 'nx:run-commands' } } } },
    },
    dependencies: {},
  } as unknown as ProjectGraph;

  test('keeps the tasks whose target runs immutable-os:build, by executor, not by name', () => {
    const results = [result('a', 'success'), result('a', 'success', 'bootc-lint'), result('b', 'local-cache', 'os-build'), result('b', 'success'), result('gone', 'success')];
    expect(buildResults(results, graph).map((r) => r.task.id)).toEqual(['a:bootc-build', 'b:os-build']);
  });
});

describe('checkImagesOn', () => {
  test.each<[{ checkImages?: boolean } | undefined, NodeJS.ProcessEnv, boolean]>([
    [undefined, {}, true],
    [{ checkImages: false }, {}, false],
    [{ checkImages: true }, {}, true],
    // one run without the check, nx.json (and so every task hash) unchanged
    [undefined, { IMMUTABLE_OS_CHECK_IMAGES: 'false' }, false],
    [{ checkImages: false }, { IMMUTABLE_OS_CHECK_IMAGES: 'true' }, true],
    [undefined, { IMMUTABLE_OS_CHECK_IMAGES: 'maybe' }, true],
  ])('options %j, env %j: %s', (options, env, expected) => {
    expect(checkImagesOn(options, env)).toBe(expected);
  });
});

describe('skippedCache', () => {
  test.each<[string[], NodeJS.ProcessEnv, boolean]>([
    [['nx', 'run', 'a:bootc-build', '--skip-nx-cache'], {}, true],
    [['nx', 'run-many', '-t', 'bootc-build', '--skipNxCache'], {}, true],
    [['nx', 'run', 'a:bootc-build', '--skip-nx-cache=true'], {}, true],
    [['nx', 'run', 'a:bootc-build', '--skip-nx-cache=false'], {}, false],
    [['nx', 'run', 'a:bootc-build', '--skip-nx-cache', '--no-skip-nx-cache'], {}, false],
    [['nx', 'run', 'a:bootc-build'], {}, false],
    [['nx', 'run', 'a:bootc-build'], { NX_SKIP_NX_CACHE: 'true' }, true],
    // the cache is off: nothing is stored, as Nx stores nothing
    [['nx', 'run', 'a:bootc-build', '--skip-nx-cache'], { NX_DISABLE_NX_CACHE: 'true' }, false],
  ])('%j with %j: %s', (argv, env, expected) => {
    expect(skippedCache(argv, env)).toBe(expected);
  });
});

describe('checkRecordedImages', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => {
    fake.restore();
    ws.cleanup();
  });
  const argv = () => fake.calls().map((c) => [c.engine, ...c.args].join(' '));
  const INSPECT = (...ids: string[]) => `podman image inspect --format {{.Id}} {{join .RepoTags " "}} ${ids.join(' ')}`;

  test('present images cost one inspect of the recorded IDs; a ref that moved is pointed back at the recorded image', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { images: [BASE, KIOSK], tags: { 'localhost/edge-node:latest': BASE, 'localhost/kiosk:latest': BASE } } });
    writeImageRecord(ws.root, imageRecord('edge-node', BASE));
    writeImageRecord(ws.root, imageRecord('kiosk', KIOSK));
    expect(await checkRecordedImages([result('edge-node', 'local-cache'), result('kiosk', 'success')], ws.root)).toEqual([]);
    expect(argv()).toEqual([INSPECT(BASE, KIOSK), `podman tag ${KIOSK} localhost/kiosk:latest`]);
    expect(fake.state().tags['localhost/kiosk:latest']).toBe(KIOSK);
  });

  test('missing images come back from their archive or, by digest, from the registry; the others are named with why', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { registry: { [`ghcr.io/acme/kiosk@${DIGEST}`]: KIOSK } } });
    writeImageRecord(ws.root, imageRecord('edge-node', BASE));
    ws.write({ 'dist/images/edge-node/image.oci.tar': `fake-oci-archive ${BASE}\n` });
    writeImageRecord(ws.root, imageRecord('kiosk', KIOSK));
    ws.write({ 'dist/images/kiosk/push.json': JSON.stringify({ image: 'ghcr.io/acme/kiosk', imageId: KIOSK, digest: DIGEST }) });
    writeImageRecord(ws.root, imageRecord('lost', fakeId('lost')));
    // a push record of an older image of the project does not bring this one back
    writeImageRecord(ws.root, imageRecord('stale', fakeId('stale')));
    ws.write({ 'dist/images/stale/push.json': JSON.stringify({ image: 'ghcr.io/acme/stale', imageId: fakeId('older'), digest: DIGEST }) });
    const problems = await checkRecordedImages(['edge-node', 'kiosk', 'lost', 'stale'].map((p) => result(p, 'local-cache')), ws.root);
    expect(problems).toEqual([
      { project: 'lost', buildTarget: 'bootc-build', reason: `not in podman's storage, and neither dist/images/lost/image.oci.tar nor a push.json of image ${fakeId('lost').slice(0, 12)} can bring it back.` },
      { project: 'stale', buildTarget: 'bootc-build', reason: `not in podman's storage, and neither dist/images/stale/image.oci.tar nor a push.json of image ${fakeId('stale').slice(0, 12)} can bring it back.` },
    ]);
    expect(fake.state().images.sort()).toEqual([BASE, KIOSK].sort());
    expect(fake.state().tags).toEqual({ 'localhost/edge-node:latest': BASE, 'localhost/kiosk:latest': KIOSK });
  });

  test.each(['docker', 'buildah'] as const)('%s: the same answers through its own commands', async (engine) => {
    fake = installFakeEngines({ versions: { [engine]: '99.0.0' }, state: { images: [BASE], tags: { 'localhost/edge-node:latest': BASE } } });
    writeImageRecord(ws.root, imageRecord('edge-node', BASE, { engine }));
    writeImageRecord(ws.root, imageRecord('lost', fakeId('lost'), { engine }));
    const problems = await checkRecordedImages([result('edge-node', 'local-cache'), result('lost', 'local-cache')], ws.root);
    expect(problems.map((p) => p.project)).toEqual(['lost']);
    expect(argv().filter((a) => a.includes(' tag '))).toEqual([]);
  });

  test('an archive holding another image is named as inconsistent outputs', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    writeImageRecord(ws.root, imageRecord('edge-node', BASE));
    ws.write({ 'dist/images/edge-node/image.oci.tar': `fake-oci-archive ${KIOSK}\n` });
    const [problem] = await checkRecordedImages([result('edge-node', 'local-cache')], ws.root);
    expect(problem.reason).toBe(
      `dist/images/edge-node/image.oci.tar does not hold the image ${BASE.slice(0, 12)} that dist/images/edge-node/image.json records: the outputs are inconsistent. Rebuild with nx run edge-node:bootc-build --skip-nx-cache.`,
    );
  });

  test('a multi-platform record needs its manifest list in the storage', async () => {
    fake = installFakeEngines({
      versions: { podman: '5.0.0' },
      state: { rules: [{ args: ['manifest', 'exists', 'localhost/kiosk:latest'], exitCode: 0 }, { args: ['manifest', 'exists'], exitCode: 1 }] },
    });
    writeImageRecord(ws.root, imageRecord('kiosk', fakeId('list-id'), { platforms: ['linux/amd64', 'linux/arm64'] }));
    writeImageRecord(ws.root, imageRecord('edge-node', fakeId('list-2'), { platforms: ['linux/amd64', 'linux/arm64'] }));
    expect(await checkRecordedImages([result('kiosk', 'local-cache'), result('edge-node', 'local-cache')], ws.root)).toEqual([
      { project: 'edge-node', buildTarget: 'bootc-build', reason: "its manifest list localhost/edge-node:latest is not in podman's storage (an archive cannot carry a manifest list)." },
    ]);
  });

  test('an unreadable record and an engine that is not installed are named, per record', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    ws.write({ 'dist/images/broken/image.json': '{ not json' });
    writeImageRecord(ws.root, imageRecord('dockered', BASE, { engine: 'docker' }));
    const problems = await checkRecordedImages([result('broken', 'local-cache', 'os-build'), result('dockered', 'local-cache')], ws.root);
    expect(problems.map((p) => `${p.project}:${p.buildTarget}: ${p.reason}`)).toEqual([
      expect.stringMatching(/^broken:os-build: dist\/images\/broken\/image\.json is not valid JSON \(.*\): rebuild with nx run broken:os-build --skip-nx-cache\.$/),
      expect.stringMatching(/^dockered:bootc-build: docker's storage could not be read: docker image inspect .* could not start: docker was not found on PATH; install it/),
    ]);
  });
});

describe('missingImagesError', () => {
  test('names every missing image and gives one rebuild command per build target', () => {
    const error = missingImagesError([
      { project: 'edge-node', buildTarget: 'bootc-build', reason: 'gone.' },
      { project: 'kiosk', buildTarget: 'bootc-build', reason: 'gone too.' },
      { project: 'other', buildTarget: 'os-build', reason: 'also.' },
    ]);
    expect(error.message).toBe(
      [
        'immutable-os: the images of 3 tasks that bootc-build, os-build recorded are not there, so this run fails although Nx reported them as done:',
        '- edge-node:bootc-build: gone.',
        '- kiosk:bootc-build: gone too.',
        '- other:os-build: also.',
        'A cache hit restores the record (dist/images/<project>/image.json), not the image. Rebuild them; the rebuild also replaces their cache entries, so the next runs find the new records:',
        '  nx run-many -t bootc-build -p edge-node,kiosk --skip-nx-cache',
        '  nx run other:os-build --skip-nx-cache',
        'To have cache hits bring images back by themselves, set archive: true on bootc-build, os-build, or push the images with bootc-push (they are then pulled back by digest).',
      ].join('\n'),
    );
    expect(error.stack).toBeUndefined();
  });
});
