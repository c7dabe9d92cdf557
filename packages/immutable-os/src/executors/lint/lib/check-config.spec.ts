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

  test('config-invalid: each refused key, at its line, naming the key path and what is allowed', () => {
    const content = '[[customizations.user]]\nname = "admin"\nuid = "1000"\n\n[[customizations.filesystem]]\nmountpoint = "/var/home"\nminsize = "5 GiB"\n';
    expect(checkConfig(FILE, content, ['qcow2'])).toEqual([
      {
        rule: 'config-invalid',
        severity: 'error',
        file: FILE,
        line: 3,
        message: 'customizations.user[0].uid must be an integer, got "1000"',
        fix: RULES['config-invalid'].fix,
      },
      expect.objectContaining({
        rule: 'config-invalid',
        line: 6,
        message: expect.stringMatching(/^customizations\.filesystem\[0\]\.mountpoint "\/var\/home" cannot be a separate filesystem: .*allowed: "\/", "\/boot" or a folder under \/var/),
      }),
    ]);
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
        message: 'customizations.installer is ignored by qcow2: only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types',
        fix: RULES['config-ignored'].fix,
      },
    ]);
    expect(checkConfig(FILE, content, ['anaconda-iso']).map((f) => [f.rule, f.line, f.message.split(' ')[0]])).toEqual([
      ['config-ignored', 4, 'customizations.filesystem'],
    ]);
  });
});
