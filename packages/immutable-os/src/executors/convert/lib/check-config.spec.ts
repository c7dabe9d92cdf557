import { join } from 'node:path';
import type { ImageType } from '../../../builder/image-types';
import { checkBuilderConfig } from './check-config';
import type { NormalizedConvertOptions } from './normalize-options';

const ROOT = '/ws';

const options = (config: NormalizedConvertOptions['config'], extra: Partial<NormalizedConvertOptions> = {}): NormalizedConvertOptions => ({
  projectName: 'edge-node',
  projectRoot: 'images/edge-node',
  workspaceRoot: ROOT,
  types: ['qcow2'] as ImageType[],
  config,
  builderBackend: 'bootc-image-builder',
  builderImage: 'quay.io/centos-bootc/bootc-image-builder:latest',
  pull: 'newer',
  chown: '1000:1000',
  sudo: 'auto',
  outputPath: join(ROOT, 'dist/disks/edge-node'),
  installerImage: undefined,
  progress: 'verbose',
  dryRun: false,
  extraArgs: [],
  ...extra,
});

const TOML = { path: join(ROOT, 'images/edge-node/config.toml'), json: false };
const JSON_FILE = { path: join(ROOT, 'images/edge-node/config.json'), json: true };

describe('checkBuilderConfig', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  test('no config: nothing to check', () => {
    expect(() => checkBuilderConfig(options(undefined), undefined)).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });

  test('a valid config passes without warnings', () => {
    checkBuilderConfig(options(TOML), '[[customizations.user]]\nname = "admin"\ngroups = ["wheel"]\n');
    checkBuilderConfig(options(JSON_FILE), JSON.stringify({ customizations: { kernel: { append: 'console=ttyS0' } } }));
    expect(warn).not.toHaveBeenCalled();
  });

  test('every error is listed, each with the workspace-relative file, line and key path', () => {
    let error: Error | undefined;
    try {
      checkBuilderConfig(options(TOML), '[[customizations.user]]\npassword = "x"\n\n[[customizations.group]]\ngid = 10\n');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message.split('\n')[0]).toBe('images/edge-node/config.toml is not a valid bootc-image-builder config:');
    expect(error?.message.split('\n').slice(1)).toEqual([
      expect.stringMatching(/^ {2}images\/edge-node\/config\.toml:1: customizations\.user\[0\]\.name is required/),
      expect.stringMatching(/^ {2}images\/edge-node\/config\.toml:4: customizations\.group\[0\]\.name is required/),
    ]);
  });

  test('a syntax error names the file, line and column', () => {
    expect(() => checkBuilderConfig(options(TOML), '[customizations.kernel\nappend = "x"\n')).toThrow(/^images\/edge-node\/config\.toml is not a valid bootc-image-builder config:\n {2}images\/edge-node\/config\.toml:1:\d+: /);
  });

  test('a .json config is read as JSON', () => {
    expect(() => checkBuilderConfig(options(JSON_FILE), 'name = "x"\n')).toThrow(/^images\/edge-node\/config\.json is not a valid bootc-image-builder config:\n {2}images\/edge-node\/config\.json:1:1: /);
  });

  test('the chosen types decide what is ignored: a warning on the console, no error', () => {
    const fips = '[customizations]\nfips = true\n';
    checkBuilderConfig(options(TOML, { types: ['iso'] }), fips);
    expect(warn).not.toHaveBeenCalled();
    checkBuilderConfig(options(TOML, { types: ['qcow2', 'raw'] }), fips);
    expect(warn.mock.calls).toEqual([
      ['warning: images/edge-node/config.toml:2: customizations.fips is ignored by qcow2 and raw (bootc-image-builder warns "customizations.fips: not supported"): only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types'],
    ]);
  });

  test('what the builder accepts but ignores is a warning, never an error: blueprint metadata, package-image customizations', () => {
    checkBuilderConfig(options(TOML), 'name = "edge-node"\nversion = "1.0.0"\n\n[customizations]\nhostname = "edge"\n');
    expect(warn.mock.calls).toEqual([[expect.stringMatching(/^warning: images\/edge-node\/config\.toml:5: customizations\.hostname is ignored by qcow2 \(bootc-image-builder warns "customizations\.hostname: not supported"\): /)]]);
  });

  test.each([
    [['qcow2'], undefined],
    [['anaconda-iso'], 'images/edge-node/config.toml:4: customizations.installer.kickstart.contents cannot be combined with customizations.user or customizations.group'],
    [['qcow2', 'iso'], '(bootc-image-builder refuses this for iso)'],
  ] as Array<[ImageType[], string | undefined]>)('a rule of some types only: types %p', (types, fragment) => {
    const content = '[[customizations.user]]\nname = "admin"\n[customizations.installer.kickstart]\ncontents = "text"\n';
    if (fragment === undefined) expect(() => checkBuilderConfig(options(TOML, { types }), content)).not.toThrow();
    else expect(() => checkBuilderConfig(options(TOML, { types }), content)).toThrow(fragment);
  });

  test('a key the builder refuses names the key and its line: installer.menu-timeout', () => {
    expect(() => checkBuilderConfig(options(TOML), '[customizations.installer]\nmenu-timeout = 5\n')).toThrow(
      'images/edge-node/config.toml:2: customizations.installer.menu-timeout is not a key bootc-image-builder accepts (the boot menu timeout is customizations.installer.bootloader.grub2.menu-timeout',
    );
  });

  test('the rootfs option is taken into account', () => {
    const layout = '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\n\n[[customizations.filesystem]]\nmountpoint = "/var/data"\nminsize = 1\n';
    expect(() => checkBuilderConfig(options(TOML, { rootfs: 'xfs' }), layout)).not.toThrow();
    expect(() => checkBuilderConfig(options(TOML, { rootfs: 'btrfs' }), layout)).toThrow('customizations.filesystem[1].mountpoint "/var/data" cannot be a separate filesystem with a btrfs root filesystem');
  });

  test('the legacy JSON "blueprint" wrapper: fine for bootc-image-builder, refused for image-builder, which reads no wrapper', () => {
    const wrapped = '{ "blueprint": { "customizations": { "user": [{ "name": "admin" }] } } }';
    const json = { path: join(ROOT, 'images/edge-node/config.json'), json: true };
    expect(() => checkBuilderConfig(options(json), wrapped)).not.toThrow();
    expect(() => checkBuilderConfig(options(json, { builderBackend: 'image-builder' }), wrapped)).toThrow(
      'images/edge-node/config.json is not a valid bootc-image-builder config:\n  images/edge-node/config.json:1: blueprint: image-builder reads no "blueprint" wrapper (only bootc-image-builder does): move its contents to the top level of the file',
    );
  });
});
