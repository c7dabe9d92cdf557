import { lineOf, tomlKeyLines } from './key-lines';

const TOML = `# comment
[[customizations.user]]
name = "admin"
groups = [
  "wheel",
]

[[customizations.user]]
"name" = "guest"

[customizations.kernel]
append = "quiet"

[customizations.installer.kickstart]
contents = """
user = "not-a-key"
[not.a.table]
"""

[customizations]
fips = true
sshd = { password_authentication = false, client_alive_interval = 60 }
filesystem = [
  { mountpoint = "/", minsize = "10 GiB" },
  { mountpoint = "/var/data", minsize = "5 GiB" },
]

[[customizations.disk.partitions]]
type = "lvm"
[[customizations.disk.partitions.logical_volumes]]
name = "root"
[[customizations.disk.partitions]]
type = "btrfs"
[[customizations.disk.partitions.logical_volumes]]
name = "other"
`;

describe('tomlKeyLines', () => {
  const lines = tomlKeyLines(TOML);

  test.each([
    ['customizations', 2],
    ['customizations.user', 2],
    ['customizations.user[0]', 2],
    ['customizations.user[0].name', 3],
    ['customizations.user[0].groups', 4],
    ['customizations.user[1].name', 9],
    ['customizations.kernel.append', 12],
    ['customizations.installer.kickstart.contents', 15],
    ['customizations.fips', 21],
    ['customizations.sshd.client_alive_interval', 22],
    ['customizations.filesystem[0].mountpoint', 24],
    ['customizations.filesystem[1].minsize', 25],
    ['customizations.disk.partitions[0].type', 29],
    ['customizations.disk.partitions[0].logical_volumes[0].name', 31],
    ['customizations.disk.partitions[1].type', 33],
    ['customizations.disk.partitions[1].logical_volumes[0].name', 35],
  ])('%s is on line %i', (path, line) => {
    expect(lines.get(path)).toBe(line);
  });

  test('skips multi-line strings', () => {
    expect(lines.has('customizations.installer.kickstart.user')).toBe(false);
    expect(lines.has('not.a.table')).toBe(false);
  });

  test('lineOf falls back to the nearest enclosing key', () => {
    expect(lineOf(lines, 'customizations.user[1].uid')).toBe(8);
    expect(lineOf(lines, 'customizations.user[0].groups[0]')).toBe(4);
    expect(lineOf(lines, 'customizations.disk.partitions[0].logical_volumes[0].fs_type')).toBe(30);
    expect(lineOf(lines, 'nothing.here')).toBeUndefined();
  });
});
