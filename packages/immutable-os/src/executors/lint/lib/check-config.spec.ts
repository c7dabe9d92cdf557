import type { ImageType } from '../../../builder/image-types';
import { checkConfig } from './check-config';
import { RULES } from './rules';

const FILE = 'images/kiosk/config.toml';

describe('checkConfig', () => {
  test.each([
    ['an empty file', ''],
    [
      'the generated config',
      '[[customizations.user]]\nname = "admin"\ngroups = ["wheel"]\n\n[customizations.kernel]\nappend = "console=ttyS0"\n\n[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n',
    ],
  ])('passes: %s', (_name, content) => {
    expect(checkConfig(FILE, content, ['qcow2'])).toEqual([]);
  });

  test.each([
    ['a key without a value', 'a = 1\nb = \n', 2, 5, 'incomplete key-value declaration: no value specified'],
    ['a table defined twice', '[customizations]\nx = 1\n[customizations]\n', 3, 2, 'trying to redefine an already defined table or value'],
  ])('config-syntax: %s, at the parser position', (_name, content, line, column, reason) => {
    expect(checkConfig(FILE, content, ['qcow2'])).toEqual([
      {
        rule: 'config-syntax',
        severity: 'error',
        file: FILE,
        line,
        column,
        message: `${FILE} is not valid TOML: ${reason}.`,
        fix: RULES['config-syntax'].fix,
      },
    ]);
  });

  test('config-syntax: a config.json that does not parse', () => {
    expect(checkConfig('images/kiosk/config.json', '{\n  "customizations": {,\n}', ['qcow2'])).toEqual([
      expect.objectContaining({ rule: 'config-syntax', line: 2, column: 22, message: expect.stringMatching(/^images\/kiosk\/config\.json is not valid JSON: /) }),
    ]);
  });

  test.each([
    ['a value the decoder refuses', '[[customizations.user]]\nname = "admin"\nuid = "1000"\n', ['qcow2'], 3, 'customizations.user[0].uid must be an integer, got "1000"'],
    ['a key the decoder refuses', '[customizations.installer]\nmenu-timeout = 5\n', ['qcow2'], 2, 'customizations.installer.menu-timeout is not a key bootc-image-builder accepts (the boot menu timeout is customizations.installer.bootloader.grub2.menu-timeout'],
    ['a mountpoint the disk path refuses', '[[customizations.filesystem]]\nmountpoint = "/var/home"\nminsize = "5 GiB"\n', ['qcow2'], 2, 'customizations.filesystem[0].mountpoint "/var/home" cannot be a separate filesystem: '],
    ['a kickstart with users, for an ISO', '[[customizations.user]]\nname = "admin"\n[customizations.installer.kickstart]\ncontents = "text"\n', ['anaconda-iso'], 4, 'customizations.installer.kickstart.contents cannot be combined with customizations.user'],
  ] as Array<[string, string, ImageType[], number, string]>)('config-invalid: %s, at its line, naming the key path and what is allowed', (_name, content, formats, line, fragment) => {
    expect(checkConfig(FILE, content, formats)).toEqual([
      { rule: 'config-invalid', severity: 'error', file: FILE, line, message: expect.stringContaining(fragment), fix: RULES['config-invalid'].fix },
    ]);
  });

  test('config-invalid: a rule of other types only is no error', () => {
    const findings = checkConfig(FILE, '[[customizations.user]]\nname = "admin"\n[customizations.installer.kickstart]\ncontents = "text"\n', ['qcow2']);
    expect(findings.map((f) => [f.rule, f.message.split(' ')[0]])).toEqual([['config-ignored', 'customizations.installer']]);
  });

  test('config-invalid: an error without a located key points at line 1', () => {
    expect(checkConfig('images/kiosk/config.json', '[]', ['qcow2'])).toEqual([expect.objectContaining({ rule: 'config-invalid', line: 1 })]);
  });

  test('config-ignored: warns about what the formats ignore, and only then', () => {
    const content = '[customizations.installer]\nunattended = true\n\n[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n';
    expect(checkConfig(FILE, content, ['qcow2'])).toEqual([
      {
        rule: 'config-ignored',
        severity: 'warning',
        file: FILE,
        line: 1,
        message: 'customizations.installer is ignored by qcow2 (bootc-image-builder warns "customizations.installer: not supported"): only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types',
        fix: RULES['config-ignored'].fix,
      },
    ]);
    expect(checkConfig(FILE, content, ['anaconda-iso']).map((f) => [f.rule, f.line, f.message.split(' ')[0]])).toEqual([
      ['config-ignored', 4, 'customizations.filesystem'],
    ]);
  });

  test.each([
    ['blueprint metadata', 'name = "kiosk"\ndescription = "A kiosk"\n', []],
    ['a customization of package-based images', '[customizations]\nhostname = "x"\n', [[2, 'customizations.hostname is ignored by qcow2 (bootc-image-builder warns "customizations.hostname: not supported")']]],
    ['a top-level blueprint key', '[[packages]]\nname = "vim"\n', [[1, 'packages is ignored by qcow2 (bootc-image-builder warns "packages: not supported")']]],
    ['an unknown key of a filesystem entry', '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\nmniszie = 2\n', [[4, 'customizations.filesystem[0].mniszie is not a key of this table, so bootc-image-builder silently ignores it']]],
    ['the deprecated TOML size', '[[customizations.filesystem]]\nmountpoint = "/"\nsize = 1\n', [[3, 'customizations.filesystem[0].size is the deprecated alias of minsize']]],
  ] as Array<[string, string, Array<[number, string]>]>)('config-ignored, not config-invalid: %s', (_name, content, expected) => {
    expect(checkConfig(FILE, content, ['qcow2']).map((f) => [f.rule, f.severity, f.line, f.message])).toEqual(
      expected.map(([line, fragment]) => ['config-ignored', 'warning', line, expect.stringContaining(fragment)]),
    );
  });
});
