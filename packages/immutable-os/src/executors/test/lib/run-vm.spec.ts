/**
 * bootOnce against real qemu (TCG), on disks that hold nothing to boot: the firmware's own failure
 * is seen and qemu is stopped (UEFI: OVMF drops to its shell; BIOS: SeaBIOS says so on its debug
 * port); a timeout stops it too. Booting real disks is the e2e's (convert and bootc-test specs).
 * tools/ci/setup-host.sh installs qemu-system-x86, qemu-utils and ovmf.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleWatch, DEFAULT_FAIL } from './console-watch';
import { findUefiFirmware, type VmSpec } from './qemu-argv';
import { bootOnce, kvmFailedEarly, type BootResult } from './run-vm';

let dir: string;
let disk: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootc-test-run-vm-'));
  disk = join(dir, 'empty.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function boot(spec: Partial<VmSpec>, expect: string[], timeoutMs: number): Promise<{ result: BootResult; console: string }> {
  const log = join(dir, `console-${Date.now()}.log`);
  const fd = openSync(log, 'w');
  try {
    const full: VmSpec = { arch: 'x86_64', accel: 'tcg', firmware: 'uefi', disk: { path: disk, format: 'qcow2' }, memoryMiB: 256, cpus: 1, ...spec };
    const result = await bootOnce(full, new ConsoleWatch(expect, DEFAULT_FAIL), { timeoutMs, consoleFd: fd });
    return { result, console: readFileSync(log, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

function uefi(): { code: string; vars: string } {
  const firmware = findUefiFirmware('x86_64');
  if (!firmware) throw new Error('No OVMF here: run bash tools/ci/setup-host.sh (it installs ovmf).');
  const vars = join(dir, `vars-${Date.now()}.fd`);
  copyFileSync(firmware.vars, vars);
  return { code: firmware.code, vars };
}

test('UEFI with nothing to boot: OVMF\'s shell fails the boot at once and qemu is stopped', async () => {
  const { result, console } = await boot({ uefi: uefi() }, ['system is up'], 90_000);
  expect(result).toMatchObject({ status: 'failed', accel: 'tcg', exit: { stoppedByUs: true } });
  expect(result.reason).toMatch(/UEFI Interactive Shell/);
  expect(console).toContain('UEFI Interactive Shell');
  expect(kvmFailedEarly(result)).toBe(false);
}, 120_000);

test('BIOS with nothing to boot: SeaBIOS\'s "No bootable device" on its debug port fails the boot', async () => {
  const { result } = await boot({ firmware: 'bios', biosLog: join(dir, 'seabios.log') }, ['system is up'], 90_000);
  expect(result).toMatchObject({ status: 'failed', exit: { stoppedByUs: true } });
  expect(result.reason).toMatch(/\[seabios\] No bootable device/);
}, 120_000);

test('a timeout stops qemu and names what the console never showed', async () => {
  const { result } = await boot({ uefi: uefi() }, ['system is up'], 1_500);
  expect(result).toMatchObject({ status: 'failed', exit: { stoppedByUs: true } });
  expect(result.reason).toBe('timed out after 2 s before the console showed /system is up/');
}, 60_000);

test('an argument qemu refuses ends the boot with its message', async () => {
  const { result } = await boot({ uefi: uefi(), extraArgs: ['-no-such-option'] }, ['system is up'], 30_000);
  expect(result).toMatchObject({ status: 'failed', exit: { stoppedByUs: false } });
  expect(result.reason).toMatch(/^qemu exited \(code 1\): .*-no-such-option/);
}, 60_000);

// Detected, not assumed: where KVM works the firmware runs (and its shell fails the boot); where it
// does not (CI machines of this kind: "KVM internal error" under nested virtualisation, after which
// qemu stays up with the guest stopped, or qemu aborting in its KVM code), the failure is the
// accelerator's, and qemu is stopped or gone either way.
test('a KVM boot either runs the firmware or is stopped as an accelerator failure, for bootc-test to retry with TCG', async () => {
  const { result } = await boot({ accel: 'kvm', uefi: uefi() }, ['system is up'], 90_000);
  expect(result.status).toBe('failed');
  if (result.acceleratorError !== undefined) {
    expect(result.reason).toMatch(/^KVM failed \(/);
    expect(kvmFailedEarly(result)).toBe(true);
  } else if (result.exit.signal === 'SIGABRT' && !result.exit.stoppedByUs) {
    expect(result.reason).toMatch(/^qemu exited \(signal SIGABRT\): .*kvm/);
    expect(kvmFailedEarly(result)).toBe(true);
  } else {
    expect(result.reason).toMatch(/UEFI Interactive Shell/);
    expect(kvmFailedEarly(result)).toBe(false);
  }
  expect(result.exit.stoppedByUs || result.exit.code !== null).toBe(true);
}, 120_000);

test('an abort (Ctrl-C, Nx ending the task) stops qemu: no process is left', async () => {
  const controller = new AbortController();
  const log = join(dir, 'abort.log');
  const fd = openSync(log, 'w');
  const spec: VmSpec = { arch: 'x86_64', accel: 'tcg', firmware: 'uefi', disk: { path: disk, format: 'qcow2' }, memoryMiB: 256, cpus: 1, uefi: uefi() };
  try {
    // No failure patterns: the firmware's shell would wait for ever.
    const running = bootOnce(spec, new ConsoleWatch(['system is up'], []), { timeoutMs: 120_000, consoleFd: fd, signal: controller.signal });
    setTimeout(() => controller.abort(), 2_000);
    const result = await running;
    expect(result).toMatchObject({ status: 'failed', reason: 'interrupted before the console showed /system is up/', exit: { stoppedByUs: true } });
    const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(disk) && line.includes('qemu-system'));
    expect(left).toEqual([]);
  } finally {
    closeSync(fd);
  }
}, 60_000);

test.each([
  ['KVM internal error. Suberror: 1', true],
  ["qemu-system-x86_64: ../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.", true],
  ['Could not access KVM kernel module: No such file or directory', true],
  ['qemu-system-x86_64: -drive file=x: Could not open x: No such file or directory', false],
])('kvmFailedEarly on a KVM boot that ended with %j: %s', (stderr, failed) => {
  const result: BootResult = { status: 'failed', accel: 'kvm', durationMs: 1, checks: [], consoleTail: [], exit: { code: null, signal: 'SIGABRT', stoppedByUs: false }, stderr };
  expect(kvmFailedEarly(result)).toBe(failed);
  expect(kvmFailedEarly({ ...result, accel: 'tcg' })).toBe(false);
});
