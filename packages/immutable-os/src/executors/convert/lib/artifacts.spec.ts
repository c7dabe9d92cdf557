import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestWorkspace, type TestWorkspace } from '../../../testing/test-workspace';
import { collectRun } from './artifacts';

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('collectRun', () => {
  let ws: TestWorkspace;
  let runDir: string;
  let staging: string;
  beforeEach(() => {
    ws = createTestWorkspace();
    runDir = join(ws.root, 'staging/.run-0');
    staging = join(ws.root, 'staging');
    ws.write({ 'staging/.run-0/.keep': '' });
  });
  afterEach(() => ws.cleanup());

  test('moves each file from the builder path to <type>/<file>, with its size and sha256, and keeps the manifest', async () => {
    const qcow2 = randomBytes(300_000);
    mkdirSync(join(runDir, 'qcow2'));
    writeFileSync(join(runDir, 'qcow2/disk.qcow2'), qcow2);
    ws.write({
      'staging/.run-0/image/disk.raw': 'raw bytes\n',
      'staging/.run-0/vpc/disk.vhd': '',
      'staging/.run-0/manifest-qcow2-raw-vhd.json': '{"version":"2"}\n',
    });
    const originals = {
      qcow2: sha256Of(join(runDir, 'qcow2/disk.qcow2')),
      raw: sha256Of(join(runDir, 'image/disk.raw')),
      vhd: sha256Of(join(runDir, 'vpc/disk.vhd')),
    };

    const artifacts = await collectRun(runDir, staging, ['qcow2', 'raw', 'vhd']);

    expect(artifacts).toEqual([
      { type: 'qcow2', file: 'qcow2/disk.qcow2', size: 300_000, sha256: originals.qcow2, manifest: 'manifest-qcow2-raw-vhd.json' },
      { type: 'raw', file: 'raw/disk.raw', size: 10, sha256: originals.raw, manifest: 'manifest-qcow2-raw-vhd.json' },
      { type: 'vhd', file: 'vhd/disk.vhd', size: 0, sha256: createHash('sha256').digest('hex'), manifest: 'manifest-qcow2-raw-vhd.json' },
    ]);
    for (const a of artifacts) expect(sha256Of(join(staging, a.file))).toBe(a.sha256);
    expect(readFileSync(join(staging, 'qcow2/disk.qcow2')).equals(qcow2)).toBe(true);
    expect(ws.read('staging/manifest-qcow2-raw-vhd.json')).toBe('{"version":"2"}\n');
    expect(existsSync(join(runDir, 'qcow2/disk.qcow2'))).toBe(false);
    expect(existsSync(join(runDir, 'manifest-qcow2-raw-vhd.json'))).toBe(false);
    expect(readdirSync(staging).sort()).toEqual(['.run-0', 'manifest-qcow2-raw-vhd.json', 'qcow2', 'raw', 'vhd']);
  });

  test.each([
    ['iso', 'bootiso/install.iso', 'iso/install.iso'],
    ['anaconda-iso', 'bootiso/install.iso', 'anaconda-iso/install.iso'],
    ['bootc-installer', 'bootiso/install.iso', 'bootc-installer/install.iso'],
    ['ami', 'image/disk.raw', 'ami/disk.raw'],
    ['gce', 'gce/image.tar.gz', 'gce/image.tar.gz'],
    ['vmdk', 'vmdk/disk.vmdk', 'vmdk/disk.vmdk'],
  ] as const)('%s: %s → %s', async (type, from, to) => {
    ws.write({ [`staging/.run-0/${from}`]: `${type} bytes` });
    const [artifact] = await collectRun(runDir, staging, [type]);
    expect(artifact).toEqual({ type, file: to, size: `${type} bytes`.length, sha256: createHash('sha256').update(`${type} bytes`).digest('hex'), manifest: undefined });
    expect(ws.read(`staging/${to}`)).toBe(`${type} bytes`);
  });

  test('a type whose file the builder did not write is an error naming the path and the type', async () => {
    ws.write({ 'staging/.run-0/qcow2/disk.qcow2': 'x', 'staging/.run-0/manifest-qcow2-vmdk.json': '{}' });
    await expect(collectRun(runDir, staging, ['qcow2', 'vmdk'])).rejects.toThrow(
      'bootc-image-builder finished but did not write vmdk/disk.vmdk for type vmdk; check its output above.',
    );
  });

  test('a file the builder wrote under another type\'s path does not count', async () => {
    ws.write({ 'staging/.run-0/image/disk.raw': 'x' });
    await expect(collectRun(runDir, staging, ['qcow2'])).rejects.toThrow('did not write qcow2/disk.qcow2 for type qcow2');
  });
});
