import { join } from 'node:path';
import { fakeId, installFakeEngines, type FakeEngines } from '../testing/fake-engine';
import { createTestWorkspace, imageRecord, useWorkspaceAndFakes, type TestWorkspace } from '../testing/test-workspace';
import type { Engine, EngineName } from './engine';
import { ensureImage, hasImage, namedManifestList } from './ensure-image';

const ID = fakeId('edge-node');
const OTHER = fakeId('something-else');
const REFS = ['localhost/edge-node:latest', 'ghcr.io/acme/edge-node:1.0'];
const engine = (name: EngineName): Engine => ({ name, command: name, version: '99.0.0' });

describe('ensureImage', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => {
    fake.restore();
    ws.cleanup();
  });

  const record = imageRecord('edge-node', ID, { refs: REFS });
  const archive = () => join(ws.root, 'dist/images/edge-node/image.oci.tar');
  const argv = () => fake.calls().map((c) => [c.engine, ...c.args].join(' '));

  test('present: the image is in storage, so every ref is tagged to it again (the tag is the check: one call a ref)', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { images: [ID], tags: { [REFS[0]]: OTHER } } });
    expect(await ensureImage(engine('podman'), { ...record, imageId: `sha256:${ID}` }, ws.root)).toBe('present');
    expect(argv()).toEqual([`podman tag ${ID} ${REFS[0]}`, `podman tag ${ID} ${REFS[1]}`]);
    expect(fake.state().tags).toEqual({ [REFS[0]]: ID, [REFS[1]]: ID });
  });

  test.each<[EngineName, (file: string) => string[]]>([
    ['podman', (file) => [`podman image exists ${ID}`, `podman load --input ${file}`, `podman image exists ${ID}`]],
    ['docker', (file) => [`docker image inspect --format {{.Id}} ${ID}`, `docker load --input ${file}`, `docker image inspect --format {{.Id}} ${ID}`]],
    [
      'buildah',
      (file) => [
        `buildah inspect --type image --format {{.FromImageID}} ${ID}`,
        `buildah pull --quiet oci-archive:${file}`,
        `buildah inspect --type image --format {{.FromImageID}} ${ID}`,
      ],
    ],
  ])('restored (%s): loads dist/images/<project>/image.oci.tar, checks the ID, then tags every ref', async (name, expected) => {
    fake = installFakeEngines({ versions: { [name]: '99.0.0' } });
    ws.write({ 'dist/images/edge-node/image.oci.tar': `fake-oci-archive ${ID}\n` });
    expect(await ensureImage(engine(name), record, ws.root)).toBe('restored');
    expect(argv()).toEqual([`${name} tag ${ID} ${REFS[0]}`, ...expected(archive()), `${name} tag ${ID} ${REFS[0]}`, `${name} tag ${ID} ${REFS[1]}`]);
    expect(fake.state().images).toEqual([ID]);
  });

  describe('no archive, but bootc-push recorded the image: pulled back by digest', () => {
    const DIGEST = `sha256:${'d'.repeat(64)}`;
    const pushJson = (imageId: string, tlsVerify?: boolean) =>
      ws.write({ 'dist/images/edge-node/push.json': JSON.stringify({ image: 'ghcr.io/acme/edge-node', imageId, digest: DIGEST, ...(tlsVerify === undefined ? {} : { tlsVerify }) }) });

    test('pulls <image>@<digest> with the recorded TLS setting, checks the ID, tags every ref', async () => {
      fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { registry: { [`ghcr.io/acme/edge-node@${DIGEST}`]: ID } } });
      pushJson(ID, false);
      expect(await ensureImage(engine('podman'), record, ws.root)).toBe('restored');
      expect(argv()).toEqual([
        `podman tag ${ID} ${REFS[0]}`,
        `podman image exists ${ID}`,
        `podman pull --quiet --tls-verify=false ghcr.io/acme/edge-node@${DIGEST}`,
        `podman image exists ${ID}`,
        `podman tag ${ID} ${REFS[0]}`,
        `podman tag ${ID} ${REFS[1]}`,
      ]);
    });

    test('a digest that now serves another image is refused', async () => {
      fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { registry: { [`ghcr.io/acme/edge-node@${DIGEST}`]: OTHER } } });
      pushJson(ID);
      await expect(ensureImage(engine('podman'), record, ws.root)).rejects.toThrow(`ghcr.io/acme/edge-node@${DIGEST} does not hold the image ${ID.slice(0, 12)}`);
      expect(fake.state().tags).toEqual({});
    });

    test('a push record of another image is not used', async () => {
      fake = installFakeEngines({ versions: { podman: '5.0.0' } });
      pushJson(OTHER);
      await expect(ensureImage(engine('podman'), record, ws.root)).rejects.toThrow('--skip-nx-cache');
      expect(argv()).toEqual([`podman tag ${ID} ${REFS[0]}`, `podman image exists ${ID}`]);
    });
  });

  test('no image and no archive: the error names the record, --skip-nx-cache and archive', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    await expect(ensureImage(engine('podman'), record, ws.root, 'os-build')).rejects.toThrow(
      `The image ${ID.slice(0, 12)} recorded in dist/images/edge-node/image.json is not in podman's storage: ` +
        'Nx restored the build from its cache, which holds the record but not the image. ' +
        'Rebuild it with nx run edge-node:os-build --skip-nx-cache (the rebuild replaces its cache entry), or set archive: true on os-build so cached builds carry the image ' +
        '(or push it with bootc-push, so the image can be pulled back by digest).',
    );
    expect(argv()).toEqual([`podman tag ${ID} ${REFS[0]}`, `podman image exists ${ID}`]);
  });

  test('an archive that holds another image is refused, and nothing is tagged', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    ws.write({ 'dist/images/edge-node/image.oci.tar': `fake-oci-archive ${OTHER}\n` });
    await expect(ensureImage(engine('podman'), record, ws.root)).rejects.toThrow(
      `dist/images/edge-node/image.oci.tar does not hold the image ${ID.slice(0, 12)} that dist/images/edge-node/image.json records: the outputs are inconsistent. Rebuild with nx run edge-node:bootc-build --skip-nx-cache.`,
    );
    expect(fake.state().tags).toEqual({});
    expect(argv().filter((a) => a.includes(' tag ')).length).toBe(1);
  });

  test('a tag that fails while the image is there is that error (nothing is loaded or pulled)', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' }, state: { images: [ID], rules: [{ args: ['tag'], exitCode: 125, stderr: 'Error: invalid reference format' }] } });
    ws.write({ 'dist/images/edge-node/image.oci.tar': `fake-oci-archive ${ID}\n` });
    await expect(ensureImage(engine('podman'), record, ws.root)).rejects.toThrow(/^podman tag [0-9a-f]{64} localhost\/edge-node:latest failed with exit code 125\.\nLast lines of its output:\n {2}Error: invalid reference format/);
    expect(argv()).toEqual([`podman tag ${ID} ${REFS[0]}`, `podman image exists ${ID}`]);
  });

  test('an archive the engine cannot load fails with the engine error', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0' } });
    ws.write({ 'dist/images/edge-node/image.oci.tar': 'not an archive' });
    await expect(ensureImage(engine('podman'), record, ws.root)).rejects.toThrow(
      /podman load --input .*image\.oci\.tar failed with exit code 125\.\nLast lines of its output:\n {2}Error: payload does not match/,
    );
  });
});

describe('hasImage', () => {
  let fake: FakeEngines;
  afterEach(() => fake.restore());

  test('true when the engine has the ID, false when it answers no', async () => {
    fake = installFakeEngines({ versions: { podman: '5.0.0', docker: '27.0.0' }, state: { images: [ID] } });
    expect(await hasImage(engine('podman'), ID, fake.dir)).toBe(true);
    expect(await hasImage(engine('podman'), OTHER, fake.dir)).toBe(false);
    expect(await hasImage(engine('docker'), OTHER, fake.dir)).toBe(false);
  });

  test('an engine that cannot run is an error, not "no image"', async () => {
    fake = installFakeEngines({ versions: {} });
    await expect(hasImage(engine('podman'), ID, fake.dir)).rejects.toThrow(/^podman image exists [0-9a-f]{64} could not start: podman was not found on PATH/);
  });
});

describe('namedManifestList', () => {
  const t = useWorkspaceAndFakes();
  const LIST = fakeId('edge-node list');
  const PLATFORM = fakeId('edge-node arm64');
  const REF = 'localhost/edge-node:latest';
  const notAList = (ref: string) => ({ engine: 'podman' as const, args: ['manifest', 'exists', ref], exitCode: 1 });

  test('the ref names the list: nothing to do', async () => {
    t.install({ versions: { podman: '5.0.0' }, state: { images: [LIST], tags: { [REF]: LIST } } });
    expect(await namedManifestList(engine('podman'), REF, LIST, t.ws.root)).toBe(true);
    expect(t.fake.calls().map((c) => c.args[0])).toEqual(['manifest']);
  });

  test('a conversion killed while the ref named one platform\'s image: the list gets its name back, and says so', async () => {
    t.install({ versions: { podman: '5.0.0' }, state: { images: [LIST, PLATFORM], tags: { [REF]: PLATFORM }, rules: [notAList(REF)] } });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await namedManifestList(engine('podman'), REF, `sha256:${LIST}`, t.ws.root)).toBe(true);
    expect(t.fake.state().tags[REF]).toBe(LIST);
    expect(log).toHaveBeenCalledWith(expect.stringContaining(`${REF} named one image of its manifest list ${LIST.slice(0, 12)}`));
    log.mockRestore();
  });

  test('neither the name nor the list is there: false, nothing tagged', async () => {
    t.install({ versions: { podman: '5.0.0' }, state: { images: [], rules: [notAList(REF), notAList(LIST)] } });
    expect(await namedManifestList(engine('podman'), REF, LIST, t.ws.root)).toBe(false);
    expect(t.fake.calls().some((c) => c.args[0] === 'tag')).toBe(false);
  });
});
