import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import type { TestExecutorSchema } from '../schema';
import { DEFAULT_EXPECT, DEFAULT_FAIL } from './console-watch';
import { normalizeOptions, NothingToBoot } from './normalize-options';

let root: string;
const context = (): ExecutorContext => ({ root, projectName: 'kiosk', cwd: root, isVerbose: false, projectsConfigurations: { version: 2, projects: { kiosk: { root: 'images/kiosk' } } } }) as unknown as ExecutorContext;

function artifacts(record: unknown, files: string[] = ['dist/disks/kiosk/qcow2/disk.qcow2', 'dist/disks/kiosk/image/disk.raw']) {
  mkdirSync(join(root, 'dist/disks/kiosk/qcow2'), { recursive: true });
  mkdirSync(join(root, 'dist/disks/kiosk/image'), { recursive: true });
  for (const file of files) writeFileSync(join(root, file), 'x');
  writeFileSync(join(root, 'dist/disks/kiosk/artifacts.json'), typeof record === 'string' ? record : JSON.stringify(record));
}

const RECORD = {
  imageId: 'f00d',
  targetArch: null,
  artifacts: [
    { type: 'raw', path: 'dist/disks/kiosk/image/disk.raw', sha256: 'r' },
    { type: 'qcow2', path: 'dist/disks/kiosk/qcow2/disk.qcow2', sha256: 'q' },
    { type: 'anaconda-iso', path: 'dist/disks/kiosk/bootiso/install.iso', sha256: 'i' },
  ],
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bootc-test-options-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('normalizeOptions (bootc-test)', () => {
  test('defaults: the qcow2 disk from artifacts.json, UEFI, auto accel, the default patterns, dist/tests/<project>', () => {
    artifacts(RECORD);
    expect(normalizeOptions({}, context(), 'x64')).toEqual({
      projectName: 'kiosk',
      workspaceRoot: root,
      disk: { type: 'qcow2', path: join(root, 'dist/disks/kiosk/qcow2/disk.qcow2'), sha256: 'q' },
      imageId: 'f00d',
      arch: 'x86_64',
      firmware: 'uefi',
      accel: 'auto',
      memoryMiB: 2048,
      cpus: 2,
      timeoutMs: 600_000,
      expect: DEFAULT_EXPECT,
      fail: DEFAULT_FAIL,
      outputPath: join(root, 'dist/tests/kiosk'),
      extraArgs: [],
    });
  });

  test('a chosen type, firmware and patterns; the disk arch from bootc-convert\'s targetArch', () => {
    artifacts({ ...RECORD, targetArch: 'arm64' });
    const options = normalizeOptions({ type: 'raw', expect: ['system is up'], fail: [], timeout: 30, memory: 512, cpus: 1 }, context(), 'x64');
    expect(options).toMatchObject({ disk: { type: 'raw', sha256: 'r' }, arch: 'aarch64', expect: ['system is up'], fail: [], timeoutMs: 30_000, memoryMiB: 512, cpus: 1 });
  });

  test.each<[TestExecutorSchema, RegExp]>([
    [{ firmware: 'efi' as never }, /option "firmware" must be one of uefi, bios; got "efi"/],
    [{ accel: 'hvf' as never }, /option "accel" must be one of auto, kvm, tcg/],
    [{ type: 'iso' as never }, /option "type" must be one of qcow2, raw/],
    [{ memory: 64 }, /option "memory" must be a whole number of at least 128; got 64/],
    [{ timeout: 1.5 }, /option "timeout" must be a whole number/],
    [{ expect: ['(unclosed'] }, /option "expect" has "\(unclosed", which is not a valid regular expression/],
    [{ expect: [] }, /option "expect" is empty/],
    [{ fail: 'panic' as never }, /option "fail" must be a list of regular expressions/],
    [{ extraArgs: [1] as never }, /option "extraArgs" must be a list of qemu arguments/],
  ])('%j is refused, naming the option', (options, message) => {
    artifacts(RECORD);
    expect(() => normalizeOptions(options, context(), 'x64')).toThrow(message);
  });

  test('no artifacts.json: run bootc-convert first', () => {
    expect(() => normalizeOptions({}, context(), 'x64')).toThrow('dist/disks/kiosk/artifacts.json does not exist: bootc-test boots what bootc-convert made. Run `nx run kiosk:bootc-convert` first');
  });

  test('an artifacts.json without disks, with a missing disk, or not JSON', () => {
    artifacts({ artifacts: [{ type: 'anaconda-iso', path: 'x.iso' }] });
    // Nothing to boot is no error unless a type was asked for (the executor says so and passes).
    expect(() => normalizeOptions({}, context(), 'x64')).toThrow(NothingToBoot);
    expect(() => normalizeOptions({ type: 'qcow2' }, context(), 'x64')).toThrow(/has no qcow2 disk \(bootc-convert made anaconda-iso\); .*add qcow2 to metadata\["immutable-os"\].formats/);
    artifacts(RECORD, []);
    rmSync(join(root, 'dist/disks/kiosk/qcow2/disk.qcow2'));
    expect(() => normalizeOptions({}, context(), 'x64')).toThrow('dist/disks/kiosk/qcow2/disk.qcow2, listed in dist/disks/kiosk/artifacts.json, does not exist; run bootc-convert again.');
    artifacts('{');
    expect(() => normalizeOptions({}, context(), 'x64')).toThrow(/artifacts.json is not valid JSON/);
  });

  test('BIOS for an aarch64 disk, and an architecture qemu here does not boot', () => {
    artifacts({ ...RECORD, targetArch: 'aarch64' });
    expect(() => normalizeOptions({ firmware: 'bios' }, context(), 'x64')).toThrow(/BIOS boots are x86_64 only and the disk is aarch64: use uefi/);
    artifacts({ ...RECORD, targetArch: 's390x' });
    expect(() => normalizeOptions({}, context(), 'x64')).toThrow(/boots x86_64 and aarch64 disks; dist\/disks\/kiosk\/artifacts.json is for s390x/);
  });

  test('ssh: commands as strings or { name, run }, 120 s each by default; none given means no SSH at all', () => {
    artifacts(RECORD);
    expect(normalizeOptions({ ssh: { commands: ['bootc status', { name: 'app', run: 'systemctl is-active app' }] } }, context(), 'x64').ssh).toEqual({
      commands: [{ name: 'bootc status', run: 'bootc status' }, { name: 'app', run: 'systemctl is-active app' }],
      commandTimeoutMs: 120_000,
    });
    expect(normalizeOptions({ ssh: { commands: ['true'], timeout: 5 } }, context(), 'x64').ssh?.commandTimeoutMs).toBe(5_000);
    expect(normalizeOptions({ ssh: { commands: [] } }, context(), 'x64').ssh).toBeUndefined();
    expect(normalizeOptions({}, context(), 'x64').ssh).toBeUndefined();
  });

  test.each([
    [{ ssh: ['true'] }, /option "ssh" must be an object, e\.g\./],
    [{ ssh: { command: ['true'] } }, /"ssh" has "command", which it does not know: it takes "commands" and "timeout"/],
    [{ ssh: { commands: 'true' } }, /"ssh\.commands" must be a list of commands/],
    [{ ssh: { commands: ['true', ''] } }, /"ssh\.commands\[1\]" must be a command \(a non-empty string\) or \{ "name": \.\.\., "run": \.\.\. \}; got ""/],
    [{ ssh: { commands: [{ name: 'x', cmd: 'true' }] } }, /"ssh\.commands\[0\]" must be a command/],
    [{ ssh: { commands: ['true', { name: 'true', run: 'exit 0' }] } }, /names two checks "true": give each a name of its own/],
    [{ ssh: { commands: ['true'], timeout: 0 } }, /option "ssh\.timeout" must be a whole number of at least 1; got 0/],
  ])('ssh option %j is refused before anything boots', (options, message) => {
    artifacts(RECORD);
    expect(() => normalizeOptions(options as TestExecutorSchema, context(), 'x64')).toThrow(message);
  });
});
