import { chooseRootFs } from './root-filesystem';

describe('chooseRootFs', () => {
  test.each([
    ['the image declares xfs', 'xfs', undefined, 'xfs'],
    ['the option wins over the image, as --rootfs does', 'xfs', 'ext4', 'ext4'],
    ['the option alone', undefined, 'ext4', 'ext4'],
  ] as const)('%s → %s', (_name, declared, option, rootfs) => {
    expect(chooseRootFs('localhost/kiosk', declared, option, false)).toEqual({ rootfs, warning: undefined });
  });

  test.each([
    [false, 'missing required info: DefaultRootFs'],
    [true, 'no default root filesystem type specified in container, please use "--rootfs" to set manually'],
  ])('neither: both fixes, quoting what the builder would say (legacy ISO: %s)', (legacyIso, builderSays) => {
    expect(() => chooseRootFs('localhost/kiosk', undefined, undefined, legacyIso)).toThrow(
      new RegExp(`^localhost/kiosk declares no root filesystem .* so bootc-image-builder would stop with "${builderSays.replace(/[.*+?^${}()|[\]\\"]/g, '\\$&')}"\\. Either declare it in the image: rootfs/usr/lib/bootc/install/80-rootfs\\.toml .* or set rootfs \\(xfs, ext4 or btrfs\\)`),
    );
  });

  test('a declared type the builder does not take is refused', () => {
    expect(() => chooseRootFs('localhost/kiosk', 'f2fs', undefined, false)).toThrow('localhost/kiosk declares the root filesystem "f2fs", which bootc-image-builder does not support (ext4, xfs, btrfs)');
  });

  test.each([
    [undefined, 'btrfs', 'the rootfs option'],
    ['btrfs', undefined, 'declared by localhost/kiosk'],
  ] as const)('btrfs (declared %s, option %s) converts with the systemd-remount-fs warning', (declared, option, from) => {
    expect(chooseRootFs('localhost/kiosk', declared, option, false)).toEqual({
      rootfs: 'btrfs',
      warning: `the root filesystem is btrfs (${from}): a read-only btrfs root breaks systemd-remount-fs at boot (https://github.com/osbuild/bootc-image-builder/issues/756); prefer xfs or ext4 unless the image handles it.`,
    });
  });
});
