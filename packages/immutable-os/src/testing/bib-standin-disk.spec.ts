import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

// The builder stand-in's disk maker (tools/fixtures/bib-standin/lib/disk.js) and its hook in the
// rules' output step: the parts that need no disk tools. The e2e boots the disks it makes.
interface Part {
  name: string;
  type: string;
  uuid: string;
  first: number;
  last: number;
  attributes?: number;
}
interface DiskModule {
  GUID: Record<string, string>;
  kernelCommandLine(options: { rootUuid: string; bootUuid: string; kargs: string[]; append?: string }): string;
  gptTables(sectors: number, diskGuid: string, parts: Part[]): Array<{ offset: number; data: Buffer }>;
  xfsProtofile(tree: string): string;
}
interface OutputModule {
  writeArtifacts(env: object, files: Array<{ path: string; type: string }>, meta: object, hooks: { sleepSeconds: number }): string | undefined;
}
const standin = join(__dirname, '..', '..', '..', '..', 'tools', 'fixtures', 'bib-standin', 'lib');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const disk = require(join(standin, 'disk.js')) as DiskModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const output = require(join(standin, 'output.js')) as OutputModule;

describe('kernelCommandLine: bootc install\'s order', () => {
  test.each([
    { kargs: [], append: undefined, line: 'root=UUID=r rw boot=UUID=b rw console=tty0 console=ttyS0' },
    { kargs: ['quiet', 'bootc-mini.poweroff'], append: undefined, line: 'root=UUID=r rw boot=UUID=b quiet bootc-mini.poweroff rw console=tty0 console=ttyS0' },
    { kargs: ['quiet'], append: 'nosmt mitigations=off', line: 'root=UUID=r rw boot=UUID=b quiet rw console=tty0 console=ttyS0 nosmt mitigations=off' },
  ])('kargs.d $kargs, append $append', ({ kargs, append, line }) => {
    expect(disk.kernelCommandLine({ rootUuid: 'r', bootUuid: 'b', kargs, append })).toBe(line);
  });
});

describe('gptTables', () => {
  const sectors = 8192;
  const parts: Part[] = [
    { name: 'BIOS-BOOT', type: disk.GUID.biosBoot, uuid: 'FAC7F1FB-3E8D-4137-A512-961DE09A5549', first: 2048, last: 4095 },
    { name: 'EFI-SYSTEM', type: disk.GUID.esp, uuid: '68B2905B-DF3E-4FB3-80FA-49D1E773AA33', first: 4096, last: 6143, attributes: 4 },
  ];
  const tables = disk.gptTables(sectors, '01234567-89AB-CDEF-0123-456789ABCDEF', parts);
  const at = (offset: number) => {
    const t = tables.find((x) => x.offset === offset);
    if (!t) throw new Error(`no table at ${offset}`);
    return t.data;
  };

  test('a protective MBR of type 0xEE over the disk, with the boot signature', () => {
    const mbr = at(440);
    expect(mbr[6 + 4]).toBe(0xee);
    expect(mbr.readUInt32LE(14)).toBe(1);
    expect(mbr.readUInt32LE(18)).toBe(sectors - 1);
    expect(mbr.readUInt16LE(70)).toBe(0xaa55);
  });

  test.each([
    { which: 'primary', offset: 512, current: 1, backup: sectors - 1, entries: 2 },
    { which: 'backup', offset: (sectors - 1) * 512, current: sectors - 1, backup: 1, entries: sectors - 33 },
  ])('the $which header: its LBAs and valid CRCs', ({ offset, current, backup, entries }) => {
    const h = at(offset);
    expect(h.subarray(0, 8).toString('latin1')).toBe('EFI PART');
    expect(Number(h.readBigUInt64LE(24))).toBe(current);
    expect(Number(h.readBigUInt64LE(32))).toBe(backup);
    expect(Number(h.readBigUInt64LE(40))).toBe(34);
    expect(Number(h.readBigUInt64LE(48))).toBe(sectors - 34);
    expect(Number(h.readBigUInt64LE(72))).toBe(entries);
    const copy = Buffer.from(h.subarray(0, 92));
    copy.writeUInt32LE(0, 16);
    expect(h.readUInt32LE(16)).toBe(crc32(copy));
    expect(h.readUInt32LE(88)).toBe(crc32(at(entries * 512)));
  });

  test('entries: GUIDs mixed-endian as GPT stores them, LBAs, the legacy BIOS bootable bit, UTF-16 names', () => {
    const e = at(1024);
    expect(e.subarray(128, 144).toString('hex')).toBe('28732ac11ff8d211ba4b00a0c93ec93b');
    expect(Number(e.readBigUInt64LE(128 + 32))).toBe(4096);
    expect(Number(e.readBigUInt64LE(128 + 40))).toBe(6143);
    expect(Number(e.readBigUInt64LE(128 + 48))).toBe(4);
    expect(Number(e.readBigUInt64LE(48))).toBe(0);
    expect(e.subarray(128 + 56, 128 + 56 + 20).toString('utf16le')).toBe('EFI-SYSTEM');
    expect(e.subarray(256).every((b) => b === 0)).toBe(true);
  });
});

describe('xfsProtofile', () => {
  let tree: string;
  beforeEach(() => {
    tree = mkdtempSync(join(tmpdir(), 'proto-'));
  });
  afterEach(() => rmSync(tree, { recursive: true, force: true }));

  test('directories, files with their source path, symlinks with their target, then $ to close each', () => {
    mkdirSync(join(tree, 'etc/boot.d'), { recursive: true });
    writeFileSync(join(tree, 'etc/boot.d/50-m.sh'), 'echo m\n', { mode: 0o644 });
    symlinkSync('usr/bin', join(tree, 'bin'));
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    expect(disk.xfsProtofile(tree).split('\n')).toEqual([
      '/dev/null',
      '0 0',
      'd--755 0 0',
      ` bin l--777 ${uid} ${gid} usr/bin`,
      ` etc d--755 ${uid} ${gid}`,
      `  boot.d d--755 ${uid} ${gid}`,
      `   50-m.sh ---644 ${uid} ${gid} ${join(tree, 'etc/boot.d/50-m.sh')}`,
      '  $',
      ' $',
      '$',
      '',
    ]);
  });

  test('a name with a blank cannot be written', () => {
    writeFileSync(join(tree, 'a b'), '');
    expect(() => disk.xfsProtofile(tree)).toThrow('xfs protofiles cannot hold names with blanks');
  });
});

describe('writeArtifacts with an environment that makes disks', () => {
  const meta = { imageId: 'e'.repeat(64), imageRef: 'localhost/edge:latest', rootfs: 'xfs', arch: 'x86_64' };
  const envWith = (writeDisk: (file: string, m: { type: string }) => unknown) => {
    const written: string[] = [];
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      mkdirp: () => undefined,
      writeFile: (p: string) => written.push(p),
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => err.push(t),
      sleep: () => undefined,
      writeDisk,
    };
    return { env, written, out, err };
  };

  test('a disk it makes is not overwritten with text; a type it declines gets the text file', () => {
    const e = envWith((_file, m) => (m.type === 'qcow2' ? { kernel: '6.1.0', cmdline: 'root=UUID=r' } : undefined));
    const files = [
      { path: '/output/qcow2/disk.qcow2', type: 'qcow2' },
      { path: '/output/gce/image.tar.gz', type: 'gce' },
    ];
    expect(output.writeArtifacts(e.env, files, meta, { sleepSeconds: 0 })).toBeUndefined();
    expect(e.written).toEqual(['/output/gce/image.tar.gz']);
    expect(e.out.join('')).toContain('bib-standin: wrote /output/qcow2/disk.qcow2: a bootable qcow2 disk (kernel 6.1.0, command line root=UUID=r)');
  });

  test('a disk that cannot be made fails osbuild, with the reason on stderr', () => {
    const e = envWith(() => {
      throw new Error('bib-standin: mkfs.xfs failed (exit 1)');
    });
    expect(output.writeArtifacts(e.env, [{ path: '/output/qcow2/disk.qcow2', type: 'qcow2' }], meta, { sleepSeconds: 0 })).toBe('error running osbuild: exit status 1');
    expect(e.err).toEqual(['bib-standin: mkfs.xfs failed (exit 1)\n']);
    expect(e.written).toEqual([]);
  });
});
