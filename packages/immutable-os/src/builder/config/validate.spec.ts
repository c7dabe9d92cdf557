import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatConfigProblem, parseBuilderConfig, validateBuilderConfig, type BuilderConfig } from './validate';

const TOML = 'images/kiosk/config.toml';
const JSON_FILE = 'images/kiosk/config.json';

function parsed(file: string, content: string): BuilderConfig {
  const { config, errors } = parseBuilderConfig(file, content);
  expect(errors).toEqual([]);
  return config!;
}

describe('parseBuilderConfig: configs the builder accepts', () => {
  test.each([
    ['an empty TOML file', TOML, ''],
    ['an empty JSON object', JSON_FILE, '{}'],
    ['a user with every field', TOML, '[[customizations.user]]\nname = "admin"\npassword = "$6$x"\nkey = "ssh-ed25519 AAAA"\ngroups = ["wheel"]\nhome = "/var/home/admin"\nshell = "/bin/bash"\nuid = 1000\ngid = 1000\n'],
    ['a group and kernel arguments', TOML, '[[customizations.group]]\nname = "ops"\ngid = 2000\n\n[customizations.kernel]\nappend = "console=ttyS0"\n'],
    ['filesystem sizes in every notation', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n[[customizations.filesystem]]\nmountpoint = "/boot"\nminsize = "1GiB"\n[[customizations.filesystem]]\nmountpoint = "/var/lib/containers"\nminsize = 5368709120\n[[customizations.filesystem]]\nmountpoint = "/var/log"\nminsize = "1.5 GB"\n'],
    ['an lvm disk layout', TOML, '[customizations.disk]\ntype = "gpt"\nminsize = "20 GiB"\n[[customizations.disk.partitions]]\nmountpoint = "/boot"\nfs_type = "xfs"\nminsize = "1 GiB"\n[[customizations.disk.partitions]]\ntype = "lvm"\nname = "system"\nminsize = "15 GiB"\n[[customizations.disk.partitions.logical_volumes]]\nname = "root"\nmountpoint = "/"\nfs_type = "xfs"\nminsize = "10 GiB"\n[[customizations.disk.partitions.logical_volumes]]\nfs_type = "swap"\nminsize = "2 GiB"\n'],
    ['a btrfs disk layout in JSON', JSON_FILE, JSON.stringify({ customizations: { disk: { partitions: [{ type: 'btrfs', minsize: '10 GiB', subvolumes: [{ name: 'root', mountpoint: '/' }, { name: 'data', mountpoint: '/var/data' }] }] } } })],
    ['files and directories', TOML, '[[customizations.directories]]\npath = "/etc/myapp"\nmode = "0755"\nuser = "root"\ngroup = 0\nensure_parents = true\n[[customizations.files]]\npath = "/etc/myapp/config"\ndata = "x=1\\n"\nmode = "644"\n[[customizations.files]]\npath = "/usr/local/bin/hello"\nmode = "0755"\n'],
    ['installer options for an ISO', TOML, '[customizations.installer]\nunattended = true\nsudo-nopasswd = ["admin"]\n[customizations.installer.modules]\nenable = ["org.fedoraproject.Anaconda.Modules.Localization"]\n[customizations.iso]\nvolume_id = "KIOSK_1-0"\n[customizations]\nfips = true\n'],
    ['kickstart contents alone', TOML, '[customizations.installer.kickstart]\ncontents = """\ntext --non-interactive\nzerombr\n"""\n'],
    ['sshd and ignition settings', JSON_FILE, JSON.stringify({ customizations: { sshd: { password_authentication: false, permit_root_login: 'prohibit-password', client_alive_interval: 300 }, ignition: { firstboot: { url: 'http://example.com/ign.json' } } } })],
    ['the legacy JSON "blueprint" wrapper', JSON_FILE, JSON.stringify({ blueprint: { customizations: { user: [{ name: 'alice' }] } } })],
  ])('%s', (_name, file, content) => {
    expect(parseBuilderConfig(file, content)).toEqual({ config: expect.objectContaining({ file }), errors: [] });
  });

  test('sizes come out in bytes', () => {
    const config = parsed(TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n');
    expect(config.customizations.filesystem).toEqual([{ mountpoint: '/', minsize: 10 * 1024 ** 3 }]);
  });

  test('the config.toml the image generator writes is valid and fully applied by qcow2', () => {
    const template = readFileSync(join(__dirname, '../../generators/image/files/config.toml.template'), 'utf8').replace(/<%= name %>/g, 'kiosk').replace(/^<%[^=].*%>\n?/gm, '');
    expect(validateBuilderConfig(parsed(TOML, template), { types: ['qcow2'] })).toEqual({ errors: [], warnings: [] });
  });
});

describe('parseBuilderConfig: what the builder refuses, at its key path and line', () => {
  test.each([
    // [name, file, content, keyPath, message fragment, line]
    ['an unknown top-level key', TOML, 'name = "kiosk"\n', 'name', 'is not a key bootc-image-builder accepts (a blueprint key', 1],
    ['the legacy wrapper in TOML', TOML, '[blueprint.customizations]\nfips = true\n', 'blueprint', 'works only in config.json', 1],
    ['an unknown customization', TOML, '[customizations.timezone]\ntimezone = "UTC"\n', 'customizations.timezone', 'a customization of package-based images: set it up in the Containerfile', 1],
    ['a misspelt user key', TOML, '[[customizations.user]]\nname = "a"\n\n[[customizations.user]]\nnmae = "b"\n', 'customizations.user[1].nmae', 'allowed keys here: name, description, password', 5],
    ['a user without a name', TOML, '[[customizations.user]]\npassword = "x"\n', 'customizations.user[0].name', 'is required', 1],
    ['a user name with a space', JSON_FILE, '{"customizations": {"user": [{"name": "a b"}]}}', 'customizations.user[0].name', 'must be a user name', 1],
    ['a password that is no string, not echoed', TOML, '[[customizations.user]]\nname = "a"\npassword = 12345678\n', 'customizations.user[0].password', 'must be a string: a crypt(3) hash', 3],
    ['a dotted key inside a table', TOML, '[customizations]\ninstaller.kickstart.text = "x"\n', 'customizations.installer.kickstart.text', 'allowed keys here: contents', 2],
    ['a negative uid', TOML, '[[customizations.user]]\nname = "a"\nuid = -5\n', 'customizations.user[0].uid', 'must be a non-negative integer, got -5', 3],
    ['a uid in quotes', JSON_FILE, '{\n  "customizations": {\n    "user": [\n      {"name": "a", "uid": "1000"}\n    ]\n  }\n}', 'customizations.user[0].uid', 'must be an integer, got "1000"', 4],
    ['groups as a string', TOML, '[[customizations.user]]\nname = "a"\ngroups = "wheel"\n', 'customizations.user[0].groups', 'must be an array, got "wheel"', 3],
    ['a group without a name', TOML, '[[customizations.group]]\ngid = 10\n', 'customizations.group[0].name', 'is required', 1],
    ['an unknown kernel key', TOML, '[customizations.kernel]\nappend = "quiet"\nargs = "x"\n', 'customizations.kernel.args', 'allowed keys here: name, append', 3],
    ['/var/home as a filesystem', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n\n[[customizations.filesystem]]\nmountpoint = "/var/home"\nminsize = "5 GiB"\n', 'customizations.filesystem[1].mountpoint', '"/var/home" cannot be a separate filesystem: bootc keeps /var/home in /var; allowed: "/", "/boot" or a folder under /var other than', 6],
    ['a folder below a denied /var folder', TOML, '[[customizations.filesystem]]\nmountpoint = "/var/run/x"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', 'bootc keeps /var/run in /var', 2],
    ['/var itself', TOML, '[[customizations.filesystem]]\nmountpoint = "/var"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', '"/var" cannot be a separate filesystem: bootc manages /var itself', 2],
    ['/opt', TOML, '[[customizations.filesystem]]\nmountpoint = "/opt"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', '"/opt" cannot be a separate filesystem in a bootc image', 2],
    ['a relative mountpoint', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "var/data", "minsize": 1}]}}', 'customizations.filesystem[0].mountpoint', 'must be an absolute path', 1],
    ['a trailing slash', TOML, '[[customizations.filesystem]]\nmountpoint = "/var/data/"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', 'must be a canonical path (no "//", ".", ".." or trailing "/"): write "/var/data"', 2],
    ['a size with an unknown unit', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GB2"\n', 'customizations.filesystem[0].minsize', 'must be a number of bytes or a string with a unit (kB, KiB, MB, MiB, GB, GiB, TB, TiB), e.g. "10 GiB", got "10 GB2"', 3],
    ['a lower-case unit', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "/", "minsize": "10 gib"}]}}', 'customizations.filesystem[0].minsize', 'got "10 gib"', 1],
    ['a zero size', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 0\n', 'customizations.filesystem[0].minsize', 'must be greater than 0', 3],
    ['the old "size" key', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nsize = "10 GiB"\n', 'customizations.filesystem[0].size', 'the old name of minsize: rename it', 3],
    ['a mountpoint listed twice', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\n[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 2\n', 'customizations.filesystem[1].mountpoint', 'is already sized by customizations.filesystem[0]', 5],
    ['filesystem and disk together', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\n\n[customizations.disk]\nminsize = "20 GiB"\n', 'customizations.disk', 'cannot be combined with customizations.filesystem', 5],
    ['an unknown partition table type', TOML, '[customizations.disk]\ntype = "mbr"\n', 'customizations.disk.type', 'must be "gpt" or "dos", got "mbr"', 2],
    ['an unknown partition type', TOML, '[[customizations.disk.partitions]]\ntype = "zfs"\nminsize = 1\n', 'customizations.disk.partitions[0].type', 'must be "plain", "lvm", "btrfs" (default "plain"), got "zfs"', 2],
    ['a plain partition without fs_type', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/data"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].fs_type', 'is required: one of "ext4", "xfs", "vfat", "swap", "none"', 1],
    ['a partition without minsize', JSON_FILE, '{"customizations": {"disk": {"partitions": [\n  {"mountpoint": "/var/data", "fs_type": "xfs"}\n]}}}', 'customizations.disk.partitions[0].minsize', 'is required: a number of bytes', 2],
    ['a btrfs volume with a mountpoint', TOML, '[[customizations.disk.partitions]]\ntype = "btrfs"\nminsize = 1\nmountpoint = "/"\nsubvolumes = [{ name = "root", mountpoint = "/" }]\n', 'customizations.disk.partitions[0].mountpoint', 'allowed keys here: type, minsize, part_type, part_label, part_uuid, subvolumes', 4],
    ['a btrfs volume without subvolumes', TOML, '[[customizations.disk.partitions]]\ntype = "btrfs"\nminsize = 1\nsubvolumes = []\n', 'customizations.disk.partitions[0].subvolumes', 'must list at least 1 item', 4],
    ['/boot on LVM', TOML, '[[customizations.disk.partitions]]\ntype = "lvm"\nminsize = "10 GiB"\n\n[[customizations.disk.partitions.logical_volumes]]\nmountpoint = "/boot"\nfs_type = "xfs"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].logical_volumes[0].mountpoint', '"/boot" cannot be on LVM: put it on a plain partition', 6],
    ['/boot as vfat', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/boot"\nfs_type = "vfat"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].fs_type', 'must be "xfs" or "ext4" for /boot, got "vfat"', 3],
    ['lvm and btrfs together', JSON_FILE, JSON.stringify({ customizations: { disk: { partitions: [{ type: 'lvm', minsize: 1, logical_volumes: [{ mountpoint: '/', fs_type: 'xfs', minsize: 1 }] }, { type: 'btrfs', minsize: 1, subvolumes: [{ name: 'd', mountpoint: '/var/d' }] }] } } }), 'customizations.disk.partitions', 'mixes lvm and btrfs partitions', 1],
    ['a mountpoint twice across partitions', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = 1\n[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "ext4"\nminsize = 1\n', 'customizations.disk.partitions[1].mountpoint', '"/var/data" is mounted twice', 6],
    ['a part_type that is no GUID on gpt', TOML, '[customizations.disk]\ntype = "gpt"\n[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = 1\npart_type = "83"\n', 'customizations.disk.partitions[0].part_type', 'must be a GUID, got "83"', 7],
    ['five partitions on dos', JSON_FILE, JSON.stringify({ customizations: { disk: { type: 'dos', partitions: [1, 2, 3, 4, 5].map((n) => ({ mountpoint: `/var/d${n}`, fs_type: 'xfs', minsize: 1 })) } } }), 'customizations.disk.partitions', 'a "dos" partition table holds at most 4', 1],
    ['a file outside the allowed folders', TOML, '[[customizations.files]]\npath = "/usr/bin/tool"\ndata = "x"\n', 'customizations.files[0].path', 'is outside the folders customizations.files may write: allowed under /etc, /root, /usr/local/bin, /usr/local/sbin', 2],
    ['/etc/passwd as a file', TOML, '[[customizations.files]]\npath = "/etc/passwd"\ndata = "x"\n', 'customizations.files[0].path', '"/etc/passwd" cannot be written by customizations.files: /etc/passwd is managed by the builder', 2],
    ['a folder outside /etc', TOML, '[[customizations.directories]]\npath = "/var/lib/app"\n', 'customizations.directories[0].path', 'allowed under /etc; create other folders in the Containerfile, or with systemd tmpfiles.d for /var', 2],
    ['a mode without quotes', TOML, '[[customizations.files]]\npath = "/etc/app.conf"\nmode = 644\n', 'customizations.files[0].mode', 'must be an octal mode in quotes such as "0644", got 644', 3],
    ['a mode that is not octal', TOML, '[[customizations.directories]]\npath = "/etc/app"\nmode = "0789"\n', 'customizations.directories[0].mode', 'must be an octal mode such as "0644" or "755", got "0789"', 3],
    ['a negative owner id', JSON_FILE, '{"customizations": {"files": [{"path": "/etc/a", "user": -1}]}}', 'customizations.files[0].user', 'must be a non-negative integer, got -1', 1],
    ['an owner of the wrong type', TOML, '[[customizations.files]]\npath = "/etc/a"\ngroup = true\n', 'customizations.files[0].group', 'must be a group name (e.g. "root") or a non-negative GID, got true', 3],
    ['a path used twice', TOML, '[[customizations.directories]]\npath = "/etc/app"\n[[customizations.files]]\npath = "/etc/app"\n', 'customizations.files[0].path', 'is also created by customizations.directories[0]', 4],
    ['kickstart contents and users', TOML, '[[customizations.user]]\nname = "a"\n[customizations.installer.kickstart]\ncontents = "text"\n', 'customizations.installer.kickstart.contents', 'cannot be combined with customizations.user or customizations.group', 4],
    ['kickstart contents and unattended', TOML, '[customizations.installer]\nunattended = true\n[customizations.installer.kickstart]\ncontents = "text"\n', 'customizations.installer.unattended', 'is not supported together with custom kickstart contents', 2],
    ['kickstart contents and sudo-nopasswd', JSON_FILE, '{"customizations": {"installer": {\n"sudo-nopasswd": ["%wheel"],\n"kickstart": {"contents": "text"}}}}', 'customizations.installer.sudo-nopasswd', 'is not supported together with custom kickstart contents', 2],
    ['the Users module disabled with users', TOML, '[[customizations.group]]\nname = "ops"\n[customizations.installer.modules]\ndisable = ["org.fedoraproject.Anaconda.Modules.Users"]\n', 'customizations.installer.modules.disable', 'cannot disable org.fedoraproject.Anaconda.Modules.Users', 4],
    ['an ISO volume id with a space', TOML, '[customizations.iso]\nvolume_id = "My Kiosk"\n', 'customizations.iso.volume_id', 'must use only letters, digits, "_" and "-", got "My Kiosk"', 2],
    ['an unknown ISO key', TOML, '[customizations.iso]\nlabel = "x"\n', 'customizations.iso.label', 'allowed keys here: volume_id, application_id, publisher', 2],
    ['fips as a string', JSON_FILE, '{"customizations": {"fips": "yes"}}', 'customizations.fips', 'must be true or false, got "yes"', 1],
    ['an sshd root login value', TOML, '[customizations.sshd]\npermit_root_login = "without-password"\n', 'customizations.sshd.permit_root_login', 'must be true, false, "prohibit-password" or "forced-commands-only"', 2],
    ['ignition url and empty', TOML, '[customizations.ignition.firstboot]\nurl = "http://x/y.ign"\nempty = true\n', 'customizations.ignition.firstboot', 'cannot set both url and empty = true', 1],
    ['a customizations value that is no table', TOML, 'customizations = []\n', 'customizations', 'must be a table (JSON object), got an array', 1],
    ['legacy wrapper problems name the wrapper', JSON_FILE, '{"blueprint": {"customizations": {"iso": {"volume_id": "a b"}}}}', 'blueprint.customizations.iso.volume_id', 'must use only letters', 1],
    ['keys next to the legacy wrapper', JSON_FILE, '{"blueprint": {}, "customizations": {}}', 'customizations', 'is ignored because the file has a top-level "blueprint" key', 1],
  ])('%s', (_name, file, content, keyPath, fragment, line) => {
    const { config, errors } = parseBuilderConfig(file, content);
    expect(config).toBeUndefined();
    expect(errors).toContainEqual({ file, keyPath, line, message: expect.stringContaining(fragment), kind: 'invalid' });
    const error = errors.find((e) => e.keyPath === keyPath)!;
    expect(error.message.startsWith(`${keyPath} `)).toBe(true);
    expect(error.message).not.toContain('12345678');
  });

  test('reports every refused key, in document order', () => {
    const { errors } = parseBuilderConfig(TOML, '[[customizations.user]]\nname = "a"\nuid = "x"\n\n[customizations]\nhostname = "kiosk"\n');
    expect(errors.map((e) => [e.line, e.keyPath])).toEqual([
      [3, 'customizations.user[0].uid'],
      [6, 'customizations.hostname'],
    ]);
  });

  test('a JSON root that is not an object names the file', () => {
    expect(parseBuilderConfig(JSON_FILE, '[]').errors).toEqual([
      { file: JSON_FILE, keyPath: '', line: undefined, message: `${JSON_FILE} must be a table (JSON object), got an array`, kind: 'invalid' },
    ]);
  });
});

describe('parseBuilderConfig: syntax errors at the parser position', () => {
  test.each([
    ['TOML: a key without a value', TOML, 'a = 1\nb = \n', 2, 5, 'is not valid TOML: incomplete key-value declaration: no value specified.'],
    ['TOML: a table defined twice', TOML, '[customizations]\nfips = true\n[customizations]\n', 3, 2, 'is not valid TOML: trying to redefine an already defined table or value.'],
    ['JSON: a trailing comma', JSON_FILE, '{\n  "customizations": {\n    "fips": true,\n  }\n}', 4, 3, 'is not valid JSON: '],
    ['JSON: the end of input', JSON_FILE, '{\n  "customizations": ', 2, 21, 'is not valid JSON: Unexpected end of JSON input.'],
    ['JSON read from a TOML file', TOML, '{"customizations": {}}', 1, 1, 'is not valid TOML: '],
    ['TOML read from a JSON file', JSON_FILE, '[[customizations.user]]\nname = "a"\n', 1, 3, 'is not valid JSON: '],
  ])('%s', (_name, file, content, line, column, fragment) => {
    expect(parseBuilderConfig(file, content)).toEqual({
      errors: [{ file, keyPath: '', line, column, message: expect.stringContaining(`${file} ${fragment}`), kind: 'syntax' }],
    });
  });
});

describe('validateBuilderConfig', () => {
  const everything = parsed(
    TOML,
    [
      '[[customizations.user]]', 'name = "admin"', '',
      '[customizations.kernel]', 'name = "kernel-rt"', 'append = "quiet"', '',
      '[[customizations.filesystem]]', 'mountpoint = "/var/data"', 'minsize = "5 GiB"', '',
      '[[customizations.files]]', 'path = "/etc/motd"', 'data = "hi"', '',
      '[customizations.installer]', 'unattended = true', '',
      '[customizations.iso]', 'volume_id = "KIOSK"', '',
      '[customizations.sshd]', 'password_authentication = false', '',
      '[customizations]', 'fips = true', '',
    ].join('\n'),
  );
  const warned = (types: Parameters<typeof validateBuilderConfig>[1]['types']) =>
    validateBuilderConfig(everything, { types }).warnings.map((w) => `${w.line} ${w.message}`);

  test('a disk type warns about the installer, ISO, FIPS, sshd and kernel name settings it ignores', () => {
    expect(warned(['qcow2', 'ami'])).toEqual([
      '5 customizations.kernel.name is ignored by qcow2 and ami: the kernel comes from the container image: install another kernel in the Containerfile instead',
      '16 customizations.installer is ignored by qcow2 and ami: only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types',
      '20 customizations.iso.volume_id is ignored by qcow2 and ami: only anaconda-iso and iso use it: remove it, or build one of those types',
      '22 customizations.sshd is ignored by qcow2 and ami: configure sshd in the image instead, e.g. a drop-in rootfs/etc/ssh/sshd_config.d/50-<name>.conf',
      '26 customizations.fips is ignored by qcow2 and ami: only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types',
    ]);
  });

  test('an ISO type warns about the filesystem and files it ignores', () => {
    expect(warned(['anaconda-iso'])).toEqual([
      '5 customizations.kernel.name is ignored by anaconda-iso: the kernel comes from the container image: install another kernel in the Containerfile instead',
      '8 customizations.filesystem is ignored by anaconda-iso: only qcow2, raw, ami, vmdk, vhd, gce, ova and pxe-tar-xz use it: remove it, or build one of those types',
      '12 customizations.files is ignored by anaconda-iso: only qcow2, raw, ami, vmdk, vhd, gce, ova and pxe-tar-xz use it: remove it, or build one of those types',
      '22 customizations.sshd is ignored by anaconda-iso: configure sshd in the image instead, e.g. a drop-in rootfs/etc/ssh/sshd_config.d/50-<name>.conf',
    ]);
  });

  test.each([
    [['raw'], ['customizations.installer', 'customizations.iso.volume_id', 'customizations.fips']],
    // bootc-installer takes its ISO label from the installer image, never from customizations.iso.
    [['bootc-installer'], ['customizations.filesystem', 'customizations.files', 'customizations.iso.volume_id']],
    [['vmdk', 'iso'], []],
  ] as const)('%p ignores %p (besides sshd and kernel.name)', (types, ignored) => {
    const paths = validateBuilderConfig(everything, { types }).warnings.map((w) => w.keyPath);
    expect(paths.filter((p) => p !== 'customizations.sshd' && p !== 'customizations.kernel.name')).toEqual(ignored);
  });

  test('with mixed types, a customization one of them uses is no warning; one all ignore is', () => {
    const warnings = validateBuilderConfig(everything, { types: ['vmdk', 'iso'] }).warnings;
    expect(warnings.find((w) => w.keyPath === 'customizations.fips')).toBeUndefined();
    expect(warnings.find((w) => w.keyPath === 'customizations.sshd')?.message).toMatch(/^customizations\.sshd is ignored by vmdk and iso: /);
  });

  test('no types means the builder default, qcow2', () => {
    expect(validateBuilderConfig(everything, { types: [] })).toEqual(validateBuilderConfig(everything, { types: ['qcow2'] }));
  });

  test('a config the types fully apply has no warnings', () => {
    const config = parsed(JSON_FILE, JSON.stringify({ customizations: { user: [{ name: 'a' }], kernel: { append: 'quiet' }, installer: { unattended: true } } }));
    expect(validateBuilderConfig(config, { types: ['anaconda-iso', 'bootc-installer'] })).toEqual({ errors: [], warnings: [] });
  });

  test.each([
    ['btrfs', '/var/data', '"/var/data" cannot be a separate filesystem with a btrfs root filesystem'],
    ['xfs', '/var/data', undefined],
    [undefined, '/var/data', undefined],
    ['btrfs', '/boot', undefined],
  ] as const)('with rootfs %p, mountpoint %p is refused: %p', (rootfs, mountpoint, fragment) => {
    const config = parsed(TOML, `[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\n\n[[customizations.filesystem]]\nmountpoint = "${mountpoint}"\nminsize = 1\n`);
    const { errors } = validateBuilderConfig(config, { types: ['qcow2'], rootfs });
    if (fragment === undefined) expect(errors).toEqual([]);
    else {
      expect(errors).toEqual([
        { file: TOML, keyPath: 'customizations.filesystem[1].mountpoint', line: 6, message: expect.stringContaining(`customizations.filesystem[1].mountpoint ${fragment}`), kind: 'invalid' },
      ]);
      expect(errors[0].message).toContain('allowed: "/" and "/boot"');
    }
  });

  test('key paths of a legacy JSON config keep the wrapper', () => {
    const config = parsed(JSON_FILE, '{"blueprint": {\n  "customizations": {\n    "fips": true\n  }\n}}');
    expect(validateBuilderConfig(config, { types: ['qcow2'] }).warnings).toEqual([
      expect.objectContaining({ keyPath: 'blueprint.customizations.fips', line: 3, kind: 'ignored' }),
    ]);
  });
});

describe('formatConfigProblem', () => {
  test.each([
    [{ file: TOML, keyPath: 'customizations.user[0].name', line: 12, message: 'customizations.user[0].name is required', kind: 'invalid' as const }, 'images/kiosk/config.toml:12: customizations.user[0].name is required'],
    [{ file: TOML, keyPath: '', line: 2, column: 5, message: 'x is not valid TOML: y.', kind: 'syntax' as const }, 'images/kiosk/config.toml:2:5: x is not valid TOML: y.'],
    [{ file: JSON_FILE, keyPath: '', message: 'm', kind: 'invalid' as const }, 'images/kiosk/config.json: m'],
  ])('%#', (problem, text) => {
    expect(formatConfigProblem(problem)).toBe(text);
  });
});
