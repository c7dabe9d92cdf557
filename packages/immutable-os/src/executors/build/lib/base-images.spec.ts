import type { ExecutorContext } from '@nx/devkit';
import { fakeId, installFakeEngines, type FakeEngines } from '../../../testing/fake-engine';
import { createTestWorkspace, executorContext, imageRecord, writeImageRecord, type TestWorkspace } from '../../../testing/test-workspace';
import { parseContainerfile } from '../../../utils/containerfile';
import type { Engine, EngineName } from '../../../utils/engine';
import { resolveWorkspaceBases } from './base-images';

const EDGE_ID = fakeId('edge-node');
const FLAVOR = 'FROM localhost/edge-node:latest\nCOPY --from=localhost/tools:latest /bin/t /bin/t\nRUN touch /etc/flavor\n';

describe('resolveWorkspaceBases', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({ 'images/edge-node/Containerfile': 'FROM quay.io/fedora/fedora-bootc:42\n', 'images/flavor/Containerfile': FLAVOR, 'libs/tools/project.json': '{}' });
    writeImageRecord(ws.root, imageRecord('edge-node', EDGE_ID));
  });
  afterEach(() => {
    fake.restore();
    ws.cleanup();
  });

  const engine = (name: EngineName): Engine => ({ name, command: name, version: '99.0.0' });
  // flavor depends on edge-node and on tools, which has no Containerfile (so is no image project).
  const context = (dependencies: Record<string, string[]> = { flavor: ['edge-node', 'tools'] }): ExecutorContext =>
    executorContext(ws.root, 'flavor', { 'edge-node': { root: 'images/edge-node' }, flavor: { root: 'images/flavor' }, tools: { root: 'libs/tools' } }, { dependencies });
  const resolve = (name: EngineName, ctx = context()) => resolveWorkspaceBases(engine(name), parseContainerfile(FLAVOR), FLAVOR, ctx, 'bootc-build');

  test('podman: a base the project depends on is replaced by its recorded image ID, after making sure the image is there', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { images: [EDGE_ID] } });
    const result = await resolve('podman');
    expect(result.substituted).toBe(true);
    expect(result.content).toBe(`FROM ${EDGE_ID}\nCOPY --from=localhost/tools:latest /bin/t /bin/t\nRUN touch /etc/flavor\n`);
    expect([...result.records.keys()]).toEqual(['edge-node']);
    expect(fake.calls().map((c) => c.args)).toEqual([
      ['tag', EDGE_ID, 'localhost/edge-node:latest'],
    ]);
  });

  test('docker: the base gets a local tag that names its ID, since docker build wants a tag', async () => {
    fake = installFakeEngines({ versions: { docker: '27.0.0' }, state: { images: [EDGE_ID] } });
    const tag = `immutable-os-base/edge-node:${EDGE_ID.slice(0, 12)}`;
    const result = await resolve('docker');
    expect(result.content.split('\n')[0]).toBe(`FROM ${tag}`);
    expect(fake.calls().map((c) => c.args).at(-1)).toEqual(['tag', EDGE_ID, tag]);
  });

  test('pinned external bases are built from reference@digest, beside workspace bases replaced by ID', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { images: [EDGE_ID] } });
    const digest = `sha256:${'c'.repeat(64)}`;
    const text = 'ARG TOOLS=quay.io/acme/tools:1\nFROM ${TOOLS} AS tools\nFROM localhost/edge-node:latest\nCOPY --from=quay.io/acme/tools:1 /t /t\nCOPY --from=quay.io/acme/other:1 /o /o\n';
    const result = await resolveWorkspaceBases(engine('podman'), parseContainerfile(text), text, context(), 'bootc-build', { 'quay.io/acme/tools:1': digest });
    expect(result.content).toBe(
      `ARG TOOLS=quay.io/acme/tools:1\nFROM quay.io/acme/tools:1@${digest} AS tools\nFROM ${EDGE_ID}\nCOPY --from=quay.io/acme/tools:1@${digest} /t /t\nCOPY --from=quay.io/acme/other:1 /o /o\n`,
    );
    // Alone (no workspace base), the pins are still applied.
    const alone = 'FROM quay.io/acme/tools:1\n';
    expect((await resolveWorkspaceBases(engine('podman'), parseContainerfile(alone), alone, context(), 'bootc-build', { 'quay.io/acme/tools:1': digest })).content).toBe(`FROM quay.io/acme/tools:1@${digest}\n`);
  });

  test('a project that is no dependency in the graph is left alone (Nx did not build it for this task)', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { images: [EDGE_ID] } });
    const result = await resolve('podman', context({}));
    expect(result).toEqual({ content: FLAVOR, records: new Map(), substituted: false });
    expect(fake.calls()).toEqual([]);
  });

  test('a base whose record is missing says to build it', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    ws.cleanup();
    ws = createTestWorkspace();
    ws.write({ 'images/edge-node/Containerfile': 'FROM scratch\n', 'images/flavor/Containerfile': FLAVOR });
    await expect(resolve('podman', { ...context(), root: ws.root })).rejects.toThrow(
      'dist/images/edge-node/image.json does not exist: build the image first with nx run edge-node:bootc-build.',
    );
  });

  test('a base whose image is gone and was not archived fails with the way back', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    await expect(resolve('podman')).rejects.toThrow(/is not in podman's storage.*--skip-nx-cache.*archive: true/);
  });
});
