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
// The builder image, as root's storage holds it once a run has pulled it.
const BUILDER_ID = fakeId('builder');
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
      state: { images: [ID, BUILDER_ID], tags: { [REF]: ID, [BUILDER]: BUILDER_ID }, labels: { [ID]: { 'containers.bootc': '1' } }, rules: [
          { engine: 'podman', args: ['info', '--format', '{{.Host.Security.Rootless}}'], stdout: 'false' },
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
  const builderRuns = () => fake.calls().filter((c) => c.engine === 'podman' && c.args[0] === 'run' && c.args.includes('build'));
  const PRINT_CONFIGURATION = ['run', '--rm', '--network=none', '--pull=never', '--entrypoint', 'bootc', ID, 'install', 'print-configuration'];
  const STORE_INFO = ['info', '--format', '{{.Store.GraphRoot}}\t{{.Store.GraphDriverName}}'];
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
      ['podman', '--version'],
      ['podman', 'tag', ID, REF],
      ['podman', 'image', 'inspect', '--format', '{{index .Config.Labels "containers.bootc"}}', ID],
      ['podman', ...PRINT_CONFIGURATION],
      ['podman', ...STORE_INFO],
      ['podman', ...run],
      ['podman', 'image', 'inspect', '--format', '{{.Id}}\t{{.Digest}}', BUILDER],
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
      builderBackend: 'bootc-image-builder',
      builderImage: BUILDER,
      builderImageId: BUILDER_ID,
      builderImageDigest: null,
      installerImage: null,
      config: 'images/edge-node/config.toml',
      rootfs: 'xfs',
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

  test('root\'s podman keeps images elsewhere: the exact image is copied into /var/lib/containers/storage, which the builder reads', async () => {
    fake.update({ storage: { graphRoot: '/srv/containers/storage', driver: 'overlay' } });
    await convertExecutor({}, context());
    const store = ['--root', '/var/lib/containers/storage', '--runroot', '/run/containers/storage', '--storage-driver', 'overlay'];
    const staged = fake.calls().map((c) => c.args).filter((a) => a[0] === 'save' || a[0] === '--root');
    expect(staged.map((a) => a.map((x) => x.replace(/\/var\/tmp\/immutable-os-stage-\w+/, '<tmp>')))).toEqual([
      ['save', '--format', 'oci-archive', '--output', '<tmp>/image-0.oci.tar', ID],
      [...store, 'load', '--input', '<tmp>/image-0.oci.tar'],
      [...store, 'tag', ID, REF],
      [...store, 'image', 'exists', ID],
    ]);
    expect(builderRuns()[0].args.join(' ')).toContain('-v /var/lib/containers/storage:/var/lib/containers/storage ');
    expect(readdirSync('/var/tmp').filter((f) => f.startsWith('immutable-os-stage-') && staged[0][4].includes(f))).toEqual([]);
  });

  test('/var/lib/containers/storage with another driver than overlay: refused before any builder run, nothing written', async () => {
    fake.update({ storage: { graphRoot: '/var/lib/containers/storage', driver: 'vfs' } });
    await expect(convertExecutor({}, context())).rejects.toThrow(
      'Root\'s podman keeps its images in /var/lib/containers/storage with the vfs driver, but bootc-image-builder requires overlay',
    );
    expect(builderRuns()).toEqual([]);
    expect(existsSync(join(ws.root, 'dist/disks'))).toBe(false);
  });

  test('containerStorage other than /var/lib/containers/storage: refused before any podman call (osbuild/bootc-image-builder#984)', async () => {
    await expect(convertExecutor({ containerStorage: '/mnt/storage' }, context())).rejects.toThrow(/containerStorage: "\/mnt\/storage": bootc-image-builder reads only \/var\/lib\/containers\/storage.*issues\/984/);
    expect(fake.calls()).toEqual([]);
    expect(existsSync(join(ws.root, 'dist/disks'))).toBe(false);
  });

  test('an image that declares no root filesystem, without the rootfs option: both fixes named, no builder run, nothing written', async () => {
    fake.update({ rootFs: { [ID]: null } });
    const error: Error = await convertExecutor({}, context()).catch((e) => e);
    expect(error.message).toBe(
      `${REF} declares no root filesystem (bootc install print-configuration gives no filesystem.root.type; Fedora-based images declare none) and bootc-convert has no rootfs option, ` +
        'so bootc-image-builder would stop with "missing required info: DefaultRootFs". Either declare it in the image: rootfs/usr/lib/bootc/install/80-rootfs.toml with [install.filesystem.root] type = "xfs" ' +
        '(nx g immutable-os:image writes this file for new projects); or set rootfs (xfs, ext4 or btrfs) in bootc-convert\'s options.',
    );
    expect(builderRuns()).toEqual([]);
    expect(existsSync(join(ws.root, 'dist/disks'))).toBe(false);
  });

  test('the legacy ISO types quote the builder\'s own message for a missing root filesystem', async () => {
    fake.update({ rootFs: { [ID]: null } });
    await expect(convertExecutor({ types: ['anaconda-iso'] }, context())).rejects.toThrow('bootc-image-builder would stop with "no default root filesystem type specified in container, please use "--rootfs" to set manually"');
  });

  test('the rootfs option stands in for the image\'s declaration and is passed as --rootfs; btrfs is converted with a warning (osbuild/bootc-image-builder#756)', async () => {
    fake.update({ rootFs: { [ID]: null } });
    await convertExecutor({ rootfs: 'btrfs' }, context());
    expect(builderRuns()[0].args.join(' ')).toContain(' --rootfs btrfs ');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^warning: the root filesystem is btrfs \(the rootfs option\): a read-only btrfs root breaks systemd-remount-fs .*issues\/756/));
    expect(artifactsJson().rootfs).toBe('btrfs');
  });

  test('an image declaring btrfs itself gets the warning, and no --rootfs is passed', async () => {
    fake.update({ rootFs: { [ID]: 'btrfs' } });
    await convertExecutor({}, context());
    expect(builderRuns()[0].args).not.toContain('--rootfs');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^warning: the root filesystem is btrfs \(declared by localhost\/edge-node:latest\)/));
  });

  describe('bootc-installer', () => {
    const INSTALLER = 'quay.io/example/installer:44';
    const INSTALLER_ID = fakeId('installer');

    test('the builder gets the installer image, and the project image as --installer-payload-ref; both are checked', async () => {
      fake.update({ images: [ID, INSTALLER_ID, BUILDER_ID], tags: { [REF]: ID, [INSTALLER]: INSTALLER_ID, [BUILDER]: BUILDER_ID }, labels: { [ID]: { 'containers.bootc': '1' }, [INSTALLER_ID]: { 'containers.bootc': '1' } } });
      await convertExecutor({ types: ['qcow2', 'bootc-installer'], installerImage: INSTALLER }, context());
      const [disk, iso] = builderRuns().map((c) => c.args);
      expect(disk.slice(-1)).toEqual([REF]);
      expect(disk).not.toContain('--installer-payload-ref');
      expect(iso.slice(-5)).toEqual(['--installer-payload-ref', REF, '--progress', 'verbose', INSTALLER]);
      expect(fake.calls().map((c) => c.args).filter((a) => a.includes('print-configuration')).map((a) => a[6])).toEqual([ID, INSTALLER_ID]);
      expect(ws.read('dist/disks/edge-node/bootc-installer/install.iso')).toContain(`fake bootc-installer of ${INSTALLER_ID}`);
      expect(artifactsJson().installerImage).toBe(INSTALLER);
    });

    test('an installer image missing from root\'s storage: the pull command, no builder run', async () => {
      await expect(convertExecutor({ types: ['bootc-installer'], installerImage: INSTALLER }, context())).rejects.toThrow(
        `installerImage: ${INSTALLER} is not in root's container storage, and bootc-image-builder does not pull the images it converts. Pull it first (sudo podman pull ${INSTALLER}), then run bootc-convert again.`,
      );
      expect(builderRuns()).toEqual([]);
    });

    test('an installer image that is not a bootc image is refused', async () => {
      fake.update({ images: [ID, INSTALLER_ID, BUILDER_ID], tags: { [REF]: ID, [INSTALLER]: INSTALLER_ID, [BUILDER]: BUILDER_ID } });
      await expect(convertExecutor({ types: ['bootc-installer'], installerImage: INSTALLER }, context())).rejects.toThrow(`installerImage: The image ${INSTALLER} has no label containers.bootc=1 (found none)`);
    });
  });

  test('rootless podman: every root podman call, the builder run included, goes through sudo', async () => {
    fake.update({
      rules: [
        { engine: 'podman', args: ['info', '--format', '{{.Host.Security.Rootless}}'], stdout: 'true' },
      ],
    });
    await convertExecutor({}, context());
    const sudo = fake.calls().filter((c) => c.engine === 'sudo').map((c) => c.args);
    expect(sudo.map((a) => a.slice(0, 3))).toEqual([
      ['--non-interactive', 'podman', '--version'],
      ['--non-interactive', 'podman', 'image'],
      ['--non-interactive', 'podman', 'tag'],
      ['--non-interactive', 'podman', 'image'],
      ['--non-interactive', 'podman', 'run'],
      ['--non-interactive', 'podman', 'info'],
      ['--non-interactive', 'podman', 'run'],
      ['--non-interactive', 'podman', 'image'],
    ]);
    expect(existsSync(out('qcow2/disk.qcow2'))).toBe(true);
  });

  test('dryRun: validates, prints each builder command with every argument, runs no builder and writes nothing', async () => {
    const options = {
      types: ['qcow2', 'iso'] as const,
      rootfs: 'btrfs' as const,
      targetArch: 'arm64' as const,
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
    expect(fake.calls().map((c) => c.args.slice(0, 2))).toEqual([['info', '--format'], ['--version'], ['tag', ID], ['image', 'inspect'], ['run', '--rm'], ['info', '--format']]);
    expect(builderRuns()).toEqual([]);
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
    fake.update({ rules: [...fake.state().rules, { engine: 'podman', args: ['run', '--rm', '--privileged'], stdout: 'done' }] });
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

  describe('a multi-platform build (a manifest list)', () => {
    const LIST = fakeId('edge-node list');
    const ARM64 = fakeId('edge-node arm64');
    const AMD64 = fakeId('edge-node amd64');
    const digest = (arch: string) => `sha256:${fakeId(`edge-node ${arch} manifest`)}`;
    const manifest = JSON.stringify({ manifests: ['amd64', 'arm64'].map((architecture) => ({ digest: digest(architecture), platform: { os: 'linux', architecture } })) });

    beforeEach(() => {
      writeImageRecord(ws.root, imageRecord('edge-node', LIST, { platforms: ['linux/amd64', 'linux/arm64'] }));
      const state = fake.state();
      fake.update({
        images: [...state.images, LIST, ARM64, AMD64],
        tags: { ...state.tags, [REF]: LIST, [`localhost/edge-node@${digest('arm64')}`]: ARM64, [`localhost/edge-node@${digest('amd64')}`]: AMD64 },
        labels: { [LIST]: { 'containers.bootc': '1' }, [ARM64]: { 'containers.bootc': '1' }, [AMD64]: { 'containers.bootc': '1' } },
        imageArch: { [ARM64]: 'arm64' },
        rules: [...state.rules, { engine: 'podman', args: ['manifest', 'inspect', LIST], stdout: manifest }],
      });
    });
    const tagCalls = () => fake.calls().filter((c) => c.engine === 'podman' && (c.args[0] === 'tag' || (c.args[0] === 'run' && c.args.includes('build')))).map((c) => (c.args[0] === 'tag' ? c.args.join(' ') : 'builder'));

    test('targetArch arm64: the list\'s arm64 image is named by the ref while the builder runs, the list after; artifacts.json names both', async () => {
      expect(await convertExecutor({ targetArch: 'arm64' }, context())).toEqual({ success: true });
      expect(tagCalls()).toEqual([`tag ${LIST} ${REF}`, `tag ${ARM64} ${REF}`, 'builder', `tag ${LIST} ${REF}`]);
      expect(fake.state().tags[REF]).toBe(LIST);
      expect(builderRuns()[0].args).toEqual(expect.arrayContaining(['--target-arch', 'arm64']));
      expect(artifactsJson()).toMatchObject({ image: REF, imageId: ARM64, manifestListId: LIST, platform: 'linux/arm64', targetArch: 'arm64' });
    });

    test('a failing builder still gives the list its name back', async () => {
      fake.update({ failBuilderOn: ['qcow2'] });
      await expect(convertExecutor({ targetArch: 'aarch64' }, context())).rejects.toThrow();
      expect(tagCalls()).toEqual([`tag ${LIST} ${REF}`, `tag ${ARM64} ${REF}`, 'builder', `tag ${LIST} ${REF}`]);
      expect(fake.state().tags[REF]).toBe(LIST);
      expect(existsSync(out())).toBe(false);
    });

    test('dry run: prints the naming and the giving back around the builder run, runs neither', async () => {
      expect(await convertExecutor({ targetArch: 'arm64', dryRun: true }, context())).toEqual({ success: true });
      const printed = log.mock.calls.map((c) => String(c[0]));
      const at = (text: string) => printed.findIndex((line) => line.includes(text));
      expect(at(`podman tag ${ARM64} ${REF}`)).toBeGreaterThan(-1);
      expect(at(`podman tag ${ARM64} ${REF}`)).toBeLessThan(at('podman run'));
      expect(at(`podman tag ${LIST} ${REF}`)).toBeGreaterThan(at('podman run'));
      expect(tagCalls()).toEqual([`tag ${LIST} ${REF}`]);
    });
  });
});
