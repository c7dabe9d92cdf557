import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestWorkspace, executorContext, type TestWorkspace } from '../../../testing/test-workspace';
import type { ConvertExecutorSchema } from '../schema';
import { normalizeOptions } from './normalize-options';

const VALID_TYPES = 'valid types are qcow2, raw, ami, vmdk, vhd, gce, ova, pxe-tar-xz, bootc-installer, anaconda-iso, iso.';
const OWN_FOLDER = 'bootc-convert replaces its output folder whole; use one of its own, such as dist/disks/{projectName}.';

describe('normalizeOptions (bootc-convert)', () => {
  let ws: TestWorkspace;
  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({ 'images/edge-node/Containerfile': 'FROM quay.io/fedora/fedora-bootc:42\n', 'images/kiosk/Containerfile': 'FROM localhost/edge-node\n' });
  });
  afterEach(() => ws.cleanup());

  const context = (metadata?: Record<string, unknown>) =>
    executorContext(
      ws.root,
      'edge-node',
      { 'edge-node': { root: 'images/edge-node', metadata: metadata && { 'immutable-os': metadata } }, kiosk: { root: 'images/kiosk' } },
      { targetName: 'bootc-convert' },
    );
  const SUDO_ENV = { SUDO_UID: '1000', SUDO_GID: '1001' };
  const normalize = (options: ConvertExecutorSchema, metadata?: Record<string, unknown>, env: NodeJS.ProcessEnv = SUDO_ENV) =>
    normalizeOptions(options, context(metadata), env);

  test('defaults: qcow2, no config, dist/disks/<project>, the invoking sudo user as owner', () => {
    expect(normalize({})).toEqual({
      projectName: 'edge-node',
      projectRoot: 'images/edge-node',
      workspaceRoot: ws.root,
      types: ['qcow2'],
      rootfs: undefined,
      config: undefined,
      targetArch: undefined,
      builderBackend: 'bootc-image-builder',
      builderImage: 'quay.io/centos-bootc/bootc-image-builder:latest',
      pull: 'newer',
      useLibrepo: undefined,
      chown: '1000:1001',
      sudo: 'auto',
      outputPath: join(ws.root, 'dist/disks/edge-node'),
      installerImage: undefined,
      progress: 'verbose',
      dryRun: false,
      extraArgs: [],
    });
  });

  test('without SUDO_UID/SUDO_GID the owner is this process\'s uid:gid', () => {
    expect(normalize({}, undefined, {}).chown).toBe(`${process.getuid!()}:${process.getgid!()}`);
    expect(normalize({}, undefined, { SUDO_UID: '1000' }).chown).toBe(`${process.getuid!()}:${process.getgid!()}`);
  });

  test('an explicit chown wins over SUDO_UID/SUDO_GID', () => {
    expect(normalize({ chown: '2000' }).chown).toBe('2000');
    expect(normalize({ chown: '2000:3000' }).chown).toBe('2000:3000');
  });

  describe('types', () => {
    test('default: metadata["immutable-os"].formats of the project', () => {
      expect(normalize({}, { formats: ['raw', 'iso'] }).types).toEqual(['raw', 'iso']);
      expect(normalize({}, { formats: [] }).types).toEqual(['qcow2']);
      expect(normalize({}, { formats: 'vmdk,gce' }).types).toEqual(['vmdk', 'gce']);
    });

    test('the option wins over the formats', () => {
      expect(normalize({ types: ['vhd'] }, { formats: ['raw'] }).types).toEqual(['vhd']);
    });

    test('--types=qcow2,iso from the command line arrives as one comma string', () => {
      expect(normalize({ types: 'qcow2,iso' as unknown as ConvertExecutorSchema['types'] }).types).toEqual(['qcow2', 'iso']);
      expect(normalize({ types: ['qcow2, iso', 'qcow2'] as unknown as ConvertExecutorSchema['types'] }).types).toEqual(['qcow2', 'iso']);
    });

    test('an empty list falls back to the formats', () => {
      expect(normalize({ types: [] }, { formats: ['ami'] }).types).toEqual(['ami']);
    });

    test('an unknown type names the option and lists the valid types', () => {
      expect(() => normalize({ types: ['qcow2', 'vdi'] as unknown as ConvertExecutorSchema['types'] })).toThrow(`types: "vdi" is not a bootc-image-builder type; ${VALID_TYPES}`);
    });

    test('an unknown format names the project metadata', () => {
      expect(() => normalize({}, { formats: ['qcow'] })).toThrow(`metadata["immutable-os"].formats of edge-node: "qcow" is not a bootc-image-builder type; ${VALID_TYPES}`);
    });
  });

  describe('config', () => {
    test('config.toml beside the project is found', () => {
      ws.write({ 'images/edge-node/config.toml': '' });
      expect(normalize({}).config).toEqual({ path: join(ws.root, 'images/edge-node/config.toml'), json: false });
    });

    test('config.json is found when there is no config.toml', () => {
      ws.write({ 'images/edge-node/config.json': '{}' });
      expect(normalize({}).config).toEqual({ path: join(ws.root, 'images/edge-node/config.json'), json: true });
    });

    test('config.toml comes first when both exist', () => {
      ws.write({ 'images/edge-node/config.toml': '', 'images/edge-node/config.json': '{}' });
      expect(normalize({}).config).toEqual({ path: join(ws.root, 'images/edge-node/config.toml'), json: false });
    });

    test('an explicit config resolves from the workspace root, or with {projectRoot}', () => {
      ws.write({ 'configs/edge.json': '{}', 'images/edge-node/prod.toml': '' });
      expect(normalize({ config: 'configs/edge.json' }).config).toEqual({ path: join(ws.root, 'configs/edge.json'), json: true });
      expect(normalize({ config: '{projectRoot}/prod.toml' }).config).toEqual({ path: join(ws.root, 'images/edge-node/prod.toml'), json: false });
    });

    test('a missing config file is an error naming it', () => {
      expect(() => normalize({ config: 'configs/nope.toml' })).toThrow(
        'config: configs/nope.toml does not exist. Point config at a bootc-image-builder config.toml or config.json, or remove the option.',
      );
    });

    test('a folder is not a config file', () => {
      ws.write({ 'configs/dir/x': '' });
      expect(() => normalize({ config: 'configs/dir' })).toThrow('config: configs/dir does not exist.');
    });
  });

  describe('outputPath', () => {
    test.each([
      ['dist/disks/{projectName}', 'dist/disks/edge-node'],
      ['out/{projectName}/disks', 'out/edge-node/disks'],
      ['{projectRoot}/disks', 'images/edge-node/disks'],
      ['{workspaceRoot}/tmp/{projectName}', 'tmp/edge-node'],
    ])('%s → %s', (option, path) => {
      expect(normalize({ outputPath: option }).outputPath).toBe(join(ws.root, path));
    });

    test.each([
      ['.', `outputPath: "." resolves to `],
      ['{workspaceRoot}', `outputPath: "{workspaceRoot}" resolves to `],
      ['..', `outputPath: ".." resolves to `],
      ['../elsewhere', `outputPath: "../elsewhere" resolves to `],
      ['/var/tmp/disks', `outputPath: "/var/tmp/disks" resolves to /var/tmp/disks, which is not a folder inside the workspace`],
    ])('%s: not a folder inside the workspace', (option, message) => {
      expect(() => normalize({ outputPath: option })).toThrow(message);
      expect(() => normalize({ outputPath: option })).toThrow(`which is not a folder inside the workspace ${ws.root}. ${OWN_FOLDER}`);
    });

    test.each([
      ['{projectRoot}', 'images/edge-node, which holds the project edge-node (images/edge-node)'],
      ['images', 'images, which holds the project edge-node (images/edge-node)'],
      ['images/kiosk', 'images/kiosk, which holds the project kiosk (images/kiosk)'],
      ['dist', 'dist, which holds the image record of edge-node (dist/images/edge-node)'],
      ['dist/images/edge-node', 'dist/images/edge-node, which holds the image record of edge-node (dist/images/edge-node)'],
    ])('%s: would replace a folder that holds something else', (option, message) => {
      expect(() => normalize({ outputPath: option })).toThrow(`outputPath: "${option}" resolves to ${message}. ${OWN_FOLDER}`);
    });

    test('a folder holding the builder config cannot be the output', () => {
      ws.write({ 'configs/edge.toml': '' });
      expect(() => normalize({ config: 'configs/edge.toml', outputPath: 'configs' })).toThrow(
        `outputPath: "configs" resolves to configs, which holds the builder config (configs/edge.toml). ${OWN_FOLDER}`,
      );
    });

    test('an unknown token is named', () => {
      expect(() => normalize({ outputPath: 'dist/{project}' })).toThrow('outputPath: "dist/{project}" uses the unknown token {project}; paths accept {workspaceRoot} and {projectRoot}.');
    });
  });

  test.each<[string, ConvertExecutorSchema, string]>([
    ['rootfs', { rootfs: 'zfs' as 'xfs' }, 'rootfs: "zfs" is not allowed; use ext4, xfs, btrfs.'],
    ['pull', { pull: 'sometimes' as 'never' }, 'pull: "sometimes" is not allowed; use always, missing, never, newer.'],
    ['sudo', { sudo: 'maybe' as 'auto' }, 'sudo: "maybe" is not allowed; use auto, always, never.'],
    ['progress', { progress: 'quiet' as 'auto' }, 'progress: "quiet" is not allowed; use auto, verbose, term, debug.'],
    ['chown with names', { chown: 'alice:alice' }, 'chown: "alice:alice" is not UID or UID:GID (numbers), e.g. 1000:1000.'],
    ['chown without a GID after the colon', { chown: '1000:' }, 'chown: "1000:" is not UID or UID:GID (numbers), e.g. 1000:1000.'],
    ['chown negative', { chown: '-1:0' }, 'chown: "-1:0" is not UID or UID:GID (numbers), e.g. 1000:1000.'],
    ['targetArch', { targetArch: 'x86-64' as 'amd64' }, 'targetArch: "x86-64" is not allowed; use amd64, x86_64, arm, armv7, arm64, aarch64, s390x, ppc64le, riscv64.'],
    ['targetArch the builder does not know', { targetArch: 'mips' as 'amd64' }, 'targetArch: "mips" is not allowed; use amd64, x86_64, arm, armv7, arm64, aarch64, s390x, ppc64le, riscv64.'],
    ['builderImage', { builderImage: 'quay.io/Bib' }, 'builderImage "quay.io/Bib" is not a valid image reference: '],
    [
      'containerStorage other than /var/lib/containers/storage',
      { containerStorage: '/srv/containers/storage' },
      'containerStorage: "/srv/containers/storage": bootc-image-builder reads only /var/lib/containers/storage. podman inside it finds the store\'s database under the path it was created at, so any other folder fails with "database configuration mismatch" (https://github.com/osbuild/bootc-image-builder/issues/984). Remove the option: when root\'s podman keeps its images elsewhere, bootc-convert copies the image into /var/lib/containers/storage itself.',
    ],
    ['containerStorage relative', { containerStorage: 'storage' }, 'containerStorage: "storage": bootc-image-builder reads only /var/lib/containers/storage.'],
    [
      'bootc-installer without installerImage',
      { types: ['bootc-installer'] },
      'types: bootc-installer needs installerImage, the installer image the ISO boots (one with Anaconda, e.g. built FROM a Fedora or CentOS installer base); bootc-convert passes the project\'s image to it as the payload (--installer-payload-ref). Set installerImage, or build anaconda-iso from the project image alone.',
    ],
    ['installerImage', { types: ['bootc-installer'], installerImage: 'quay.io/Installer' }, 'installerImage "quay.io/Installer" is not a valid image reference: '],
  ])('bad %s: the error names the option and the value', (_name, options, message) => {
    expect(() => normalize(options)).toThrow(message);
  });

  test('an output path containing ":" is refused with the resolved path', () => {
    expect(() => normalize({ outputPath: 'dist/disks:edge' })).toThrow(`outputPath: "${join(ws.root, 'dist/disks:edge')}" contains ":", which podman's -v cannot mount; use a path without it.`);
  });

  test('a config path containing ":" is refused', () => {
    ws.write({ 'images/edge-node/a:b.toml': '' });
    expect(() => normalize({ config: '{projectRoot}/a:b.toml' })).toThrow(`config: "${join(ws.root, 'images/edge-node/a:b.toml')}" contains ":", which podman's -v cannot mount; use a path without it.`);
  });

  test('paths resolve from the workspace root, not the current directory', () => {
    ws.write({ 'images/edge-node/config.toml': '', 'configs/edge.json': '{}' });
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'immutable-os-cwd-')));
    const cwd = process.cwd();
    process.chdir(elsewhere);
    try {
      expect(normalize({}).config?.path).toBe(join(ws.root, 'images/edge-node/config.toml'));
      expect(normalize({ config: 'configs/edge.json' }).config?.path).toBe(join(ws.root, 'configs/edge.json'));
      expect(normalize({ outputPath: 'out/{projectName}' }).outputPath).toBe(join(ws.root, 'out/edge-node'));
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('keeps the remaining options as given', () => {
    expect(normalize({ rootfs: 'xfs', targetArch: 'aarch64', useLibrepo: false, pull: 'always', sudo: 'never', progress: 'term', dryRun: true, extraArgs: ['--x'] })).toMatchObject({
      rootfs: 'xfs',
      targetArch: 'aarch64',
      useLibrepo: false,
      pull: 'always',
      sudo: 'never',
      progress: 'term',
      dryRun: true,
      extraArgs: ['--x'],
    });
  });
});
