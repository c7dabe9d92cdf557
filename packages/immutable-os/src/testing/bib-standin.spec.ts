import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  dirImageRoot,
  encodeBoltRuntimeConfig,
  encodeSqliteConfigRow,
  hostFs,
  run,
  sysIsReadOnly,
  type BuilderEnv,
} from '../../../../tools/fixtures/bib-standin/bib.js';

// The builder stand-in's rules (tools/fixtures/bib-standin), one row per rule: the condition,
// then the exit code, the builder's message and the files it writes under /output. Each rule
// also has a row where it does not fire. The rules' sources are in bib-standin/README.md.

const REF = 'localhost/edge:latest';
const ID = 'e'.repeat(64);
const INSTALLER = 'quay.io/example/installer:44';
const INSTALLER_ID = 'a'.repeat(64);
const PLAIN = 'localhost/plain:latest';
const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const TS = '2026/01/02 03:04:05 ';
const STORE = '/var/lib/containers/storage';
const MOUNT = (id: string) => `${STORE}/overlay/${id}/merged`;

const FEDORA: Record<string, string | null> = {
  'usr/lib/os-release': 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=42\n',
  'usr/bin/bootc': '#!/bin/sh\n',
  'usr/bin/dnf': '#!/bin/sh\n',
  'usr/lib/modules/6.12.0/vmlinuz': 'kernel\n',
  'usr/lib/dracut/modules.d/90ostree/module-setup.sh': '',
  'usr/lib/dracut/modules.d/90dmsquash-live/module-setup.sh': '',
  'usr/lib/dracut/modules.d/90livenet/module-setup.sh': '',
  'usr/lib/bootc/install/80-rootfs.toml': '[install.filesystem.root]\ntype = "xfs"\n',
};

interface Image {
  id: string;
  labels?: Record<string, string>;
  files?: Record<string, string | null>;
}

interface Setup {
  /** Container path -> content: /config.toml, /config.json and any other file the builder reads. */
  files: Record<string, string>;
  images: Record<string, Image>;
  privileged: boolean;
  /** /run/.containerenv; null: none (not in a container). */
  containerenv: string | null;
  storageMounted: boolean;
  overlay: boolean;
  database?: { kind: 'bolt' | 'sqlite'; staticDir: string };
  /** The chown probe in /output fails (the output folder does not keep owners). */
  chownFails: boolean;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** The files under /output, sorted. */
  files: string[];
  read(file: string): string;
  owner(file: string): string;
  sleeps: number[];
}

const DEFAULT_SETUP: Setup = {
  files: {},
  images: {
    [REF]: { id: ID, labels: { 'containers.bootc': '1', 'ostree.bootable': '1' } },
    [INSTALLER]: { id: INSTALLER_ID, labels: { 'containers.bootc': '1' } },
    [PLAIN]: { id: 'c'.repeat(64), labels: { 'org.opencontainers.image.title': 'plain' } },
  },
  privileged: true,
  containerenv: 'engine="podman-5.6.0"\nrootless=0\ngraphRootMounted=1\n',
  storageMounted: true,
  overlay: true,
  chownFails: false,
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)).map((f) => join(e.name, f)) : [e.name]))
    .sort();
}

/** Runs the rules as `program argv` in a container whose files live in a temporary folder. */
function runRules(program: string, argv: string[], patch: Partial<Setup> = {}): Outcome {
  const setup: Setup = { ...DEFAULT_SETUP, ...patch, images: { ...DEFAULT_SETUP.images, ...patch.images } };
  const root = mkdtempSync(join(tmpdir(), 'bib-standin-spec-'));
  dirs.push(root);
  const write = (path: string, content: string | Buffer, mode = 0o644) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    chmodSync(path, mode);
  };
  mkdirSync(join(root, 'output'));
  const store = join(root, setup.storageMounted ? 'store' : 'image-volume');
  mkdirSync(store, { recursive: true });
  if (setup.overlay) mkdirSync(join(store, 'overlay'));
  if (setup.database?.kind === 'bolt') write(join(store, 'libpod/bolt_state.db'), encodeBoltRuntimeConfig({ staticDir: setup.database.staticDir }));
  if (setup.database?.kind === 'sqlite') write(join(store, 'db.sql'), encodeSqliteConfigRow({ staticDir: setup.database.staticDir }));
  if (setup.containerenv !== null) write(join(root, 'run/.containerenv'), setup.containerenv);
  for (const [path, content] of Object.entries(setup.files)) write(join(root, path), content);
  const files = hostFs({ root, mounts: { [STORE]: store } });

  const byRef = (ref: string) => setup.images[ref] ?? Object.values(setup.images).find((i) => i.id === ref);
  let stdout = '';
  let stderr = '';
  const sleeps: number[] = [];
  const env: BuilderEnv = {
    ...files,
    chown: (path, uid, gid) => {
      if (setup.chownFails && path.includes('.writecheck')) throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
      files.chown(path, uid, gid);
    },
    cwd: '/output',
    goarch: 'amd64',
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    sysReadOnly: () => !setup.privileged,
    podman: (args) => {
      const image = byRef(args[2]);
      if (args[0] !== 'image' || args[1] !== 'inspect') throw new Error(`unexpected podman ${args.join(' ')}`);
      if (!image) return { status: 125, stdout: '', stderr: `Error: ${args[2]}: image not known\n` };
      const labels = image.labels ?? {};
      const fields: Record<string, string> = {
        '{{.Labels}}': `map[${Object.keys(labels).sort().map((k) => `${k}:${labels[k]}`).join(' ')}]`,
        '{{.Id}}': image.id,
        '{{.Architecture}}': 'amd64',
        '{{.Size}}': '1000000',
      };
      return { status: 0, stdout: `${args[4].replace(/\{\{\.\w+\}\}/g, (f) => fields[f])}\n`, stderr: '' };
    },
    mountImage: (ref) => {
      const image = byRef(ref) as Image;
      const tree = join(root, 'images', image.id);
      for (const [rel, content] of Object.entries({ ...FEDORA, ...image.files })) if (content !== null) write(join(tree, rel), content, 0o755);
      return dirImageRoot(tree, MOUNT(image.id));
    },
    now: () => NOW,
    sleep: (ms) => void sleeps.push(ms),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  };
  const code = run(program, argv, env);
  const output = join(root, 'output');
  return {
    code,
    stdout,
    stderr,
    files: listFiles(output).filter((f) => !f.includes('.writecheck')),
    read: (file) => readFileSync(join(output, file), 'utf8'),
    owner: (file) => {
      const s = statSync(join(output, file));
      return `${s.uid}:${s.gid}`;
    },
    sleeps,
  };
}

const bib = (argv: string[], setup?: Partial<Setup>) => runRules('bootc-image-builder', argv, setup);
const ib = (argv: string[], setup?: Partial<Setup>) => runRules('image-builder', argv, setup);
const QCOW2 = ['manifest-qcow2.json', 'qcow2/disk.qcow2'];
const config = (text: string, name = '/config.toml') => ({ files: { [name]: text } });
const noRootFs = { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/bootc/install/80-rootfs.toml': null } } } };
const withRootFsFiles = (files: Record<string, string | null>) => ({ images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/bootc/install/80-rootfs.toml': null, ...files } } } });

interface Row {
  name: string;
  run: () => Outcome;
  code: number;
  /** The fatal message (bib: after the timestamp and `error: `). */
  error?: string;
  files?: string[];
  stderr?: string[];
  notStderr?: string[];
  stdout?: string[];
  /** The first line of a written file: [file, line]. */
  firstLine?: [string, string];
}

function check(row: Row, timestamped: boolean) {
  const out = row.run();
  const context = `stdout:\n${out.stdout}\nstderr:\n${out.stderr}`;
  expect({ code: out.code, context }).toEqual({ code: row.code, context });
  if (row.error !== undefined) expect(out.stderr.endsWith(`${timestamped ? TS : ''}error: ${row.error}\n`) ? row.error : out.stderr).toBe(row.error);
  if (row.code === 0) expect(out.stderr).not.toMatch(/error: /);
  if (row.files) expect(out.files).toEqual(row.files);
  for (const text of row.stderr ?? []) expect(out.stderr).toContain(text);
  for (const text of row.notStderr ?? []) expect(out.stderr).not.toContain(text);
  for (const text of row.stdout ?? []) expect(out.stdout).toContain(text);
  if (row.firstLine) expect(out.read(row.firstLine[0]).split('\n')[0]).toBe(row.firstLine[1]);
}

describe('bootc-image-builder stand-in: the command line (pflag/cobra)', () => {
  test.each<Row>([
    { name: 'build IMAGE', run: () => bib(['build', REF]), code: 0, files: QCOW2 },
    { name: 'no command: build is implied', run: () => bib([REF]), code: 0, files: QCOW2 },
    { name: 'flags before the image, no command: build is implied', run: () => bib(['--type', 'qcow2', '--rootfs', 'xfs', REF]), code: 0, files: QCOW2 },
    { name: 'no arguments at all', run: () => bib([]), code: 1, error: 'accepts 1 arg(s), received 0', files: [] },
    { name: 'a mistyped command becomes an argument of build', run: () => bib(['bulid', REF]), code: 1, error: 'accepts 1 arg(s), received 2' },
    { name: '--type=T', run: () => bib(['build', '--type=ova', REF]), code: 0, files: ['archive/image.ova', 'manifest-ova.json'] },
    { name: '--type T repeated replaces the default qcow2', run: () => bib(['build', '--type', 'raw', '--type', 'vmdk', REF]), code: 0, files: ['image/disk.raw', 'manifest-raw-vmdk.json', 'vmdk/disk.vmdk'] },
    { name: 'a comma is part of the type name', run: () => bib(['build', '--type', 'qcow2,raw', REF]), code: 1, error: 'cannot build manifest: cannot detect build types [qcow2,raw]: unsupported image type "qcow2,raw", valid types are ami, anaconda-iso, bootc-installer, gce, iso, ova, pxe-tar-xz, qcow2, raw, vhd, vmdk' },
    { name: 'a bare boolean', run: () => bib(['build', '--use-librepo', '--tls-verify', REF]), code: 0, files: QCOW2 },
    { name: '--flag=BOOL in strconv.ParseBool spellings', run: () => bib(['build', '--use-librepo=False', '--tls-verify=1', '--local=T', REF]), code: 0, stderr: ['WARNING: --local is now the default behavior, you can remove it from the command line\n'] },
    { name: 'a boolean and its value apart: the value is an argument', run: () => bib(['build', '--use-librepo', 'false', REF]), code: 1, error: 'accepts 1 arg(s), received 2' },
    { name: 'a boolean with a value ParseBool refuses', run: () => bib(['build', '--use-librepo=maybe', REF]), code: 1, error: 'invalid argument "maybe" for "--use-librepo" flag: strconv.ParseBool: parsing "maybe": invalid syntax' },
    { name: '-v and --verbose', run: () => bib(['build', '-v', '--verbose', REF]), code: 0, files: QCOW2 },
    { name: '-v=x names the flag with its shorthand', run: () => bib(['build', '-v=x', REF]), code: 1, error: 'invalid argument "x" for "-v, --verbose" flag: strconv.ParseBool: parsing "x": invalid syntax' },
    { name: 'an unknown shorthand in a group', run: () => bib(['build', '-vx', REF]), code: 1, error: "unknown shorthand flag: 'x' in -x" },
    {
      name: 'every real flag of build',
      run: () =>
        bib(
          ['build', '--chown', '0:0', '--output', '.', '--store', '/store', '--progress', 'verbose', '--rpmmd', '/rpmmd', '--target-arch', 'amd64', '--build-container', REF, '--installer-payload-ref', INSTALLER, '--rootfs', 'xfs', '--config', '/my.toml', '--seed', '0x2a', '--log-level', 'debug', REF],
          config('', '/my.toml'),
        ),
      code: 0,
      files: QCOW2,
    },
    { name: 'an unknown flag', run: () => bib(['build', '--foo', REF]), code: 1, error: 'unknown flag: --foo' },
    { name: "the README's --bootc-installer-payload-ref is image-builder's spelling", run: () => bib(['build', '--bootc-installer-payload-ref', INSTALLER, REF]), code: 1, error: 'unknown flag: --bootc-installer-payload-ref' },
    { name: 'a value flag last', run: () => bib(['build', REF, '--type']), code: 1, error: 'flag needs an argument: --type' },
    { name: 'three dashes', run: () => bib(['build', '---type', REF]), code: 1, error: 'bad flag syntax: ---type' },
    { name: '--seed takes an Int64', run: () => bib(['build', '--seed=abc', REF]), code: 1, error: 'invalid argument "abc" for "--seed" flag: strconv.ParseInt: parsing "abc": invalid syntax' },
    { name: 'some of the AWS flags', run: () => bib(['build', '--aws-region', 'eu-west-1', REF]), code: 1, error: 'if any flags in the group [aws-region aws-bucket aws-ami-name] are set they must all be set; missing [aws-ami-name aws-bucket]' },
    { name: 'all AWS flags for a non-ami type', run: () => bib(['build', '--aws-region', 'r', '--aws-bucket', 'b', '--aws-ami-name', 'n', REF]), code: 1, error: 'cannot handle AWS setup: aws flags set for non-ami image type (type is set to qcow2)' },
    { name: 'version', run: () => bib(['version']), code: 0, stdout: ['build_revision: unknown\nbuild_time: unknown\nbuild_tainted: false\n'] },
    { name: 'build --version', run: () => bib(['build', '--version']), code: 0, stdout: ['build_revision: '], files: [] },
    { name: 'build --help', run: () => bib(['build', '--help']), code: 0, stdout: ['--installer-payload-ref'], files: [] },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: the setup checks, in the builder\'s order', () => {
  const messageA = (podmanLine: string, ref = REF) =>
    `cannot build manifest: failed to inspect the image: exit status 125, stderr:\n${podmanLine}\n\nbootc-image-builder no longer pulls images, make sure to pull it before running bootc-image-builder:\n    sudo podman pull ${ref}`;
  test.each<Row>([
    { name: 'rootless podman', run: () => bib([REF], { containerenv: 'engine="podman-5.6.0"\nrootless=1\n' }), code: 1, error: 'cannot validate the setup: this command must be run in rootful (not rootless) podman', files: [] },
    { name: 'rootful podman', run: () => bib([REF], { containerenv: 'rootless=0\n' }), code: 0, files: QCOW2 },
    { name: 'not privileged: /sys is read-only', run: () => bib([REF], { privileged: false }), code: 1, error: 'cannot validate the setup: this command requires a privileged container', files: [] },
    { name: 'rootless and unprivileged: rootless is checked first', run: () => bib([REF], { privileged: false, containerenv: 'rootless=1\n' }), code: 1, error: 'cannot validate the setup: this command must be run in rootful (not rootless) podman' },
    { name: 'outside a container: a warning only', run: () => bib([REF], { containerenv: null }), code: 0, stderr: ['WARNING: running outside a container, this is an unsupported configuration\n'], files: QCOW2 },
    {
      name: 'no store mounted',
      run: () => bib([REF], { storageMounted: false, overlay: false }),
      code: 1,
      error: 'cannot build manifest: could not access container storage, did you forget -v /var/lib/containers/storage:/var/lib/containers/storage? (cannot find "/var/lib/containers/storage/overlay" (missing -v /var/lib/containers/storage:/var/lib/containers/storage mount?))',
      files: [],
    },
    { name: 'a store of another driver (no overlay folder)', run: () => bib([REF], { overlay: false }), code: 1, error: 'cannot build manifest: could not access container storage, did you forget -v /var/lib/containers/storage:/var/lib/containers/storage? (cannot find "/var/lib/containers/storage/overlay" (missing -v /var/lib/containers/storage:/var/lib/containers/storage mount?))' },
    {
      name: 'a BoltDB store recording another static dir',
      run: () => bib([REF], { database: { kind: 'bolt', staticDir: '/srv/store/libpod' } }),
      code: 1,
      error: messageA('Error: database libpod root directory (staticdir) "/srv/store/libpod" does not match our libpod root directory (staticdir) "/var/lib/containers/storage/libpod": database configuration mismatch'),
      files: [],
    },
    {
      name: 'a SQLite store recording another static dir',
      run: () => bib([REF], { database: { kind: 'sqlite', staticDir: '/home/u/.local/share/containers/storage/libpod' } }),
      code: 1,
      error: messageA('Error: database static dir "/home/u/.local/share/containers/storage/libpod" does not match our static dir "/var/lib/containers/storage/libpod": database configuration mismatch'),
    },
    { name: 'a store recording /var/lib/containers/storage/libpod', run: () => bib([REF], { database: { kind: 'sqlite', staticDir: `${STORE}/libpod` } }), code: 0, files: QCOW2 },
    { name: 'the image is not in the store', run: () => bib(['localhost/missing:1']), code: 1, error: messageA('Error: localhost/missing:1: image not known', 'localhost/missing:1'), files: [] },
    { name: 'the image is not a bootc image (no containers.bootc:1 in {{.Labels}})', run: () => bib([PLAIN]), code: 1, error: `cannot build manifest: image ${PLAIN} is not a bootc image`, files: [] },
    { name: 'an image ID instead of a name', run: () => bib([ID]), code: 0, files: QCOW2 },
    { name: '--output below a file', run: () => bib(['--output', '/config.toml/out', REF], config('')), code: 1, error: 'cannot setup build dir: mkdir /config.toml/out: not a directory' },
    { name: 'an unknown --progress', run: () => bib(['--progress', 'fancy', REF]), code: 1, error: 'failed to initialise progress bar: unknown progress type: "fancy"' },
    { name: 'the output folder keeps no owners, and --chown is given', run: () => bib(['--chown', '0:0', REF], { chownFails: true }), code: 1, error: 'chown permission check failed for the output directory', files: [] },
    { name: 'the output folder keeps no owners, no --chown', run: () => bib([REF], { chownFails: true }), code: 0, files: QCOW2 },
    { name: '--local=false', run: () => bib(['--local=false', REF]), code: 1, error: `cannot build manifest: --local=false is no longer supported, remove it and make sure to pull the container before running bib:\n\tsudo podman pull ${REF}` },
    { name: 'an unknown --target-arch', run: () => bib(['--target-arch', 'sparc', REF]), code: 1, error: 'cannot build manifest: unsupported architecture "sparc"' },
    {
      name: 'another --target-arch than the image\'s',
      run: () => bib(['--target-arch', 'arm64', REF]),
      code: 1,
      stderr: [`${TS}WARNING: cannot check architecture support for arm64: no canary binary found\n`, "WARNING: target-arch is experimental and needs an installed 'qemu-user' package\n"],
      error: 'cannot build manifest: requested bootc arch "aarch64" does not match available arches [x86_64]',
    },
    { name: 'another --target-arch for the literal iso type', run: () => bib(['--target-arch', 'aarch64', '--type', 'iso', REF]), code: 1, error: 'cannot build manifest: cannot build iso for different target arches yet' },
    { name: '--target-arch x86_64 is amd64', run: () => bib(['--target-arch', 'x86_64', REF]), code: 0, files: QCOW2 },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: image types and where they are written', () => {
  test.each<Row>([
    { name: 'an unknown type', run: () => bib(['--type', 'floppy', '--type', 'qcow2', REF]), code: 1, error: 'cannot build manifest: cannot detect build types [floppy qcow2]: unsupported image type "floppy", valid types are ami, anaconda-iso, bootc-installer, gce, iso, ova, pxe-tar-xz, qcow2, raw, vhd, vmdk' },
    { name: 'an empty type', run: () => bib(['--type=', REF]), code: 1, error: 'cannot build manifest: cannot detect build types []: unsupported image type "", valid types are ami, anaconda-iso, bootc-installer, gce, iso, ova, pxe-tar-xz, qcow2, raw, vhd, vmdk' },
    { name: 'ISO and disk types together', run: () => bib(['--type', 'qcow2', '--type', 'anaconda-iso', REF]), code: 1, error: 'cannot build manifest: cannot detect build types [qcow2 anaconda-iso]: cannot mix ISO/disk images in request [qcow2 anaconda-iso]', files: [] },
    { name: 'disks after a disk.* type are named disk', run: () => bib(['--type', 'qcow2', '--type', 'gce', '--type', 'vhd', REF]), code: 0, files: ['gce/image.tar.gz', 'manifest-qcow2-gce-vhd.json', 'qcow2/disk.qcow2', 'vpc/disk.vhd'] },
    { name: 'disks after gce are named image', run: () => bib(['--type', 'gce', '--type', 'qcow2', '--type', 'raw', REF]), code: 0, files: ['gce/image.tar.gz', 'image/image.raw', 'manifest-gce-qcow2-raw.json', 'qcow2/image.qcow2'] },
    { name: 'ova alone: archive/image.ova', run: () => bib(['--type', 'ova', REF]), code: 0, files: ['archive/image.ova', 'manifest-ova.json'] },
    { name: 'ova after qcow2: archive/disk.ova', run: () => bib(['--type', 'qcow2', '--type', 'ova', REF]), code: 0, files: ['archive/disk.ova', 'manifest-qcow2-ova.json', 'qcow2/disk.qcow2'] },
    { name: 'pxe-tar-xz alone', run: () => bib(['--type', 'pxe-tar-xz', REF]), code: 0, files: ['manifest-pxe-tar-xz.json', 'xz/pxe.tar.xz'] },
    {
      name: 'pxe-tar-xz after a disk: the disk manifest has no xz export',
      run: () => bib(['--type', 'qcow2', '--type', 'pxe-tar-xz', REF]),
      code: 1,
      stdout: ["Export xz not found in ['build', 'image', 'qcow2', 'vmdk', 'vpc', 'ovf', 'archive', 'gce']\nFailed\n"],
      error: 'cannot run osbuild: error running osbuild: exit status 1',
      files: ['manifest-qcow2-pxe-tar-xz.json'],
    },
    { name: 'qcow2 after pxe-tar-xz: the PXE manifest has no qcow2 export', run: () => bib(['--type', 'pxe-tar-xz', '--type', 'qcow2', REF]), code: 1, stdout: ["Export qcow2 not found in ['build', 'image', 'bootc-rootfs', 'bootc-pxe-tree', 'tar', 'xz']\nFailed\n"], error: 'cannot run osbuild: error running osbuild: exit status 1' },
    { name: 'raw after pxe-tar-xz: the PXE manifest\'s own raw image, disk.img', run: () => bib(['--type', 'pxe-tar-xz', '--type', 'raw', REF]), code: 0, files: ['image/disk.img', 'manifest-pxe-tar-xz-raw.json', 'xz/pxe.tar.xz'] },
    { name: 'two ISO types: one ISO, the first type\'s', run: () => bib(['--type', 'iso', '--type', 'anaconda-iso', REF]), code: 0, files: ['bootiso/install.iso', 'manifest-iso-anaconda-iso.json'], firstLine: ['bootiso/install.iso', `bib-standin iso ${ID} xfs x86_64 block 0`] },
    { name: 'raw and ami share one file', run: () => bib(['--type', 'raw', '--type', 'ami', REF]), code: 0, files: ['image/disk.raw', 'manifest-raw-ami.json'], firstLine: ['image/disk.raw', `bib-standin raw ${ID} xfs x86_64 block 0`] },
    { name: 'a type twice', run: () => bib(['--type', 'qcow2', '--type', 'qcow2', REF]), code: 0, files: ['manifest-qcow2-qcow2.json', 'qcow2/disk.qcow2'] },
    { name: 'every file starts with the stand-in line', run: () => bib(['--type', 'vmdk', REF]), code: 0, firstLine: ['vmdk/disk.vmdk', `bib-standin vmdk ${ID} xfs x86_64 block 0`] },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: the root filesystem and the image\'s files', () => {
  test.each<Row>([
    { name: 'declared as [install.filesystem.root] type', run: () => bib([REF]), code: 0, firstLine: ['qcow2/disk.qcow2', `bib-standin qcow2 ${ID} xfs x86_64 block 0`] },
    { name: 'declared as the older [install] root-fs-type', run: () => bib([REF], withRootFsFiles({ 'usr/lib/bootc/install/00-old.toml': '[install]\nroot-fs-type = "ext4"\n' })), code: 0, firstLine: ['qcow2/disk.qcow2', `bib-standin qcow2 ${ID} ext4 x86_64 block 0`] },
    {
      name: 'later files win; /etc replaces /usr/lib\'s file of the same name',
      run: () => bib([REF], withRootFsFiles({ 'usr/lib/bootc/install/10-a.toml': '[install.filesystem.root]\ntype = "xfs"\n', 'usr/lib/bootc/install/20-b.toml': '[install.filesystem.root]\ntype = "ext4"\n', 'etc/bootc/install/20-b.toml': '[install.filesystem.root]\ntype = "btrfs"\n' })),
      code: 0,
      firstLine: ['qcow2/disk.qcow2', `bib-standin qcow2 ${ID} btrfs x86_64 block 0`],
    },
    { name: 'filesystem.root.type wins over root-fs-type', run: () => bib([REF], withRootFsFiles({ 'usr/lib/bootc/install/10-a.toml': '[install.filesystem.root]\ntype = "xfs"\n', 'usr/lib/bootc/install/20-b.toml': '[install]\nroot-fs-type = "ext4"\n' })), code: 0, firstLine: ['qcow2/disk.qcow2', `bib-standin qcow2 ${ID} xfs x86_64 block 0`] },
    { name: 'a file for another architecture is skipped', run: () => bib([REF], withRootFsFiles({ 'usr/lib/bootc/install/10-a.toml': '[install]\nmatch-architectures = ["aarch64"]\nroot-fs-type = "xfs"\n' })), code: 1, error: 'cannot build manifest: failed to initialize bootc distro: missing required info: DefaultRootFs' },
    { name: 'none declared', run: () => bib([REF], noRootFs), code: 1, error: 'cannot build manifest: failed to initialize bootc distro: missing required info: DefaultRootFs', files: [] },
    { name: 'none declared, --rootfs given', run: () => bib(['--rootfs', 'ext4', REF], noRootFs), code: 0, firstLine: ['qcow2/disk.qcow2', `bib-standin qcow2 ${ID} ext4 x86_64 block 0`] },
    { name: '--rootfs overrides the declaration', run: () => bib(['--rootfs', 'btrfs', REF]), code: 0, firstLine: ['qcow2/disk.qcow2', `bib-standin qcow2 ${ID} btrfs x86_64 block 0`] },
    { name: '--rootfs vfat is a filesystem the builder knows', run: () => bib(['--rootfs', 'vfat', REF]), code: 0 },
    { name: 'an unknown --rootfs', run: () => bib(['--rootfs', 'zfs', REF]), code: 1, error: 'cannot build manifest: failed to set default rootfs for bootc distro: unknown or unsupported filesystem type name: zfs' },
    { name: 'an unknown key in the install config: print-configuration fails', run: () => bib([REF], withRootFsFiles({ 'usr/lib/bootc/install/10-a.toml': '[install]\nroot-fs = "xfs"\n' })), code: 1, error: 'cannot build manifest: failed to run bootc install print-configuration: exit status 1, output:\n' },
    { name: 'no bootc in the image', run: () => bib(['--rootfs', 'xfs', REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/bin/bootc': null } } } }), code: 1, error: 'cannot build manifest: failed to run bootc install print-configuration: exit status 127, output:\n' },
    {
      name: 'no os-release',
      run: () => bib([REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/os-release': null } } } }),
      code: 1,
      error: `cannot build manifest: failed to read os-release:\ncannot read etc/os-release: open ${MOUNT(ID)}/etc/os-release: no such file or directory\ncannot read usr/lib/os-release: open ${MOUNT(ID)}/usr/lib/os-release: no such file or directory`,
    },
    { name: 'an os-release without VERSION_ID', run: () => bib([REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/os-release': 'ID=fedora\nNAME=Fedora\n' } } } }), code: 1, error: 'cannot build manifest: missing VERSION_ID in os-release' },
    {
      name: 'a VERSION_ID that is not a number',
      run: () => bib([REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/os-release': 'ID=fedora\nNAME=Fedora\nVERSION_ID=rawhide\n' } } } }),
      code: 1,
      error: 'cannot build manifest: error when parsing distro name "bootc-fedora-rawhide": parsing major version failed, inner error:\nstrconv.Atoi: parsing "rawhide": invalid syntax',
    },
    { name: 'a legacy ISO, none declared, no --rootfs', run: () => bib(['--type', 'anaconda-iso', REF], noRootFs), code: 1, error: 'cannot build manifest: no default root filesystem type specified in container, please use "--rootfs" to set manually' },
    { name: 'a legacy ISO with --rootfs does not ask the image', run: () => bib(['--type', 'iso', '--rootfs', 'ext4', REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/bin/bootc': null } } } }), code: 0, files: ['bootiso/install.iso', 'manifest-iso.json'] },
    { name: 'a legacy ISO, print-configuration failing', run: () => bib(['--type', 'iso', REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/bin/bootc': null } } } }), code: 1, error: 'cannot build manifest: cannot get rootfs type for container: failed to run bootc install print-configuration: exit status 127, output:\n' },
    { name: 'a legacy ISO with an unknown --rootfs', run: () => bib(['--type', 'iso', '--rootfs', 'zfs', REF]), code: 1, error: 'cannot build manifest: cannot get manifest: unknown or unsupported filesystem type name: zfs' },
    { name: 'a legacy ISO of an image without dnf', run: () => bib(['--type', 'anaconda-iso', REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/bin/dnf': null } } } }), code: 1, error: 'cannot build manifest: no dnf in container' },
    { name: 'pxe-tar-xz of an image without the live initramfs modules', run: () => bib(['--type', 'pxe-tar-xz', REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/dracut/modules.d/90livenet/module-setup.sh': null } } } }), code: 1, error: 'cannot build manifest: bootc container initramfs requires ostree, dmsquash-live and livenet modules' },
    { name: 'pxe-tar-xz of an image without a kernel', run: () => bib(['--type', 'pxe-tar-xz', REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/modules/6.12.0/vmlinuz': null } } } }), code: 1, error: 'cannot build manifest: internal error: The initrd module list is empty' },
    { name: 'an embedded config the builder cannot decode', run: () => bib([REF], { images: { [REF]: { id: ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/bootc-image-builder/config.toml': '[customizations]\nbogus = 1\n' } } } }), code: 1, error: `cannot build manifest: cannot decode "${MOUNT(ID)}/usr/lib/bootc-image-builder/config.toml": unknown keys found: [customizations.bogus]` },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: bootc-installer', () => {
  test.each<Row>([
    { name: 'no --installer-payload-ref', run: () => bib(['--type', 'bootc-installer', INSTALLER]), code: 1, error: 'cannot build manifest: no installer payload bootc ref set', files: [] },
    { name: 'the payload is not in the store', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', 'localhost/gone:1', INSTALLER]), code: 1, stderr: ['level=fatal msg="Error parsing image name'], error: "cannot build manifest: failed to resolve container: 'localhost/gone:1': exit status 1" },
    { name: 'the installer image and the payload in the store', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', REF, INSTALLER]), code: 0, files: ['bootiso/install.iso', 'manifest-bootc-installer.json'], firstLine: ['bootiso/install.iso', `bib-standin bootc-installer ${INSTALLER_ID} xfs x86_64 block 0`] },
    { name: 'the payload is not label-checked', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', PLAIN, INSTALLER]), code: 0 },
    { name: 'the installer image goes through the label check', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', REF, PLAIN]), code: 1, error: `cannot build manifest: image ${PLAIN} is not a bootc image` },
    { name: 'the installer image needs a root filesystem', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', INSTALLER, REF], noRootFs), code: 1, error: 'cannot build manifest: failed to initialize bootc distro: missing required info: DefaultRootFs' },
    { name: 'the installer image needs a kernel', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', REF, INSTALLER], { images: { [INSTALLER]: { id: INSTALLER_ID, labels: { 'containers.bootc': '1' }, files: { 'usr/lib/modules/6.12.0/vmlinuz': null } } } }), code: 1, error: 'cannot build manifest: could not read kernel info from container' },
    { name: 'a build container', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', REF, '--build-container', REF, INSTALLER]), code: 1, error: 'cannot build manifest: cannot use build-containers with anaconda installer images' },
    { name: 'users with the Users module disabled', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', REF, INSTALLER], config('[[customizations.user]]\nname = "a"\n[customizations.installer.modules]\ndisable = ["org.fedoraproject.Anaconda.Modules.Users"]\n')), code: 1, error: 'cannot build manifest: blueprint contains user or group customizations but disables the required Users Anaconda module' },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: the config', () => {
  test.each<Row>([
    { name: 'no config', run: () => bib([REF]), code: 0, files: QCOW2 },
    { name: '/config.toml and /config.json', run: () => bib([REF], { files: { '/config.toml': '', '/config.json': '{}' } }), code: 1, error: 'cannot build manifest: cannot read config: found "config.json" and also "config.toml", only a single one is supported', files: [] },
    { name: 'the legacy JSON "blueprint" wrapper: only its value is read', run: () => bib([REF], config('{"blueprint": {"customizations": {"user": [{"name": "a"}]}}, "ignored": true}', '/config.json')), code: 0, notStderr: ['blueprint validation failed'] },
    { name: 'a "blueprint" table in TOML is an unknown key', run: () => bib([REF], config('[blueprint]\nname = "x"\n')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.toml": unknown keys found: [blueprint blueprint.name]' },
    { name: 'unknown TOML keys, in document order', run: () => bib([REF], config('[customizations.kernel]\nappned = "x"\n[customizations.foo]\nbar = 1\n')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.toml": unknown keys found: [customizations.kernel.appned customizations.foo customizations.foo.bar]' },
    { name: 'keys match their field ignoring case', run: () => bib([REF], config('[Customizations.Kernel]\nAppend = "quiet"\n')), code: 0 },
    { name: 'an unknown JSON field', run: () => bib([REF], config('{"customizations": {"kernel": {"appned": "x"}}}', '/config.json')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.json": json: unknown field "appned"' },
    { name: 'unknown keys inside [[customizations.filesystem]] pass', run: () => bib([REF], config('[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\nlabel = "root"\n')), code: 0, files: QCOW2 },
    { name: 'unknown keys inside [customizations.disk] pass', run: () => bib([REF], config('[customizations.disk]\nsector_size = 4096\nwhatever = 1\n')), code: 0 },
    { name: 'unknown keys inside [[customizations.directories]] and [[customizations.files]] pass', run: () => bib([REF], config('[[customizations.directories]]\npath = "/etc/x"\nowner = "a"\n[[customizations.files]]\npath = "/etc/y"\nensure_parents = true\n')), code: 0 },
    {
      name: 'an unknown key in a disk partition',
      run: () => bib([REF], config('[customizations.disk]\n[[customizations.disk.partitions]]\ntype = "plain"\nminsize = "1 GiB"\nfoo = 1\n')),
      code: 1,
      error: 'cannot build manifest: cannot read config: cannot decode "/config.toml": toml: line 1 (last key "customizations.disk"): error decoding TOML map[partitions:[map[foo:1 minsize:1 GiB type:plain]]]: JSON unmarshal: error decoding partition with type "plain": json: unknown field "foo"',
    },
    { name: 'a filesystem with minsize 0', run: () => bib([REF], config('[[customizations.filesystem]]\nmountpoint = "/"\nminsize = 0\n')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.toml": toml: line 1 (last key "customizations.filesystem"): TOML unmarshal: minsize must be greater than 0, got 0' },
    { name: 'a TOML value of the wrong type', run: () => bib([REF], config('[customizations]\nhostname = 1\n')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.toml": toml: line 2 (last key "customizations.hostname"): incompatible types: TOML value has type int64; destination has type string' },
    { name: 'a TOML scalar where a table belongs', run: () => bib([REF], config('customizations = "x"\n')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.toml": toml: line 1 (last key "customizations"): type mismatch for blueprint.Customizations: expected table but found string' },
    { name: 'a JSON value of the wrong type', run: () => bib([REF], config('{"customizations": {"user": [{"name": "a", "uid": "1000"}]}}', '/config.json')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.json": json: cannot unmarshal string into Go struct field UserCustomization.customizations.user.uid of type int' },
    { name: 'an empty JSON config', run: () => bib([REF], config('', '/config.json')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.json": EOF' },
    { name: 'a JSON syntax error', run: () => bib([REF], config('{"name": "x",}', '/config.json')), code: 1, error: 'cannot build manifest: cannot read config: cannot decode "/config.json": invalid character \'}\' looking for beginning of object key string' },
    { name: 'two JSON objects', run: () => bib([REF], config('{} {}', '/config.json')), code: 1, error: 'cannot build manifest: cannot read config: multiple configuration objects or extra data found in "/config.json"' },
    { name: '--config of a missing file', run: () => bib(['--config', '/nope.toml', REF]), code: 1, error: 'cannot build manifest: cannot read config: open /nope.toml: no such file or directory' },
    { name: '--config of another extension', run: () => bib(['--config', '/c.yaml', REF], config('', '/c.yaml')), code: 1, error: 'cannot build manifest: cannot read config: unsupported file extension for "/c.yaml"' },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: validation warnings (stderr, no newline, the first one only)', () => {
  const warning = (type: string, path: string) => `blueprint validation failed for image type "${type}": ${path}: not supported`;
  test.each<Row>([
    { name: 'users, groups, kernel.append, files, directories on a disk', run: () => bib([REF], config('[[customizations.user]]\nname = "a"\n[[customizations.group]]\nname = "g"\n[customizations.kernel]\nappend = "quiet"\n[[customizations.files]]\npath = "/etc/x"\ndata = "x"\n')), code: 0, notStderr: ['blueprint validation failed'] },
    { name: 'hostname on a disk', run: () => bib([REF], config('[customizations]\nhostname = "x"\n')), code: 0, stderr: [`${warning('qcow2', 'customizations.hostname')}Done generating manifest\n`], files: QCOW2 },
    { name: 'an empty hostname still counts (a pointer)', run: () => bib([REF], config('[customizations]\nhostname = ""\n')), code: 0, stderr: [warning('qcow2', 'customizations.hostname')] },
    { name: 'fips = false counts too', run: () => bib([REF], config('[customizations]\nfips = false\n')), code: 0, stderr: [warning('qcow2', 'customizations.fips')] },
    { name: 'an empty list does not', run: () => bib([REF], config('packages = []\n')), code: 0, notStderr: ['blueprint validation failed'] },
    { name: 'kernel.name: only kernel.append is supported', run: () => bib([REF], config('[customizations.kernel]\nname = "k"\nappend = "a"\n')), code: 0, stderr: [warning('qcow2', 'customizations.kernel.name')] },
    { name: 'the first in declaration order only', run: () => bib([REF], config('[[customizations.repositories]]\nid = "r"\n[customizations]\nhostname = "x"\n')), code: 0, stderr: [warning('qcow2', 'customizations.hostname')], notStderr: ['repositories'] },
    { name: 'named after the first --type', run: () => bib(['--type', 'raw', '--type', 'qcow2', REF], config('[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n')), code: 0, stderr: [warning('raw', 'customizations.filesystem')] },
    { name: 'top-level packages', run: () => bib([REF], config('[[packages]]\nname = "vim"\n')), code: 0, stderr: [warning('qcow2', 'packages')] },
    { name: 'iso on bootc-installer', run: () => bib(['--type', 'bootc-installer', '--installer-payload-ref', REF, INSTALLER], config('[customizations.iso]\nvolume_id = "X"\n')), code: 0, stderr: [warning('bootc-installer', 'customizations.iso')] },
    { name: 'disk on pxe-tar-xz', run: () => bib(['--type', 'pxe-tar-xz', REF], config('[customizations.disk]\nminsize = "20 GiB"\n')), code: 0, stderr: [warning('pxe-tar-xz', 'customizations.disk')] },
    { name: 'the legacy ISOs validate nothing', run: () => bib(['--type', 'anaconda-iso', REF], config('[customizations]\nhostname = "x"\n')), code: 0, notStderr: ['blueprint validation failed'] },
    { name: 'a failing manifest drops the warning', run: () => bib(['--type', 'bootc-installer', INSTALLER], config('[customizations]\nhostname = "x"\n')), code: 1, notStderr: ['blueprint validation failed'], error: 'cannot build manifest: no installer payload bootc ref set' },
  ])('$name', (row) => check(row, true));
});

describe('bootc-image-builder stand-in: --chown and the test hooks', () => {
  const uid = process.getuid?.() ?? 0;
  const owner = uid === 0 ? '1234:5678' : `${uid}:${process.getgid?.() ?? 0}`;

  test('--chown UID:GID gives the output folder and every file to that owner', () => {
    const out = bib(['--chown', owner, '--type', 'qcow2', '--type', 'vmdk', REF]);
    expect(out.code).toBe(0);
    expect(['.', ...out.files, 'qcow2', 'vmdk'].map((f) => `${f} ${out.owner(f)}`)).toEqual(['.', ...out.files, 'qcow2', 'vmdk'].map((f) => `${f} ${owner}`));
  });

  test.each<Row>([
    { name: '--chown that is not UID[:GID] fails after the build', run: () => bib(['--chown', 'admin', REF]), code: 1, error: 'cannot setup owner for ".": cannot parse chown: strconv.Atoi: parsing "admin": invalid syntax', files: QCOW2 },
    { name: '# bib-standin: fail, one file', run: () => bib([REF], config('# bib-standin: fail\n')), code: 1, stderr: ['bib-standin: error: failing on purpose after 1 file(s) (test hook)\n'], error: 'cannot run osbuild: error running osbuild: exit status 1', files: QCOW2 },
    { name: '# bib-standin: fail, three files: after two', run: () => bib(['--type', 'qcow2', '--type', 'vmdk', '--type', 'raw', REF], config('# bib-standin: fail\n')), code: 1, stderr: ['failing on purpose after 2 file(s) (test hook)'], files: ['manifest-qcow2-vmdk-raw.json', 'qcow2/disk.qcow2', 'vmdk/disk.vmdk'] },
    { name: '# bib-standin: sleep=N', run: () => bib([REF], config('# bib-standin: sleep=7\n')), code: 0, stdout: ['bib-standin: sleeping 7 s (test hook)\n', 'bib-standin: done: qcow2\n'] },
  ])('$name', (row) => check(row, true));

  test('sleep=N sleeps N seconds before writing', () => {
    expect(bib([REF], config('# bib-standin: sleep=7\n')).sleeps).toEqual([7000]);
    expect(bib([REF]).sleeps).toEqual([]);
  });
});

describe('image-builder stand-in: build --bootc-ref', () => {
  const BASE = ['build', '--bootc-ref', REF];
  const OUT = ['--output-dir', '/output', '--output-name', 'disk'];
  test.each<Row>([
    { name: 'qcow2 with --output-dir and --output-name', run: () => ib([...BASE, ...OUT, '--with-manifest', 'qcow2']), code: 0, files: ['disk.osbuild-manifest.json', 'disk.qcow2'], stdout: ['Image build successful: /output/disk.qcow2\n'], firstLine: ['disk.qcow2', `bib-standin qcow2 ${ID} xfs x86_64 block 0`] },
    { name: 'no --output-dir: ./<distro>-<type>-<arch>/', run: () => ib([...BASE, 'qcow2']), code: 0, files: ['bootc-fedora-42-qcow2-x86_64/bootc-fedora-42-qcow2-x86_64.qcow2'], stdout: ['Image build successful: bootc-fedora-42-qcow2-x86_64/bootc-fedora-42-qcow2-x86_64.qcow2\n'] },
    { name: '--output-name with the extension', run: () => ib([...BASE, '--output-dir', '/output', '--output-name', 'edge.raw', 'raw']), code: 0, files: ['edge.raw'] },
    { name: 'gce, ova, pxe-tar-xz extensions', run: () => ib([...BASE, ...OUT, 'pxe-tar-xz']), code: 0, files: ['disk.tar.xz'] },
    { name: 'ova', run: () => ib([...BASE, ...OUT, 'ova']), code: 0, files: ['disk.ova'] },
    { name: 'vsphere-ova is ova', run: () => ib([...BASE, ...OUT, 'vsphere-ova']), code: 0, files: ['disk.ova'] },
    { name: 'one type a run', run: () => ib([...BASE, ...OUT, 'qcow2', 'raw']), code: 1, error: 'accepts 1 arg(s), received 2' },
    { name: 'anaconda-iso is refused before podman', run: () => ib([...BASE, ...OUT, 'anaconda-iso'], { storageMounted: false, overlay: false }), code: 1, error: 'image type bootc "anaconda-iso" is not supported with image-builder, please consider switching to "bootc-installer" or use bootc-image-builder' },
    { name: 'iso is accepted', run: () => ib([...BASE, ...OUT, 'iso']), code: 0, files: ['disk.iso'] },
    { name: 'an unknown type', run: () => ib([...BASE, ...OUT, 'floppy']), code: 1, error: 'invalid image type: floppy' },
    { name: 'bib\'s flags do not exist', run: () => ib([...BASE, ...OUT, '--chown', '0:0', 'qcow2']), code: 1, error: 'unknown flag: --chown' },
    { name: '--type does not exist', run: () => ib([...BASE, ...OUT, '--type', 'qcow2', 'qcow2']), code: 1, error: 'unknown flag: --type' },
    { name: 'no overlay or label check', run: () => ib([...BASE.slice(0, 2), PLAIN, ...OUT, 'qcow2'], { overlay: false }), code: 0, files: ['disk.qcow2'] },
    { name: 'the image is not in the store', run: () => ib(['build', '--bootc-ref', 'localhost/gone:1', ...OUT, 'qcow2']), code: 1, error: 'running localhost/gone:1 container failed: exit status 125\nstderr:\nError: localhost/gone:1: image not known\n' },
    { name: 'a store recording another static dir', run: () => ib([...BASE, ...OUT, 'qcow2'], { database: { kind: 'sqlite', staticDir: '/srv/libpod' } }), code: 1, error: `running ${REF} container failed: exit status 125\nstderr:\nError: database static dir "/srv/libpod" does not match our static dir "/var/lib/containers/storage/libpod": database configuration mismatch\n` },
    { name: 'no root filesystem', run: () => ib([...BASE, ...OUT, 'qcow2'], noRootFs), code: 1, error: 'failed to initialize bootc distro: missing required info: DefaultRootFs' },
    { name: '--bootc-default-fs gives it', run: () => ib([...BASE, ...OUT, '--bootc-default-fs', 'ext4', 'qcow2'], noRootFs), code: 0, firstLine: ['disk.qcow2', `bib-standin qcow2 ${ID} ext4 x86_64 block 0`] },
    { name: '--arch takes the builder\'s names, x86_64', run: () => ib([...BASE, ...OUT, '--arch', 'x86_64', 'qcow2']), code: 0 },
    { name: '--arch amd64 is not a bootc arch name', run: () => ib([...BASE, ...OUT, '--arch', 'amd64', 'qcow2']), code: 1, error: 'requested bootc arch "amd64" does not match available arches [x86_64]' },
    { name: '--distro with --bootc-ref', run: () => ib([...BASE, ...OUT, '--distro', 'fedora-42', 'qcow2']), code: 1, error: 'cannot use --distro with --bootc-ref' },
    { name: 'bootc-installer without a payload', run: () => ib(['build', '--bootc-ref', INSTALLER, ...OUT, 'bootc-installer']), code: 1, error: 'no installer payload bootc ref set' },
    { name: 'bootc-installer with --bootc-installer-payload-ref', run: () => ib(['build', '--bootc-ref', INSTALLER, '--bootc-installer-payload-ref', REF, ...OUT, 'bootc-installer']), code: 0, files: ['disk.iso'] },
    { name: 'a validation warning is an error', run: () => ib([...BASE, ...OUT, '--blueprint', '/config.toml', 'qcow2'], config('[customizations]\nhostname = "x"\n')), code: 1, error: 'Warnings during manifest creation:\nblueprint validation failed for image type "qcow2": customizations.hostname: not supported', files: [] },
    { name: '--ignore-warnings prints it', run: () => ib([...BASE, ...OUT, '--blueprint', '/config.toml', '--ignore-warnings', 'qcow2'], config('[customizations]\nhostname = "x"\n')), code: 0, stderr: ['blueprint validation failed for image type "qcow2": customizations.hostname: not supported'] },
    { name: 'no legacy "blueprint" wrapper', run: () => ib([...BASE, ...OUT, '--blueprint', '/config.json', 'qcow2'], config('{"blueprint": {}}', '/config.json')), code: 1, error: 'cannot decode "/config.json": json: unknown field "blueprint"' },
    { name: 'a missing --blueprint', run: () => ib([...BASE, ...OUT, '--blueprint', '/nope.toml', 'qcow2']), code: 1, error: 'cannot open blueprint file "/nope.toml": open /nope.toml: no such file or directory' },
    { name: 'a --blueprint of another extension', run: () => ib([...BASE, ...OUT, '--blueprint', '/c.yaml', 'qcow2'], config('', '/c.yaml')), code: 1, error: 'unsupported file extension for "/c.yaml" (please use .toml or .json)' },
    { name: 'no command', run: () => ib(['qcow2']), code: 1, error: 'unknown command "qcow2" for "image-builder"' },
    { name: 'a mistyped command, with cobra\'s suggestion', run: () => ib(['bulid', 'qcow2']), code: 1, error: 'unknown command "bulid" for "image-builder"\n\nDid you mean this?\n\tbuild\n' },
    { name: 'the fail hook', run: () => ib([...BASE, ...OUT, '--blueprint', '/config.toml', 'qcow2'], config('# bib-standin: fail\n')), code: 1, stderr: ['failing on purpose after 1 file(s) (test hook)'], error: 'error running osbuild: exit status 1' },
  ])('$name', (row) => check(row, false));
});

describe('the container environment', () => {
  test.each([
    ['privileged: sysfs rw', '84 81 0:45 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw\n', false],
    ['unprivileged: sysfs ro', '84 81 0:45 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro\n56 82 0:43 /sys /proc/sys ro - proc proc rw\n', true],
  ])('%s', (_name, mountinfo, readOnly) => {
    expect(sysIsReadOnly(mountinfo)).toBe(readOnly);
  });

  test('an image tree resolves absolute symlinks inside the image, not on this machine', () => {
    const tree = mkdtempSync(join(tmpdir(), 'bib-standin-tree-'));
    dirs.push(tree);
    mkdirSync(join(tree, 'usr/lib'), { recursive: true });
    writeFileSync(join(tree, 'usr/lib/os-release'), 'ID=x\n');
    mkdirSync(join(tree, 'etc'));
    symlinkSync('/usr/lib/os-release', join(tree, 'etc/os-release'));
    const root = dirImageRoot(tree, '/merged');
    expect(root.read('etc/os-release').toString()).toBe('ID=x\n');
  });
});
