import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_TYPE_NAMES, type ImageType } from '../image-types';
import { CONFIG_RULES } from './rules';
import { formatConfigProblem, parseBuilderConfig, validateBuilderConfig, type BuilderConfig } from './validate';

const TOML = 'images/kiosk/config.toml';
const JSON_FILE = 'images/kiosk/config.json';

function parsed(file: string, content: string): BuilderConfig {
  const { config, errors } = parseBuilderConfig(file, content);
  expect(errors).toEqual([]);
  return config!;
}

const validated = (file: string, content: string, types: readonly ImageType[]) => validateBuilderConfig(parsed(file, content), { types });

describe('parseBuilderConfig: configs the builder accepts', () => {
  test.each([
    ['an empty TOML file', TOML, ''],
    ['an empty JSON object', JSON_FILE, '{}'],
    ['blueprint metadata at the top level', TOML, 'name = "kiosk"\ndescription = "A kiosk"\nversion = "1.0.0"\n'],
    ['a full blueprint (keys the builder ignores for bootc images)', TOML, 'name = "kiosk"\ndistro = "fedora-42"\n[[packages]]\nname = "vim"\n[[containers]]\nsource = "quay.io/x/y:1"\n"tls-verify" = true\n'],
    ['a user with every field', TOML, '[[customizations.user]]\nname = "admin"\npassword = "$6$x"\nkey = "ssh-ed25519 AAAA"\ngroups = ["wheel"]\nhome = "/var/home/admin"\nshell = "/bin/bash"\nuid = 1000\ngid = 1000\n'],
    ['a group and kernel arguments', TOML, '[[customizations.group]]\nname = "ops"\ngid = 2000\n\n[customizations.kernel]\nappend = "console=ttyS0"\n'],
    ['customizations of package-based images', TOML, '[customizations]\nhostname = "kiosk"\n[customizations.timezone]\ntimezone = "UTC"\nntpservers = ["pool.ntp.org"]\n[customizations.locale]\nlanguages = ["en_US.UTF-8"]\n[customizations.services]\nenabled = ["sshd"]\n[[customizations.repositories]]\nid = "x"\nbaseurls = ["https://example.com/repo"]\n'],
    ['filesystem sizes in every notation', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n[[customizations.filesystem]]\nmountpoint = "/boot"\nminsize = "1GiB"\n[[customizations.filesystem]]\nmountpoint = "/var/lib/containers"\nminsize = 5368709120\n[[customizations.filesystem]]\nmountpoint = "/var/log"\nminsize = "1.5 GB"\n'],
    ['the deprecated TOML size of a filesystem', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nsize = "10 GiB"\n'],
    ['a JSON filesystem of size 0', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "/", "minsize": 0}]}}'],
    ['an lvm disk layout', TOML, '[customizations.disk]\ntype = "gpt"\nminsize = "20 GiB"\n[[customizations.disk.partitions]]\nmountpoint = "/boot"\nfs_type = "xfs"\nminsize = "1 GiB"\n[[customizations.disk.partitions]]\ntype = "lvm"\nname = "system"\nminsize = "15 GiB"\n[[customizations.disk.partitions.logical_volumes]]\nname = "root"\nmountpoint = "/"\nfs_type = "xfs"\nminsize = "10 GiB"\n[[customizations.disk.partitions.logical_volumes]]\nfs_type = "swap"\nminsize = "2 GiB"\n'],
    ['a btrfs disk layout in JSON', JSON_FILE, JSON.stringify({ customizations: { disk: { partitions: [{ type: 'btrfs', minsize: '10 GiB', subvolumes: [{ name: 'root', mountpoint: '/' }, { name: 'data', mountpoint: '/var/data' }] }] } } })],
    ['files and directories', TOML, '[[customizations.directories]]\npath = "/etc/myapp"\nmode = "0755"\nuser = "root"\ngroup = 0\nensure_parents = true\n[[customizations.files]]\npath = "/etc/myapp/config"\ndata = "x=1\\n"\nmode = "644"\n[[customizations.files]]\npath = "/usr/local/bin/hello"\nmode = "0755"\n'],
    ['a file from a local uri', TOML, '[[customizations.files]]\npath = "/etc/motd"\nuri = "file:///srv/motd"\n[[customizations.files]]\npath = "/etc/issue"\nuri = "/srv/issue"\n'],
    ['installer options for an ISO', TOML, '[customizations.installer]\nunattended = true\nsudo-nopasswd = ["admin"]\n[customizations.installer.modules]\nenable = ["org.fedoraproject.Anaconda.Modules.Localization"]\n[customizations.installer.bootloader.grub2]\nmenu-timeout = 5\n[customizations.iso]\nvolume_id = "KIOSK_1-0"\n[customizations]\nfips = true\n'],
    ['kickstart contents alone', TOML, '[customizations.installer.kickstart]\ncontents = """\ntext --non-interactive\nzerombr\n"""\n'],
    ['an ISO table without volume_id (checked per type)', TOML, '[customizations.iso]\npublisher = "ACME"\n'],
    ['sshd and ignition settings', JSON_FILE, JSON.stringify({ customizations: { sshd: { password_authentication: false, permit_root_login: 'prohibit-password', client_alive_interval: 300 }, ignition: { firstboot: { url: 'http://example.com/ign.json' } } } })],
    ['grub2 console settings', TOML, '[customizations.bootloader.grub2]\nterminal_input = ["serial", "console"]\nterminal_output = ["serial"]\nserial = "serial --speed=115200"\n'],
    ['the legacy JSON "blueprint" wrapper', JSON_FILE, JSON.stringify({ blueprint: { customizations: { user: [{ name: 'alice' }] } } })],
  ])('%s', (_name, file, content) => {
    expect(parseBuilderConfig(file, content)).toEqual({ config: expect.objectContaining({ file }), errors: [] });
  });

  test.each(['yes', 'no', 'prohibit-password', 'forced-commands-only'])('sshd permit_root_login = "%s"', (value) => {
    expect(parseBuilderConfig(TOML, `[customizations.sshd]\npermit_root_login = "${value}"\n`).errors).toEqual([]);
  });

  test.each([
    ['minsize', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n'],
    ['the deprecated TOML size', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nsize = "10 GiB"\n'],
    ['JSON minsize', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "/", "minsize": "10 GiB"}]}}'],
  ])('sizes come out in bytes: %s', (_name, file, content) => {
    expect(parsed(file, content).customizations.filesystem).toEqual([{ mountpoint: '/', minsize: 10 * 1024 ** 3 }]);
  });

  test('the config.toml the image generator writes is valid and fully applied by qcow2', () => {
    const template = readFileSync(join(__dirname, '../../generators/image/files/config.toml.template'), 'utf8').replace(/<%= name %>/g, 'kiosk').replace(/^<%[^=].*%>\n?/gm, '');
    expect(validateBuilderConfig(parsed(TOML, template), { types: ['qcow2'] })).toEqual({ errors: [], warnings: [] });
  });
});

describe('parseBuilderConfig: what the decoder refuses for every type, at its key path and line', () => {
  test.each([
    // [name, file, content, keyPath, message fragment, line]
    ['an unknown top-level key', TOML, 'minimal = true\n', 'minimal', 'is not a key bootc-image-builder accepts; allowed keys here: name, description, version, packages', 1],
    ['a customization at the top level', TOML, 'hostname = "kiosk"\n', 'hostname', 'at the top level (it is a customization: put it under [customizations], as customizations.hostname)', 1],
    ['the legacy wrapper in TOML', TOML, '[blueprint.customizations]\nfips = true\n', 'blueprint', 'works only in config.json', 1],
    ['an unknown customization', TOML, '[customizations.foo]\nbar = 1\n', 'customizations.foo', 'is not a key bootc-image-builder accepts; allowed keys here: hostname, kernel, sshkey', 1],
    ['a misspelt key of an ignored customization', TOML, '[customizations.timezone]\ntimezon = "UTC"\n', 'customizations.timezone.timezon', 'allowed keys here: timezone, ntpservers', 2],
    ['an ignored customization of the wrong type', TOML, '[customizations]\nhostname = 1\n', 'customizations.hostname', 'must be a string, got 1', 2],
    ['a top-level blueprint key of the wrong type', TOML, 'packages = "vim"\n', 'packages', 'must be an array, got "vim"', 1],
    ['installer.menu-timeout', TOML, '[customizations.installer]\nunattended = true\nmenu-timeout = 5\n', 'customizations.installer.menu-timeout', 'is not a key bootc-image-builder accepts (the boot menu timeout is customizations.installer.bootloader.grub2.menu-timeout, which bootc installer ISOs ignore)', 3],
    ['sshd.challenge_response_authentication', TOML, '[customizations.sshd]\nchallenge_response_authentication = false\n', 'customizations.sshd.challenge_response_authentication', 'is not a key bootc-image-builder accepts (blueprint calls it kbd_interactive_authentication)', 2],
    ['permit_root_login as a boolean', TOML, '[customizations.sshd]\npermit_root_login = true\n', 'customizations.sshd.permit_root_login', 'must be a string: "yes", "no", "prohibit-password", "forced-commands-only", got true', 2],
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
    ['a filesystem without a mountpoint', TOML, '[[customizations.filesystem]]\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', 'is required: the folder to size', 1],
    ['a size with an unknown unit', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GB2"\n', 'customizations.filesystem[0].minsize', 'must be a number of bytes or a string with a unit (kB, KiB, MB, MiB, GB, GiB, TB, TiB), e.g. "10 GiB", got "10 GB2"', 3],
    ['a lower-case unit', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "/", "minsize": "10 gib"}]}}', 'customizations.filesystem[0].minsize', 'got "10 gib"', 1],
    ['a zero size in TOML', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 0\n', 'customizations.filesystem[0].minsize', 'must be greater than 0', 3],
    ['TOML: neither minsize nor size', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\n', 'customizations.filesystem[0].minsize', 'is required', 1],
    ['TOML: size and minsize', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\nsize = "10 GiB"\n', 'customizations.filesystem[0].size', 'cannot be set together with minsize (size is the deprecated alias of minsize): remove size', 4],
    ['JSON: size is no alias of minsize', JSON_FILE, '{"customizations": {"filesystem": [\n{"mountpoint": "/", "size": "10 GiB"}]}}', 'customizations.filesystem[0].minsize', 'is required', 2],
    ['an unknown partition type', TOML, '[[customizations.disk.partitions]]\ntype = "zfs"\nminsize = 1\n', 'customizations.disk.partitions[0].type', 'must be "plain", "lvm", "btrfs" (default "plain"), got "zfs"', 2],
    ['a partition without minsize', JSON_FILE, '{"customizations": {"disk": {"partitions": [\n  {"mountpoint": "/var/data", "fs_type": "xfs"}\n]}}}', 'customizations.disk.partitions[0].minsize', 'is required: a number of bytes', 2],
    ['an unknown key in a plain partition', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = 1\nfstype = "xfs"\n', 'customizations.disk.partitions[0].fstype', 'is not a key bootc-image-builder accepts; allowed keys here: type, minsize, part_type, part_label, part_uuid, mountpoint, label, fs_type', 5],
    ['a btrfs volume with a mountpoint', TOML, '[[customizations.disk.partitions]]\ntype = "btrfs"\nminsize = 1\nmountpoint = "/"\nsubvolumes = [{ name = "root", mountpoint = "/" }]\n', 'customizations.disk.partitions[0].mountpoint', 'allowed keys here: type, minsize, part_type, part_label, part_uuid, subvolumes', 4],
    ['an unknown key in a btrfs subvolume', JSON_FILE, '{"customizations": {"disk": {"partitions": [{"type": "btrfs", "minsize": 1, "subvolumes": [{"name": "root", "mountpoint": "/", "size": 1}]}]}}}', 'customizations.disk.partitions[0].subvolumes[0].size', 'allowed keys here: name, mountpoint', 1],
    ['a relative file path', TOML, '[[customizations.files]]\npath = "etc/motd"\n', 'customizations.files[0].path', 'must be an absolute path', 2],
    ['a folder path with a trailing slash', TOML, '[[customizations.directories]]\npath = "/etc/app/"\n', 'customizations.directories[0].path', 'must be a canonical path', 2],
    ['a file with data and uri, data not shown', TOML, '[[customizations.files]]\npath = "/etc/motd"\ndata = "12345678"\nuri = "file:///srv/motd"\n', 'customizations.files[0].uri', 'cannot be set together with data: bootc-image-builder refuses a file with both ("cannot specify both data and URI"): keep one', 4],
    ['a file from an http uri', TOML, '[[customizations.files]]\npath = "/etc/motd"\nuri = "https://example.com/motd"\n', 'customizations.files[0].uri', 'must be a local path or a file:// URI', 3],
    ['a mode without quotes', TOML, '[[customizations.files]]\npath = "/etc/app.conf"\nmode = 644\n', 'customizations.files[0].mode', 'must be an octal mode in quotes such as "0644", got 644', 3],
    ['a mode that is not octal', TOML, '[[customizations.directories]]\npath = "/etc/app"\nmode = "0789"\n', 'customizations.directories[0].mode', 'must be an octal mode such as "0644" or "755", got "0789"', 3],
    ['a negative owner id', JSON_FILE, '{"customizations": {"files": [{"path": "/etc/a", "user": -1}]}}', 'customizations.files[0].user', 'must be a non-negative integer, got -1', 1],
    ['an owner of the wrong type', TOML, '[[customizations.files]]\npath = "/etc/a"\ngroup = true\n', 'customizations.files[0].group', 'must be a group name (e.g. "root") or a non-negative GID, got true', 3],
    ['kickstart contents that are no string, not echoed', TOML, '[customizations.installer.kickstart]\ncontents = 12345678\n', 'customizations.installer.kickstart.contents', 'must be a string (the kickstart; the value is not shown)', 2],
    ['an unknown ISO key', TOML, '[customizations.iso]\nlabel = "x"\n', 'customizations.iso.label', 'allowed keys here: application_id, publisher, volume_id', 2],
    ['fips as a string', JSON_FILE, '{"customizations": {"fips": "yes"}}', 'customizations.fips', 'must be true or false, got "yes"', 1],
    ['a customizations value that is no table', TOML, 'customizations = []\n', 'customizations', 'must be a table (JSON object), got an array', 1],
    ['legacy wrapper problems name the wrapper', JSON_FILE, '{"blueprint": {"customizations": {"user": [{"name": 1}]}}}', 'blueprint.customizations.user[0].name', 'must be a string', 1],
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
    const { errors } = parseBuilderConfig(TOML, '[[customizations.user]]\nname = "a"\nuid = "x"\n\n[customizations]\nhostnme = "kiosk"\n');
    expect(errors.map((e) => [e.line, e.keyPath])).toEqual([
      [3, 'customizations.user[0].uid'],
      [6, 'customizations.hostnme'],
    ]);
  });

  test('a JSON root that is not an object names the file', () => {
    expect(parseBuilderConfig(JSON_FILE, '[]').errors).toEqual([
      { file: JSON_FILE, keyPath: '', line: undefined, message: `${JSON_FILE} must be a table (JSON object), got an array`, kind: 'invalid' },
    ]);
  });
});

describe('parseBuilderConfig: keys the decoder accepts but ignores or deprecates, for every type', () => {
  test.each([
    // [name, file, content, keyPath, message fragment, line]
    ['an unknown key in a filesystem entry', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\nminsise = 2\n', 'customizations.filesystem[0].minsise', 'is not a key of this table, so bootc-image-builder silently ignores it (a typo?); allowed keys here: mountpoint, minsize, size', 4],
    ['JSON: size next to minsize', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "/", "minsize": 1, "size": 2}]}}', 'customizations.filesystem[0].size', 'silently ignores it (in config.json, size is no alias of minsize: write minsize)', 1],
    ['TOML: the deprecated size', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nsize = "10 GiB"\n', 'customizations.filesystem[0].size', 'is the deprecated alias of minsize: bootc-image-builder still reads it in config.toml, but rename it to minsize', 3],
    ['an unknown key of the disk', TOML, '[customizations.disk]\nminsize = "20 GiB"\nsectorsize = 4096\n', 'customizations.disk.sectorsize', 'silently ignores it (a typo?); allowed keys here: type, minsize, start_offset, sector_size, partitions', 3],
    ['an unknown key in a logical volume', TOML, '[[customizations.disk.partitions]]\ntype = "lvm"\nminsize = "10 GiB"\n[[customizations.disk.partitions.logical_volumes]]\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = "1 GiB"\nsize = 1\n', 'customizations.disk.partitions[0].logical_volumes[0].size', 'silently ignores it', 8],
    ['ensure_parents on a file', TOML, '[[customizations.files]]\npath = "/etc/app/motd"\ndata = "hi"\nensure_parents = true\n', 'customizations.files[0].ensure_parents', 'silently ignores it (ensure_parents is a key of customizations.directories only)', 4],
    ['an unknown key of a folder', JSON_FILE, '{"customizations": {"directories": [{"path": "/etc/app", "owner": "root"}]}}', 'customizations.directories[0].owner', 'silently ignores it (a typo?)', 1],
    ['an unknown key of a firstboot script', TOML, '[[customizations.firstboot.scripts]]\ntype = "custom"\ncontens = "echo hi"\n', 'customizations.firstboot.scripts[0].contens', 'silently ignores it', 3],
  ])('%s: a warning', (_name, file, content, keyPath, fragment, line) => {
    const { warnings } = validated(file, content, ['qcow2']);
    expect(warnings).toContainEqual({ file, keyPath, line, message: expect.stringContaining(fragment), kind: 'ignored' });
    expect(warnings.find((w) => w.keyPath === keyPath)!.message.startsWith(`${keyPath} `)).toBe(true);
  });

  test('an ignored key is dropped from what the builder applies', () => {
    const config = parsed(TOML, '[[customizations.files]]\npath = "/etc/motd"\ndata = "hi"\nensure_parents = true\n');
    expect(config.customizations.files).toEqual([{ path: '/etc/motd', data: 'hi' }]);
  });

  test('ignored keys wait while the file has errors', () => {
    expect(parseBuilderConfig(TOML, '[[customizations.files]]\npath = "/etc/motd"\nensure_parents = true\n[[customizations.user]]\n').errors).toEqual([
      expect.objectContaining({ keyPath: 'customizations.user[0].name', kind: 'invalid' }),
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


describe('validateBuilderConfig: rules the builder runs only for some types', () => {
  const ISO_TYPES: ImageType[] = ['anaconda-iso', 'iso', 'bootc-installer'];
  const PARTITIONED: ImageType[] = ['qcow2', 'raw', 'ami', 'vmdk', 'vhd', 'gce', 'ova', 'pxe-tar-xz'];
  test.each([
    // [name, file, content, keyPath, message fragment, line, types that refuse it]
    ['kickstart contents and users', TOML, '[[customizations.user]]\nname = "a"\n[customizations.installer.kickstart]\ncontents = "text"\n', 'customizations.installer.kickstart.contents', 'cannot be combined with customizations.user or customizations.group', 4, ISO_TYPES],
    ['an empty kickstart and groups', TOML, '[[customizations.group]]\nname = "ops"\n[customizations.installer.kickstart]\n', 'customizations.installer.kickstart', 'cannot be combined with customizations.user or customizations.group (set: customizations.group)', 3, ISO_TYPES],
    ['a kickstart and sshkey (merged into the users)', TOML, '[[customizations.sshkey]]\nuser = "a"\nkey = "k"\n[customizations.installer.kickstart]\ncontents = "text"\n', 'customizations.installer.kickstart.contents', '(set: customizations.sshkey)', 5, ISO_TYPES],
    ['kickstart contents and unattended', TOML, '[customizations.installer]\nunattended = true\n[customizations.installer.kickstart]\ncontents = "text"\n', 'customizations.installer.unattended', 'is not supported together with customizations.installer.kickstart', 2, ISO_TYPES],
    ['an empty kickstart and unattended', TOML, '[customizations.installer]\nunattended = true\n[customizations.installer.kickstart]\ncontents = ""\n', 'customizations.installer.unattended', 'is not supported together with customizations.installer.kickstart (even with empty contents)', 2, ISO_TYPES],
    ['kickstart contents and sudo-nopasswd', JSON_FILE, '{"customizations": {"installer": {\n"sudo-nopasswd": ["%wheel"],\n"kickstart": {"contents": "text"}}}}', 'customizations.installer.sudo-nopasswd', 'is not supported together with customizations.installer.kickstart', 2, ISO_TYPES],
    ['the Users module disabled with users', TOML, '[[customizations.group]]\nname = "ops"\n[customizations.installer.modules]\ndisable = ["org.fedoraproject.Anaconda.Modules.Users"]\n', 'customizations.installer.modules.disable', 'cannot disable org.fedoraproject.Anaconda.Modules.Users', 4, ISO_TYPES],
    ['root with a uid', TOML, '[[customizations.user]]\nname = "root"\nkey = "ssh-ed25519 AAAA"\nuid = 0\n', 'customizations.user[0].uid', 'cannot be set for the user "root" in an installer kickstart', 4, ISO_TYPES],
    ['an ISO table without volume_id', TOML, '[customizations.iso]\npublisher = "ACME"\n', 'customizations.iso.volume_id', 'is required when customizations.iso is set: bootc-image-builder checks it even when it is missing', 1, ['anaconda-iso', 'iso', 'pxe-tar-xz']],
    ['an ISO volume id with a space', TOML, '[customizations.iso]\nvolume_id = "My Kiosk"\n', 'customizations.iso.volume_id', 'must use only letters, digits, "_" and "-", got "My Kiosk"', 2, ['anaconda-iso', 'iso', 'pxe-tar-xz']],
    ['/var/home as a filesystem', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n\n[[customizations.filesystem]]\nmountpoint = "/var/home"\nminsize = "5 GiB"\n', 'customizations.filesystem[1].mountpoint', '"/var/home" cannot be a separate filesystem: bootc keeps /var/home in /var; allowed: "/", "/boot" or a folder under /var other than', 6, PARTITIONED],
    ['a folder below a denied /var folder', TOML, '[[customizations.filesystem]]\nmountpoint = "/var/run/x"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', 'bootc keeps /var/run in /var', 2, PARTITIONED],
    ['/var itself', TOML, '[[customizations.filesystem]]\nmountpoint = "/var"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', '"/var" cannot be a separate filesystem: bootc manages /var itself', 2, PARTITIONED],
    ['/opt', TOML, '[[customizations.filesystem]]\nmountpoint = "/opt"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', '"/opt" cannot be a separate filesystem in a bootc image', 2, PARTITIONED],
    ['a relative mountpoint', JSON_FILE, '{"customizations": {"filesystem": [{"mountpoint": "var/data", "minsize": 1}]}}', 'customizations.filesystem[0].mountpoint', 'must be an absolute path', 1, PARTITIONED],
    ['a trailing slash', TOML, '[[customizations.filesystem]]\nmountpoint = "/var/data/"\nminsize = 1\n', 'customizations.filesystem[0].mountpoint', 'must be a canonical path (no "//", ".", ".." or trailing "/"): write "/var/data"', 2, PARTITIONED],
    ['filesystem and disk together', TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\n\n[customizations.disk]\nminsize = "20 GiB"\n', 'customizations.disk', 'cannot be combined with customizations.filesystem', 5, PARTITIONED],
    ['an unknown partition table type', TOML, '[customizations.disk]\ntype = "mbr"\n', 'customizations.disk.type', 'must be "gpt" or "dos", got "mbr"', 2, PARTITIONED],
    ['a sector size that is no power of 2', TOML, '[customizations.disk]\nsector_size = 1000\n', 'customizations.disk.sector_size', 'must be a power of 2 such as 512 or 4096, got 1000', 2, PARTITIONED],
    ['a plain partition without fs_type', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/data"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].fs_type', 'is required: one of "ext4", "xfs", "vfat", "swap", "none"', 1, PARTITIONED],
    ['an unknown fs_type', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "zfs"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].fs_type', 'must be one of "ext4", "xfs", "vfat", "swap", "none", got "zfs"', 3, PARTITIONED],
    ['a btrfs volume without subvolumes', TOML, '[[customizations.disk.partitions]]\ntype = "btrfs"\nminsize = 1\nsubvolumes = []\n', 'customizations.disk.partitions[0].subvolumes', 'must list at least 1 subvolume', 4, PARTITIONED],
    ['/boot on LVM', TOML, '[[customizations.disk.partitions]]\ntype = "lvm"\nminsize = "10 GiB"\n\n[[customizations.disk.partitions.logical_volumes]]\nmountpoint = "/boot"\nfs_type = "xfs"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].logical_volumes[0].mountpoint', '"/boot" cannot be on LVM: put it on a plain partition', 6, PARTITIONED],
    ['/boot as vfat', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/boot"\nfs_type = "vfat"\nminsize = "1 GiB"\n', 'customizations.disk.partitions[0].fs_type', 'must be "xfs" or "ext4" for /boot, got "vfat"', 3, PARTITIONED],
    ['lvm and btrfs together', JSON_FILE, JSON.stringify({ customizations: { disk: { partitions: [{ type: 'lvm', minsize: 1, logical_volumes: [{ mountpoint: '/', fs_type: 'xfs', minsize: 1 }] }, { type: 'btrfs', minsize: 1, subvolumes: [{ name: 'd', mountpoint: '/var/d' }] }] } } }), 'customizations.disk.partitions', 'mixes lvm and btrfs partitions', 1, PARTITIONED],
    ['a mountpoint twice across partitions', TOML, '[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = 1\n[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "ext4"\nminsize = 1\n', 'customizations.disk.partitions[1].mountpoint', '"/var/data" is mounted twice', 6, PARTITIONED],
    ['a part_type that is no GUID on gpt', TOML, '[customizations.disk]\ntype = "gpt"\n[[customizations.disk.partitions]]\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = 1\npart_type = "83"\n', 'customizations.disk.partitions[0].part_type', 'must be a GUID, got "83"', 7, PARTITIONED],
    ['five partitions on dos', JSON_FILE, JSON.stringify({ customizations: { disk: { type: 'dos', partitions: [1, 2, 3, 4, 5].map((n) => ({ mountpoint: `/var/d${n}`, fs_type: 'xfs', minsize: 1 })) } } }), 'customizations.disk.partitions', 'a "dos" partition table holds at most 4', 1, PARTITIONED],
    ['a file outside the allowed folders', TOML, '[[customizations.files]]\npath = "/usr/bin/tool"\ndata = "x"\n', 'customizations.files[0].path', 'is outside the folders customizations.files may write: allowed under /etc, /root, /usr/local/bin, /usr/local/sbin', 2, PARTITIONED],
    ['/etc/passwd as a file', TOML, '[[customizations.files]]\npath = "/etc/passwd"\ndata = "x"\n', 'customizations.files[0].path', '"/etc/passwd" cannot be written by customizations.files: /etc/passwd is managed by the builder', 2, PARTITIONED],
    ['a folder outside /etc', TOML, '[[customizations.directories]]\npath = "/var/lib/app"\n', 'customizations.directories[0].path', 'allowed under /etc; create other folders in the Containerfile, or with systemd tmpfiles.d for /var', 2, PARTITIONED],
    ['a path used twice', TOML, '[[customizations.directories]]\npath = "/etc/app"\n[[customizations.files]]\npath = "/etc/app"\n', 'customizations.files[0].path', 'is also created by customizations.directories[0]', 4, PARTITIONED],
    ['a folder inside a file', TOML, '[[customizations.files]]\npath = "/etc/app"\n[[customizations.directories]]\npath = "/etc/app/conf.d"\n', 'customizations.directories[0].path', '"/etc/app/conf.d" is inside "/etc/app", which customizations.files creates as a file', 4, PARTITIONED],
    ['ignition url and empty', TOML, '[customizations.ignition.firstboot]\nurl = "http://x/y.ign"\nempty = true\n', 'customizations.ignition.firstboot', 'cannot set both url and empty = true', 1, ['qcow2', 'raw', 'ami', 'vmdk', 'vhd', 'gce', 'ova']],
    ['a group name twice', TOML, '[[customizations.group]]\nname = "ops"\n[[customizations.group]]\nname = "ops"\n', 'customizations.group[1].name', '"ops" is already defined by customizations.group[0]: group names must be unique', 4, IMAGE_TYPE_NAMES],
    ['a GID twice', TOML, '[[customizations.group]]\nname = "a"\ngid = 2000\n[[customizations.group]]\nname = "b"\ngid = 2000\n', 'customizations.group[1].gid', '2000 is already the GID of customizations.group[0]', 6, IMAGE_TYPE_NAMES],
    ['legacy wrapper problems name the wrapper', JSON_FILE, '{"blueprint": {"customizations": {"iso": {"volume_id": "a b"}}}}', 'blueprint.customizations.iso.volume_id', 'must use only letters', 1, ['anaconda-iso', 'iso', 'pxe-tar-xz']],
  ] as Array<[string, string, string, string, string, number, readonly ImageType[]]>)('%s', (_name, file, content, keyPath, fragment, line, refusing) => {
    const config = parsed(file, content);
    for (const type of IMAGE_TYPE_NAMES) {
      const { errors } = validateBuilderConfig(config, { types: [type] });
      if (refusing.includes(type)) {
        expect(errors).toContainEqual({ file, keyPath, line, message: expect.stringContaining(fragment), kind: 'invalid' });
        expect(errors.find((e) => e.keyPath === keyPath)!.message.startsWith(`${keyPath} `)).toBe(true);
      } else {
        expect([type, errors]).toEqual([type, []]);
      }
    }
  });

  test('kickstart with a user: an error for anaconda-iso, none for qcow2 alone', () => {
    const config = parsed(TOML, '[[customizations.user]]\nname = "admin"\n\n[customizations.installer.kickstart]\ncontents = "text --non-interactive"\n');
    expect(validateBuilderConfig(config, { types: ['qcow2'] }).errors).toEqual([]);
    expect(validateBuilderConfig(config, { types: ['anaconda-iso'] }).errors.map((e) => `${e.line} ${e.keyPath}`)).toEqual(['5 customizations.installer.kickstart.contents']);
  });

  test('customizations.iso without volume_id: an error for anaconda-iso, none for qcow2', () => {
    const config = parsed(TOML, '[customizations.iso]\napplication_id = "kiosk"\n');
    expect(validateBuilderConfig(config, { types: ['qcow2'] }).errors).toEqual([]);
    expect(validateBuilderConfig(config, { types: ['anaconda-iso'] }).errors.map((e) => e.keyPath)).toEqual(['customizations.iso.volume_id']);
  });

  test('with several types, the error names those of them the builder refuses it for', () => {
    const config = parsed(TOML, '[[customizations.user]]\nname = "a"\n[customizations.installer.kickstart]\ncontents = "text"\n[customizations.iso]\npublisher = "x"\n');
    expect(validateBuilderConfig(config, { types: ['iso', 'anaconda-iso', 'qcow2'] }).errors.map((e) => e.message.replace(/^.*\(bootc-image-builder/, '(bootc-image-builder'))).toEqual([
      '(bootc-image-builder refuses this for iso and anaconda-iso)',
      '(bootc-image-builder refuses this for iso and anaconda-iso)',
    ]);
  });

  test.each([
    ['/etc', 'directories'],
    ['/etc', 'files'],
    ['/root', 'files'],
  ])('the policy allows %s itself for %s', (path, key) => {
    expect(validated(TOML, `[[customizations.${key}]]\npath = "${path}"\n`, ['qcow2']).errors).toEqual([]);
  });

  test.each([
    ['btrfs', '/var/data', '"/var/data" cannot be a separate filesystem with a btrfs root filesystem'],
    ['btrfs', '/var/home', '"/var/home" cannot be a separate filesystem with a btrfs root filesystem'],
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
    // An ISO partitions no disk, so it runs no mountpoint policy.
    expect(validateBuilderConfig(config, { types: ['anaconda-iso'], rootfs }).errors).toEqual([]);
  });

  test('every rule names the upstream source it mirrors and the types it runs for', () => {
    for (const rule of CONFIG_RULES) {
      expect([rule.id, rule.source]).toEqual([rule.id, expect.stringMatching(/(@[0-9a-f]{7,}|@v\d+\.\d+\.\d+|image-types\.ts|none upstream).* \S+:\d+/)]);
      expect(rule.types.length).toBeGreaterThan(0);
    }
    expect(new Set(CONFIG_RULES.map((rule) => rule.id)).size).toBe(CONFIG_RULES.length);
  });
});

describe('validateBuilderConfig: what the builder accepts but ignores or warns about', () => {
  test('name, description and version at the top level: no problem at all', () => {
    expect(validated(TOML, 'name = "kiosk"\ndescription = "A kiosk"\nversion = "1.0.0"\n', ['qcow2'])).toEqual({ errors: [], warnings: [] });
  });

  test.each([
    ['qcow2', '(bootc-image-builder warns "customizations.hostname: not supported")'],
    ['anaconda-iso', '(bootc-image-builder accepts it without a warning)'],
  ] as const)('hostname under [customizations] with %s: a warning, not an error', (type, said) => {
    expect(validated(TOML, '[customizations]\nhostname = "x"\n', [type])).toEqual({
      errors: [],
      warnings: [{ file: TOML, keyPath: 'customizations.hostname', line: 2, message: `customizations.hostname is ignored by ${type} ${said}: write it to /etc/hostname in the Containerfile instead (e.g. rootfs/etc/hostname)`, kind: 'ignored' }],
    });
  });

  test.each([
    ['packages', '[[packages]]\nname = "vim"\n', 1],
    ['modules', 'modules = [{ name = "vim" }]\n', 1],
    ['enabled_modules', '[[enabled_modules]]\nname = "nodejs"\nstream = "20"\n', 1],
    ['groups', '[[groups]]\nname = "core"\n', 1],
    ['containers', '[[containers]]\nsource = "quay.io/x/y:1"\n', 1],
    ['distro', 'distro = "fedora-42"\n', 1],
    ['architecture', 'architecture = "x86_64"\n', 1],
  ])('the top-level %s: a warning that the builder ignores it', (key, content, line) => {
    expect(validated(TOML, content, ['qcow2'])).toEqual({
      errors: [],
      warnings: [{ file: TOML, keyPath: key, line, message: expect.stringMatching(new RegExp(`^${key} is ignored by qcow2 \\(bootc-image-builder warns "${key}: not supported"\\): `)), kind: 'ignored' }],
    });
  });

  test('an empty list or an empty plain string counts as unset, as in the builder', () => {
    expect(validated(TOML, 'packages = []\ndistro = ""\n[customizations]\nuser = []\ninstallation_device = ""\n', ['qcow2'])).toEqual({ errors: [], warnings: [] });
  });

  test.each([
    ['hostname', '[customizations]\nhostname = ""\n'],
    ['sshkey', '[[customizations.sshkey]]\nuser = "a"\nkey = "ssh-ed25519 AAAA"\n'],
    ['timezone', '[customizations.timezone]\ntimezone = "UTC"\n'],
    ['locale', '[customizations.locale]\nkeyboard = "us"\n'],
    ['firewall', '[customizations.firewall]\nports = ["22:tcp"]\n'],
    ['services', '[customizations.services]\nenabled = ["sshd"]\n'],
    ['installation_device', '[customizations]\ninstallation_device = "/dev/vda"\n'],
    ['partitioning_mode', '[customizations]\npartitioning_mode = "lvm"\n'],
    ['fdo', '[customizations.fdo]\nmanufacturing_server_url = "http://fdo"\n'],
    ['openscap', '[customizations.openscap]\nprofile_id = "cis"\n'],
    ['repositories', '[[customizations.repositories]]\nid = "x"\n'],
    ['rpm', '[customizations.rpm.import_keys]\nfiles = ["/etc/pki/rpm-gpg/x"]\n'],
    ['rhsm', '[customizations.rhsm.config.dnf_plugins.product_id]\nenabled = true\n'],
    ['cacerts', '[customizations.cacerts]\npem_certs = ["x"]\n'],
    ['containers-storage', '[customizations.containers-storage]\ndestination-path = "/var/x"\n'],
    ['firstboot', '[[customizations.firstboot.scripts]]\ntype = "custom"\ncontents = "echo hi"\n'],
    ['dnf', '[customizations.dnf.config]\nset_releasever = true\n'],
  ])('customizations.%s: a warning, on every type', (key, content) => {
    for (const type of IMAGE_TYPE_NAMES) {
      const { errors, warnings } = validated(TOML, content, [type]);
      expect(errors).toEqual([]);
      expect(warnings).toEqual([expect.objectContaining({ keyPath: `customizations.${key}`, kind: 'ignored', message: expect.stringMatching(new RegExp(`^customizations\\.${key} `)) })]);
    }
  });

  test('sshkey: the deprecated spelling of a user key, which the builder still applies', () => {
    expect(validated(TOML, '[[customizations.sshkey]]\nuser = "a"\nkey = "ssh-ed25519 AAAA"\n', ['qcow2', 'iso']).warnings.map((w) => w.message)).toEqual([
      'customizations.sshkey is the deprecated spelling of customizations.user[].key; bootc-image-builder adds the keys, but warns "customizations.sshkey: not supported" for qcow2: move each key to customizations.user (name and key)',
    ]);
  });

  test('installer.bootloader.grub2.menu-timeout: accepted, and ignored even by the installer ISOs', () => {
    const content = '[customizations.installer]\nunattended = true\n[customizations.installer.bootloader.grub2]\nmenu-timeout = 5\n';
    expect(validated(TOML, content, ['anaconda-iso', 'bootc-installer'])).toEqual({
      errors: [],
      warnings: [expect.objectContaining({ keyPath: 'customizations.installer.bootloader', line: 3, message: expect.stringMatching(/^customizations\.installer\.bootloader is ignored by anaconda-iso and bootc-installer \(bootc-image-builder accepts it without a warning\): bootc installer ISOs never read it/) })],
    });
    // For a disk the whole installer table is ignored, in one warning.
    expect(validated(TOML, content, ['qcow2']).warnings.map((w) => w.keyPath)).toEqual(['customizations.installer']);
  });

  test.each([
    ['"yes"', []],
    ['"without-password"', ['customizations.sshd.permit_root_login is "without-password", which sshd does not take: use "yes", "no", "prohibit-password", "forced-commands-only" (bootc-image-builder accepts any string here)']],
  ])('sshd permit_root_login = %s', (value, extra) => {
    const { errors, warnings } = validated(TOML, `[customizations.sshd]\npermit_root_login = ${value}\n`, ['qcow2']);
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^customizations\.sshd is ignored by qcow2 \(bootc-image-builder accepts it without a warning\)/), ...extra]);
  });

  test('a mountpoint listed twice: a warning (the builder does not check it)', () => {
    const { errors, warnings } = validated(TOML, '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 1\n[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 2\n', ['qcow2']);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ keyPath: 'customizations.filesystem[1].mountpoint', line: 5, message: expect.stringContaining('is already sized by customizations.filesystem[0]'), kind: 'ignored' })]);
  });

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
      '5 customizations.kernel.name is ignored by qcow2 and ami (bootc-image-builder warns "customizations.kernel.name: not supported"): the kernel comes from the container image: install another kernel in the Containerfile instead',
      '16 customizations.installer is ignored by qcow2 and ami (bootc-image-builder warns "customizations.installer: not supported"): only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types',
      '20 customizations.iso.volume_id is ignored by qcow2 and ami (bootc-image-builder warns "customizations.iso: not supported"): only anaconda-iso and iso use it: remove it, or build one of those types',
      '22 customizations.sshd is ignored by qcow2 and ami (bootc-image-builder accepts it without a warning): configure sshd in the image instead, e.g. a drop-in rootfs/etc/ssh/sshd_config.d/50-<name>.conf',
      '26 customizations.fips is ignored by qcow2 and ami (bootc-image-builder warns "customizations.fips: not supported"): only bootc-installer, anaconda-iso and iso use it: remove it, or build one of those types',
    ]);
  });

  test('an ISO type warns about the filesystem and files it ignores, without a word from the builder', () => {
    expect(warned(['anaconda-iso'])).toEqual([
      '5 customizations.kernel.name is ignored by anaconda-iso (bootc-image-builder accepts it without a warning): the kernel comes from the container image: install another kernel in the Containerfile instead',
      '8 customizations.filesystem is ignored by anaconda-iso (bootc-image-builder accepts it without a warning): only qcow2, raw, ami, vmdk, vhd, gce, ova and pxe-tar-xz use it: remove it, or build one of those types',
      '12 customizations.files is ignored by anaconda-iso (bootc-image-builder accepts it without a warning): only qcow2, raw, ami, vmdk, vhd, gce, ova and pxe-tar-xz use it: remove it, or build one of those types',
      '22 customizations.sshd is ignored by anaconda-iso (bootc-image-builder accepts it without a warning): configure sshd in the image instead, e.g. a drop-in rootfs/etc/ssh/sshd_config.d/50-<name>.conf',
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
    expect(warnings.find((w) => w.keyPath === 'customizations.sshd')?.message).toMatch(/^customizations\.sshd is ignored by vmdk and iso \(bootc-image-builder accepts it without a warning\): /);
    expect(warnings.find((w) => w.keyPath === 'customizations.kernel.name')?.message).toMatch(
      /^customizations\.kernel\.name is ignored by vmdk and iso \(bootc-image-builder warns "customizations\.kernel\.name: not supported" for vmdk and says nothing for iso\): /,
    );
  });

  test('no types means the builder default, qcow2', () => {
    expect(validateBuilderConfig(everything, { types: [] })).toEqual(validateBuilderConfig(everything, { types: ['qcow2'] }));
  });

  test('a config the types fully apply has no warnings', () => {
    const config = parsed(JSON_FILE, JSON.stringify({ customizations: { user: [{ name: 'a' }], kernel: { append: 'quiet' }, installer: { unattended: true } } }));
    expect(validateBuilderConfig(config, { types: ['anaconda-iso', 'bootc-installer'] })).toEqual({ errors: [], warnings: [] });
  });

  test('key paths of a legacy JSON config keep the wrapper', () => {
    const config = parsed(JSON_FILE, '{"blueprint": {\n  "customizations": {\n    "fips": true\n  }\n}}');
    expect(validateBuilderConfig(config, { types: ['qcow2'] }).warnings).toEqual([
      expect.objectContaining({ keyPath: 'blueprint.customizations.fips', line: 3, kind: 'ignored', message: expect.stringContaining('(bootc-image-builder warns "customizations.fips: not supported")') }),
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
