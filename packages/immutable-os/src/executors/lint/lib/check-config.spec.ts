import { checkConfig } from './check-config';

describe('checkConfig (config-syntax)', () => {
  test.each([
    ['an empty file', ''],
    ['a bootc-image-builder blueprint', '[[customizations.user]]\nname = "admin"\ngroups = ["wheel"]\n\n[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n'],
  ])('passes: %s', (_name, content) => {
    expect(checkConfig('images/kiosk/config.toml', content)).toEqual([]);
  });

  test.each([
    ['a key without a value', 'a = 1\nb = \n', 2, 5, 'incomplete key-value declaration: no value specified'],
    ['a table defined twice', '[customizations]\nx = 1\n[customizations]\n', 3, 2, 'trying to redefine an already defined table or value'],
  ])('fails: %s, at the parser position', (_name, content, line, column, reason) => {
    expect(checkConfig('images/kiosk/config.toml', content)).toEqual([
      expect.objectContaining({
        rule: 'config-syntax',
        severity: 'error',
        file: 'images/kiosk/config.toml',
        line,
        column,
        message: `images/kiosk/config.toml is not valid TOML: ${reason}.`,
      }),
    ]);
  });
});
