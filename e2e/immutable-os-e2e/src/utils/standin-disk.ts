import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { run, runOk } from './run';

const MARKER = 'bib-standin ';

/**
 * The stand-in builder's line for a file it wrote, `bib-standin <type> <image id> <rootfs> <arch> …`:
 * the first line of its text files, or, in the bootable disks it makes (raw, qcow2, vmdk, vhd), the
 * line at the start of the BIOS boot partition, 1 MiB in (tools/fixtures/bib-standin/README.md).
 */
export function standinLine(file: string): string {
  const head = Buffer.alloc(MARKER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === MARKER) return readFileSync(file, 'utf8').split('\n')[0];
  const dir = mkdtempSync(join(tmpdir(), 'standin-line-'));
  try {
    // qemu-img dd's count includes the skipped blocks: this copies the second MiB.
    runOk('qemu-img', ['dd', `if=${file}`, `of=${join(dir, 'head')}`, '-O', 'raw', 'bs=1M', 'skip=1', 'count=2'], { cwd: dir, env: childEnv(), timeoutMs: 60_000 });
    return readFileSync(join(dir, 'head'), 'latin1').split('\n')[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Firmware = 'uefi' | 'bios';

export interface BootResult {
  /** Everything the VM printed on its serial console. */
  serial: string;
  seconds: number;
  accel: string;
}

const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

/**
 * Whether KVM works here: /dev/kvm can exist on hosts where qemu then fails with "KVM internal
 * error" (here in OVMF's first instructions, where a diskless SeaBIOS runs fine), so OVMF is
 * started under KVM for five seconds: when KVM works it prints nothing and is stopped.
 */
function kvmWorks(): boolean {
  if (!existsSync('/dev/kvm')) return false;
  const dir = mkdtempSync(join(tmpdir(), 'kvm-probe-'));
  try {
    copyFileSync(OVMF_VARS, join(dir, 'vars.fd'));
    const probe = run(
      'timeout',
      ['5', 'qemu-system-x86_64', '-nodefaults', '-machine', 'q35,accel=kvm', '-display', 'none', '-no-reboot', '-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,unit=1,file=${join(dir, 'vars.fd')}`],
      { cwd: dir, env: childEnv(), timeoutMs: 30_000 },
    );
    return probe.status === 124 && !/error|fail/i.test(probe.stdout + probe.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let chosenAccel: string | undefined;
/** kvm where it works, else tcg; E2E_QEMU_ACCEL overrides. */
export function qemuAccel(): string {
  chosenAccel ??= process.env.E2E_QEMU_ACCEL ?? (kvmWorks() ? 'kvm' : 'tcg');
  return chosenAccel;
}

/**
 * Boots `disk` (read-only: qemu's snapshot=on) in qemu with `firmware` until its serial console
 * prints `until`. A disk that does not boot does not fail by itself, so it also watches for
 * OVMF's shell, SeaBIOS's "No bootable device" (on its debug port: SeaBIOS prints nothing on the
 * serial console), a kernel panic and bootc-mini's initramfs failure. qemu is killed in every case.
 */
export async function bootDisk(disk: string, firmware: Firmware, until: RegExp, timeoutMs = 180_000): Promise<BootResult> {
  const dir = mkdtempSync(join(tmpdir(), 'boot-'));
  const accel = qemuAccel();
  // -nodefaults: no DVD drive for OVMF to try first; -no-reboot: a panic's reboot ends qemu.
  const args = ['-nodefaults', '-machine', `q35,accel=${accel}`, '-m', '512', '-smp', '1', '-display', 'none', '-serial', 'stdio', '-no-reboot'];
  if (firmware === 'uefi') {
    // Each run gets its own copy of the UEFI variables.
    copyFileSync(OVMF_VARS, join(dir, 'vars.fd'));
    args.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`, '-drive', `if=pflash,format=raw,unit=1,file=${join(dir, 'vars.fd')}`);
  } else {
    args.push('-chardev', `file,id=seabios,path=${join(dir, 'seabios.log')}`, '-device', 'isa-debugcon,iobase=0x402,chardev=seabios');
  }
  args.push('-drive', `file=${disk},if=virtio,snapshot=on`);
  const started = Date.now();
  const qemu = spawn('qemu-system-x86_64', args, { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
  let serial = '';
  qemu.stdout.on('data', (chunk) => (serial += chunk));
  qemu.stderr.on('data', (chunk) => (serial += chunk));
  const seabios = () => (firmware === 'bios' && existsSync(join(dir, 'seabios.log')) ? readFileSync(join(dir, 'seabios.log'), 'latin1') : '');
  const what = `qemu-system-x86_64 ${args.join(' ')}`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const check = (ended?: string) => {
        if (until.test(serial)) resolve();
        else if (/UEFI Interactive Shell|Kernel panic|KVM internal error|bootc-mini initramfs: FAILED/.test(serial) || /No bootable device/.test(seabios())) reject(new Error(`${disk} did not boot under ${firmware} (${what}):\n${serial}\n${seabios().slice(-2000)}`));
        else if (ended) reject(new Error(`qemu ended (${ended}) before printing ${until} under ${firmware} (${what}):\n${serial}`));
        else if (Date.now() - started > timeoutMs) reject(new Error(`${disk} printed no ${until} within ${timeoutMs / 1000}s under ${firmware} (${what}):\n${serial}`));
      };
      timer = setInterval(() => check(), 200);
      qemu.once('error', reject);
      qemu.once('close', (code, signal) => check(signal ?? `exit code ${code}`));
    });
    return { serial, seconds: (Date.now() - started) / 1000, accel };
  } finally {
    clearInterval(timer);
    if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
