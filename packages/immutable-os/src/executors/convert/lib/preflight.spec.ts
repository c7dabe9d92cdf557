import { fakeId, installFakeEngines, type FakeEngines, type FakeState } from '../../../testing/fake-engine';
import { createTestWorkspace, imageRecord, type TestWorkspace } from '../../../testing/test-workspace';
import { checkImageForBuilder } from './preflight';
import type { RootPodman } from './root-podman';

const ID = fakeId('edge-node');
const OLDER = fakeId('edge-node older build');
const REFS = ['localhost/edge-node:latest', 'localhost/edge-node:1.0'];
const LABEL_QUERY = ['image', 'inspect', '--format', '{{index .Config.Labels "containers.bootc"}}', ID];
const DIRECT: RootPodman = { command: 'podman', prefix: [] };
const SUDO: RootPodman = { command: 'sudo', prefix: ['--non-interactive', 'podman'] };
const BOOTC = { [ID]: { 'containers.bootc': '1' } };

describe('checkImageForBuilder', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => {
    fake.restore();
    ws.cleanup();
  });

  const record = imageRecord('edge-node', ID, { refs: REFS });
  const install = (state: Partial<FakeState>) => (fake = installFakeEngines({ versions: { podman: '5.2.1' }, sudo: true, state }));
  const podmanCalls = () => fake.calls().filter((c) => c.engine === 'podman').map((c) => c.args);

  test('a multi-platform build in rootless storage: a manifest list cannot be copied into root\'s, said before anything is copied', async () => {
    // Not in root's storage (the fake keeps one storage: the user's copy is not asked for before the refusal).
    install({ images: [], labels: BOOTC });
    await expect(checkImageForBuilder(SUDO, { ...record, platforms: ['linux/amd64', 'linux/arm64'] }, ws.root)).rejects.toThrow(
      /^edge-node was built for linux\/amd64, linux\/arm64 in podman's rootless storage, and a manifest list cannot be copied into root's container storage, which bootc-image-builder reads \(an archive holds one image\)\. Build the platform to convert alone/,
    );
    expect(fake.calls().some((c) => c.args.includes('save') || c.args.includes('load'))).toBe(false);
  });

  describe('rootful (podman directly)', () => {
    test('image present and labelled containers.bootc=1: ok; its refs are pointed at it again', async () => {
      install({ images: [ID, OLDER], tags: { [REFS[0]]: OLDER }, labels: BOOTC });
      await expect(checkImageForBuilder(DIRECT, record, ws.root)).resolves.toBeUndefined();
      expect(podmanCalls()).toEqual([['--version'], ['tag', ID, REFS[0]], ['tag', ID, REFS[1]], LABEL_QUERY]);
      expect(fake.state().tags).toEqual({ [REFS[0]]: ID, [REFS[1]]: ID });
    });

    test('record IDs with sha256: are checked without it', async () => {
      install({ images: [ID], labels: BOOTC });
      await checkImageForBuilder(DIRECT, { ...record, imageId: `sha256:${ID}` }, ws.root);
      expect(podmanCalls().at(-1)).toEqual(LABEL_QUERY);
    });

    test('image absent, archive kept: loaded from dist/images/<project>/image.oci.tar', async () => {
      install({ labels: BOOTC });
      ws.write({ 'dist/images/edge-node/image.oci.tar': `fake-oci-archive ${ID}\n` });
      await checkImageForBuilder(DIRECT, record, ws.root);
      expect(fake.state().images).toEqual([ID]);
    });

    test('image absent and no archive: the ensureImage error (rebuild or archive: true)', async () => {
      install({ labels: BOOTC });
      await expect(checkImageForBuilder(DIRECT, record, ws.root)).rejects.toThrow(
        `The image ${ID.slice(0, 12)} recorded in dist/images/edge-node/image.json is not in podman's storage: ` +
          'Nx restored the build from its cache, which holds the record but not the image. ' +
          'Rebuild it with nx run edge-node:bootc-build --skip-nx-cache (the rebuild replaces its cache entry), or set archive: true on bootc-build so cached builds carry the image (or push it with bootc-push, so the image can be pulled back by digest).',
      );
    });

    test.each([
      ['missing', {}, 'none'],
      ['0', { 'containers.bootc': '0' }, '"0"'],
    ])('label %s: an error saying the builder only converts bootc images', async (_name, labels, found) => {
      install({ images: [ID], labels: { [ID]: labels } });
      await expect(checkImageForBuilder(DIRECT, record, ws.root)).rejects.toThrow(
        `The image ${REFS[0]} has no label containers.bootc=1 (found ${found}): bootc-image-builder only converts bootc images. Build FROM a bootc base, or add LABEL containers.bootc=1.`,
      );
    });

    test('podman answering <no value> for a missing label counts as missing', async () => {
      install({ images: [ID], rules: [{ engine: 'podman', args: ['image', 'inspect'], stdout: '<no value>' }] });
      await expect(checkImageForBuilder(DIRECT, record, ws.root)).rejects.toThrow('has no label containers.bootc=1 (found none)');
    });
  });

  describe('rootless podman, root reached through sudo', () => {
    test('image in root\'s storage: its refs are pointed at it there, the label is checked there', async () => {
      install({ images: [ID, OLDER], tags: { [REFS[0]]: OLDER }, labels: BOOTC });
      await checkImageForBuilder(SUDO, record, ws.root);
      expect(fake.calls().filter((c) => c.engine === 'sudo').map((c) => c.args.slice(2))).toEqual([['image', 'exists', ID], ['tag', ID, REFS[0]], ['tag', ID, REFS[1]], LABEL_QUERY]);
      expect(fake.state().tags).toEqual({ [REFS[0]]: ID, [REFS[1]]: ID });
    });

    test('built rootless, not in root\'s storage: copied there by ID (saved as the user, loaded by root), checked, tagged', async () => {
      // The fake has one store: root's `image exists` says absent once, as a rootless build leaves it.
      install({ images: [ID], labels: BOOTC, rules: [{ engine: 'podman', args: ['image', 'exists', ID], times: 1, exitCode: 1 }] });
      await checkImageForBuilder(SUDO, record, ws.root);
      const calls = fake.calls();
      const save = calls.find((c) => c.engine === 'podman' && c.args[0] === 'save');
      expect(save?.args).toEqual(['save', '--format', 'oci-archive', '--output', expect.stringMatching(/immutable-os-stage-[^/]+\/image\.tar$/), ID]);
      expect(calls.filter((c) => c.engine === 'sudo').map((c) => c.args.slice(2))).toEqual([
        ['image', 'exists', ID],
        ['load', '--input', save?.args[4]],
        ['image', 'exists', ID],
        ['tag', ID, REFS[0]],
        ['tag', ID, REFS[1]],
        LABEL_QUERY,
      ]);
    });

    test('a copy after which root\'s storage still has no image of that ID stops the conversion', async () => {
      install({ images: [ID], labels: BOOTC, rules: [{ engine: 'podman', args: ['image', 'exists', ID], times: 2, exitCode: 1 }] });
      await expect(checkImageForBuilder(SUDO, record, ws.root)).rejects.toThrow(
        `Copied ${REFS[0]} from podman's rootless storage into root's container storage, but root's podman has no image ${ID.slice(0, 12)} afterwards`,
      );
    });

    test('label missing in root\'s storage', async () => {
      install({ images: [ID] });
      await expect(checkImageForBuilder(SUDO, record, ws.root)).rejects.toThrow('has no label containers.bootc=1 (found none)');
    });
  });

  test.each([
    ['directly', DIRECT],
    ['through sudo', SUDO],
  ])('an image built with docker is copied from docker\'s storage into root\'s podman storage by ID (%s)', async (_name, podman) => {
    fake = installFakeEngines({ versions: { podman: '5.2.1', docker: '28.2.2' }, sudo: true, state: { images: [ID], labels: BOOTC, rules: [{ engine: 'podman', args: ['image', 'exists', ID], times: 1, exitCode: 1 }] } });
    await checkImageForBuilder(podman, { ...record, engine: 'docker' }, ws.root);
    const calls = fake.calls();
    const save = calls.find((c) => c.engine === 'docker' && c.args[0] === 'save');
    expect(save?.args).toEqual(['save', '--output', expect.stringMatching(/image\.tar$/), ID]);
    const load = calls.find((c) => c.engine === 'podman' && c.args[0] === 'load');
    expect(load?.args).toEqual(['load', '--input', save?.args[2]]);
    expect(calls.filter((c) => c.engine === 'podman').map((c) => c.args[0])).toEqual(['image', 'load', 'image', 'tag', 'tag', 'image']);
  });
});
