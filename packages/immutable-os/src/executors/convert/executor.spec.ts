import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { fakeId, installFakeEngines, type FakeEngines } from '../../testing/fake-engine';
import { createTestWorkspace, executorContext, imageRecord, writeImageRecord, type TestWorkspace } from '../../testing/test-workspace';
import convertExecutor from './executor';

const ID = fakeId('edge-node build');
const REF = 'localhost/edge-node:latest';
const BUILDER = 'quay.io/centos-bootc/bootc-image-builder:latest';
const CONFIG = '[[customizations.user]]\nname = "admin"\ngroups = ["wheel"]\n';

// Every file below `dir` with its bytes, so "unchanged" is checked byte for byte.
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return files;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('bootc-convert executor', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  let log: jest.SpyInstance;
  let warn: jest.SpyInstance;
  const stdinTTY = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');

  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({ 'images/edge-node/Containerfile': 'FROM quay.io/fedora/fedora-bootc:42\n', 'images/edge-node/config.toml': CONFIG });
    writeImageRecord(ws.root, imageRecord('edge-node', ID));
    fake = installFakeEngines({
      versions: { podman: '5.2.1' },
      sudo: true,
      state: { images: [ID], tags: { [REF]: ID }, labels: { [ID]: { 'containers.bootc': '1' } }, rules: [
          { engine: 'podman', args: ['info', '--format', '{{.Host.Security.Rootless}}'], stdout: 'false' },
          { engine: 'podman', args: ['info', '--format', '{{.Store.GraphRoot}}'], stdout: '/var/lib/containers/storage' },
        ],
      },
    });
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    warn.mockRestore();
    fake.restore();
    ws.cleanup();
    if (stdinTTY) Object.defineProperty(process.stdin, 'isTTY', stdinTTY);
    else delete (process.stdin as { isTTY?: boolean }).isTTY;
  });

  const context = (): ExecutorContext => executorContext(ws.root, 'edge-node', { 'edge-node': { root: 'images/edge-node' } }, { targetName: 'bootc-convert' });
  const out = (file = '') => join(ws.root, 'dist/disks/edge-node', file);
  const builderRuns = () => fake.calls().filter((c) => c.engine === 'podman' && c.args[0] === 'run');
  const typesOf = (args: string[]) => args.filter((_, i) => args[i - 1] === '--type');
  const outputMount = (args: string[]) => args.find((a) => a.endsWith(':/output')) as string;
  const leftovers = () => readdirSync(join(ws.root, 'dist/disks')).filter((name) => name !== 'edge-node');
  const artifactsJson = () => JSON.parse(ws.read('dist/disks/edge-node/artifacts.json'));
  const uid = `${process.getuid!()}:${process.getgid!()}`;

  test('qcow2: checks the image, runs the builder in its documented form, and writes the disk and artifacts.json', async () => {
    expect(await convertExecutor({}, context())).toEqual({ success: true });

    const calls = fake.calls().map((c) => [c.engine, ...c.args]);
    const run = builderRuns()[0].args;
    expect(calls).toEqual([
      ['podman', 'info', '--format', '{{.Host.Security.Rootless}}'],
      ['podman', 'info', '--format', '{{.Store.GraphRoot}}'],
      ['podman', '--version'],
      ['podman', 'tag', ID, REF],
      ['podman', 'image', 'inspect', '--format', '{{index .Config.Labels "containers.bootc"}}', ID],
      ['podman', ...run],
    ]);
    expect(outputMount(run)).toMatch(new RegExp(`^${join(ws.root, 'dist/disks')}/\\.edge-node\\.tmp-\\w+/\\.run-0:/output$`));
    expect(run).toEqual([
      'run',
      '--rm',
      '--privileged',
      '--pull=newer',
      '--security-opt',
      'label=type:unconfined_t',
      '--name',
      `immutable-os-convert-edge-node-${process.pid}-0`,
      '-v',
      `${join(ws.root, 'images/edge-node/config.toml')}:/config.toml:ro`,
      '-v',
      outputMount(run),
      '-v',
      '/var/lib/containers/storage:/var/lib/containers/storage',
      BUILDER,
      'build',
      '--type',
      'qcow2',
      '--chown',
      uid,
      '--progress',
      'verbose',
      REF,
    ]);

    expect(readdirSync(out()).sort()).toEqual(['artifacts.json', 'manifest-qcow2.json', 'qcow2']);
    expect(ws.read('dist/disks/edge-node/qcow2/disk.qcow2')).toBe(`fake qcow2 of ${ID}\n`.repeat(64));
    expect(artifactsJson()).toEqual({
      project: 'edge-node',
      image: REF,
      imageId: ID,
      builderImage: BUILDER,
      config: 'images/edge-node/config.toml',
      rootfs: null,
      targetArch: null,
      convertedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      artifacts: [
        {
          type: 'qcow2',
          path: 'dist/disks/edge-node/qcow2/disk.qcow2',
          size: `fake qcow2 of ${ID}\n`.length * 64,
          sha256: sha256(out('qcow2/disk.qcow2')),
          manifest: 'dist/disks/edge-node/manifest-qcow2.json',
        },
      ],
    });
    expect(leftovers()).toEqual([]);
    expect(log).toHaveBeenCalledWith(`qcow2: dist/disks/edge-node/qcow2/disk.qcow2 (${`fake qcow2 of ${ID}\n`.length * 64} bytes, sha256 ${sha256(out('qcow2/disk.qcow2'))})`);
  });

  test('qcow2 + iso: two builder runs (ISO and disk cannot be mixed), both in one output folder', async () => {
    await convertExecutor({ types: ['qcow2', 'iso'], rootfs: 'xfs', targetArch: 'amd64' }, context());

    expect(builderRuns().map((c) => typesOf(c.args))).toEqual([['qcow2'], ['iso']]);
    expect(builderRuns().map((c) => outputMount(c.args).split('/').at(-2))).toEqual(['.run-0:', '.run-1:']);
    expect(readdirSync(out()).sort()).toEqual(['artifacts.json', 'iso', 'manifest-iso.json', 'manifest-qcow2.json', 'qcow2']);
    const summary = artifactsJson();
    expect(summary).toMatchObject({ rootfs: 'xfs', targetArch: 'amd64' });
    expect(summary.artifacts.map((a: { type: string; path: string; manifest: string }) => [a.type, a.path, a.manifest])).toEqual([
      ['qcow2', 'dist/disks/edge-node/qcow2/disk.qcow2', 'dist/disks/edge-node/manifest-qcow2.json'],
      ['iso', 'dist/disks/edge-node/iso/install.iso', 'dist/disks/edge-node/manifest-iso.json'],
    ]);
    for (const a of summary.artifacts) {
      expect(a.sha256).toBe(sha256(join(ws.root, a.path)));
      expect(a.size).toBe(readFileSync(join(ws.root, a.path)).length);
    }
    expect(leftovers()).toEqual([]);
  });

  test('raw + ami + vmdk: raw and ami share the builder\'s file, so ami gets its own run; each lands in its own folder', async () => {
    await convertExecutor({ types: ['raw', 'ami', 'vmdk'] }, context());
    expect(builderRuns().map((c) => typesOf(c.args))).toEqual([['raw', 'vmdk'], ['ami']]);
    expect(ws.read('dist/disks/edge-node/raw/disk.raw')).toBe(`fake raw of ${ID}\n`.repeat(64));
    expect(ws.read('dist/disks/edge-node/ami/disk.raw')).toBe(`fake ami of ${ID}\n`.repeat(64));
    expect(ws.read('dist/disks/edge-node/vmdk/disk.vmdk')).toBe(`fake vmdk of ${ID}\n`.repeat(64));
    expect(artifactsJson().artifacts.map((a: { type: string }) => a.type)).toEqual(['raw', 'vmdk', 'ami']);
  });

  test('without containerStorage, the builder gets the storage root podman uses (its GraphRoot); with it, that folder', async () => {
    fake.update({
      rules: [
        { engine: 'podman', args: ['info', '--format', '{{.Host.Security.Rootless}}'], stdout: 'false' },
        { engine: 'podman', args: ['info', '--format', '{{.Store.GraphRoot}}'], stdout: '/srv/containers/storage' },
      ],
    });
    await convertExecutor({}, context());
    expect(builderRuns()[0].args.join(' ')).toContain('-v /srv/containers/storage:/var/lib/containers/storage ');
    await convertExecutor({ containerStorage: '/mnt/storage' }, context());
    expect(builderRuns()[1].args.join(' ')).toContain('-v /mnt/storage:/var/lib/containers/storage ');
  });

  test('rootless podman: every root podman call, the builder run included, goes through sudo', async () => {
    fake.update({
      rules: [
        { engine: 'podman', args: ['info', '--format', '{{.Host.Security.Rootless}}'], stdout: 'true' },
        { engine: 'podman', args: ['info', '--format', '{{.Store.GraphRoot}}'], stdout: '/var/lib/containers/storage' },
      ],
    });
    await convertExecutor({}, context());
    const sudo = fake.calls().filter((c) => c.engine === 'sudo').map((c) => c.args);
    expect(sudo.map((a) => a.slice(0, 3))).toEqual([
      ['--non-interactive', 'podman', '--version'],
      ['--non-interactive', 'podman', 'info'],
      ['--non-interactive', 'podman', 'image'],
      ['--non-interactive', 'podman', 'tag'],
      ['--non-interactive', 'podman', 'image'],
      ['--non-interactive', 'podman', 'run'],
    ]);
    expect(existsSync(out('qcow2/disk.qcow2'))).toBe(true);
  });

  test('dryRun: validates, prints each builder command with every argument, runs no builder and writes nothing', async () => {
    const options = {
      types: ['qcow2', 'iso'] as const,
      rootfs: 'btrfs' as const,
      targetArch: 'arm64',
      useLibrepo: true,
      chown: '1234:5678',
      pull: 'missing' as const,
      progress: 'debug' as const,
      builderImage: 'localhost/bib:test',
      extraArgs: ['--log-level', 'debug'],
      dryRun: true,
    };
    expect(await convertExecutor({ ...options, types: [...options.types] }, context())).toEqual({ success: true });

    // The image checks run (the tag names the recorded image, so the printed command converts it); no builder does.
    expect(fake.calls().map((c) => c.args.slice(0, 2))).toEqual([['info', '--format'], ['info', '--format'], ['--version'], ['tag', ID], ['image', 'inspect']]);
    expect(existsSync(join(ws.root, 'dist/disks'))).toBe(false);
    const printed = log.mock.calls.map((c) => String(c[0]));
    const config = join(ws.root, 'images/edge-node/config.toml');
    const tail = `--rootfs btrfs --target-arch arm64 --chown 1234:5678 --use-librepo=true --progress debug --log-level debug ${REF}`;
    const dry = (i: number) => join(ws.root, `dist/disks/edge-node-dry-run/run-${i}`);
    expect(printed).toEqual([
      `mkdir -p ${dry(0)}`,
      `podman run --rm --privileged --pull=missing --security-opt label=type:unconfined_t --name immutable-os-convert-edge-node-${process.pid}-0 -v ${config}:/config.toml:ro -v ${dry(0)}:/output -v /var/lib/containers/storage:/var/lib/containers/storage localhost/bib:test build --type qcow2 ${tail}`,
      `mkdir -p ${dry(1)}`,
      `podman run --rm --privileged --pull=missing --security-opt label=type:unconfined_t --name immutable-os-convert-edge-node-${process.pid}-1 -v ${config}:/config.toml:ro -v ${dry(1)}:/output -v /var/lib/containers/storage:/var/lib/containers/storage localhost/bib:test build --type iso ${tail}`,
      'Dry run: config valid, 2 builder runs for qcow2, iso; nothing was run.',
    ]);
  });

  test('a failing builder run leaves the previous output byte-identical and no staging folder', async () => {
    ws.write({
      'dist/disks/edge-node/qcow2/disk.qcow2': 'previous disk\n',
      'dist/disks/edge-node/artifacts.json': '{"previous": true}\n',
    });
    const before = snapshot(out());
    fake.update({ failBuilderOn: ['iso'] });

    await expect(convertExecutor({ types: ['qcow2', 'iso'] }, context())).rejects.toThrow(
      /^podman run .* failed with exit code 1\.\nLast lines of its output:\n.*fake bootc-image-builder: error: building iso failed/s,
    );
    expect(builderRuns()).toHaveLength(2);
    expect(snapshot(out())).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('Ctrl-C during a builder run: the builder is stopped, its container removed, the previous output kept', async () => {
    ws.write({ 'dist/disks/edge-node/qcow2/disk.qcow2': 'previous disk\n' });
    const before = snapshot(out());
    const exitCode = process.exitCode;
    fake.update({ builderDelayMs: 60_000, rules: [...fake.state().rules, { engine: 'podman', args: ['container', 'exists'], exitCode: 1 }] });
    try {
      const running = convertExecutor({}, context());
      const deadline = Date.now() + 10_000;
      while (builderRuns().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.emit('SIGINT', 'SIGINT');

      await expect(running).rejects.toThrow('Interrupted by SIGINT: the builder was stopped and the previous output was left as it was.');
      expect(process.exitCode).toBe(130);
      const name = `immutable-os-convert-edge-node-${process.pid}-0`;
      expect(fake.calls().slice(-2).map((c) => c.args)).toEqual([['rm', '--force', '--time', '0', '--ignore', name], ['container', 'exists', name]]);
      expect(snapshot(out())).toEqual(before);
      expect(leftovers()).toEqual([]);
    } finally {
      process.exitCode = exitCode;
    }
  });

  test('a builder that exits 0 without writing a type\'s file fails the task and keeps the previous output', async () => {
    ws.write({ 'dist/disks/edge-node/qcow2/disk.qcow2': 'previous disk\n' });
    const before = snapshot(out());
    fake.update({ rules: [...fake.state().rules, { engine: 'podman', args: ['run'], stdout: 'done' }] });
    await expect(convertExecutor({}, context())).rejects.toThrow('bootc-image-builder finished but did not write qcow2/disk.qcow2 for type qcow2; check its output above.');
    expect(snapshot(out())).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('an invalid config fails before any podman call, naming the file and the key', async () => {
    ws.write({ 'images/edge-node/config.toml': '[[customizations.user]]\npassword = "x"\n' });
    const error: Error = await convertExecutor({}, context()).catch((e) => e);
    expect(error.message).toMatch(/^images\/edge-node\/config\.toml is not a valid bootc-image-builder config:\n {2}.*customizations\.user\[0\]\.name.*is required/);
    expect(fake.calls()).toEqual([]);
    expect(existsSync(join(ws.root, 'dist/disks'))).toBe(false);
  });

  test('a config key the chosen types ignore is a warning, not an error', async () => {
    ws.write({ 'images/edge-node/config.toml': `${CONFIG}\n[customizations]\nfips = true\n` });
    expect(await convertExecutor({ types: ['qcow2'], dryRun: true }, context())).toEqual({ success: true });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^warning: .*customizations\.fips is ignored by qcow2/));
  });

  test('no image record: the error says to build first, and podman is not called', async () => {
    rmSync(join(ws.root, 'dist/images'), { recursive: true });
    await expect(convertExecutor({}, context())).rejects.toThrow('dist/images/edge-node/image.json does not exist: build the image first with nx run edge-node:bootc-build.');
    expect(fake.calls()).toEqual([]);
  });
});
