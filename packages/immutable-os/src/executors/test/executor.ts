import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { replaceDirAtomically } from '../../utils/atomic-dir';
import { workspaceRelative } from '../../utils/workspace-path';
import { ConsoleWatch } from './lib/console-watch';
import { normalizeOptions, NothingToBoot, type NormalizedTestOptions } from './lib/normalize-options';
import { findUefiFirmware, qemuArgv, type Accel, type VmSpec } from './lib/qemu-argv';
import { CONSOLE_LOG, JUNIT_XML, RESULT_JSON, checkResults, junitXml, type TestResult } from './lib/report';
import { bootOnce, kvmAvailable, kvmFailedEarly, type BootResult } from './lib/run-vm';
import type { TestExecutorSchema } from './schema';

/** Boots the converted disk in qemu and checks its console (bootc-test). */
export default async function testExecutor(schema: TestExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  let options: NormalizedTestOptions;
  try {
    options = normalizeOptions(schema, context);
  } catch (error) {
    if (!(error instanceof NothingToBoot)) throw error;
    console.log(`bootc-test: nothing to boot for ${context.projectName}: ${error.message}`);
    return { success: true };
  }
  const firmware = options.firmware === 'uefi' ? findUefiFirmware(options.arch) : undefined;
  if (options.firmware === 'uefi' && !firmware) {
    throw new Error(
      `bootc-test found no UEFI firmware for ${options.arch} (looked for OVMF/AAVMF in /usr/share/OVMF, /usr/share/AAVMF, /usr/share/edk2): install Debian's ${options.arch === 'x86_64' ? 'ovmf' : 'qemu-efi-aarch64'} (Fedora: edk2-ovmf), or set firmware to bios.`,
    );
  }
  const controller = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted ??= signal;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const scratch = mkdtempSync(join(tmpdir(), 'immutable-os-bootc-test-'));
  try {
    const result = await replaceDirAtomically(options.outputPath, async (staging) => {
      const consoleFd = openSync(join(staging, CONSOLE_LOG), 'w');
      try {
        const { boot, accelNote } = await bootWithAccel(options, firmware, scratch, consoleFd, controller.signal);
        if (interrupted) throw new Error(`Interrupted by ${interrupted}: the VM was stopped.`);
        const report: TestResult = {
          project: options.projectName,
          status: boot.status,
          reason: boot.reason ?? null,
          disk: { type: options.disk.type, path: workspaceRelative(options.disk.path, context.root), sha256: options.disk.sha256 },
          imageId: options.imageId,
          arch: options.arch,
          firmware: options.firmware,
          accel: boot.accel,
          accelNote,
          durationMs: boot.durationMs,
          checks: checkResults(boot.checks),
          console: CONSOLE_LOG,
        };
        writeFileSync(join(staging, RESULT_JSON), `${JSON.stringify(report, null, 2)}\n`);
        writeFileSync(join(staging, JUNIT_XML), junitXml(report));
        return { report, boot };
      } finally {
        closeSync(consoleFd);
      }
    });
    const out = workspaceRelative(options.outputPath, context.root);
    const seconds = (result.report.durationMs / 1000).toFixed(1);
    if (result.report.status === 'passed') {
      console.log(`bootc-test: ${options.projectName} booted (${result.report.accel}, ${options.firmware}) and showed every expected line in ${seconds} s; reports in ${out}.`);
      return { success: true };
    }
    console.error(
      [
        `bootc-test: ${options.projectName} failed after ${seconds} s (${result.report.accel}, ${options.firmware}): ${result.report.reason}.`,
        'The console ended with:',
        ...result.boot.consoleTail.slice(-20).map((line) => `  | ${line}`),
        `Console, result.json and junit.xml: ${out}.`,
      ].join('\n'),
    );
    return { success: false };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(scratch, { recursive: true, force: true });
  }
}

// Boots with KVM where it works and TCG otherwise: `auto` tries KVM when /dev/kvm opens, and boots
// again with TCG when KVM fails before the guest shows anything ("KVM internal error" under nested
// virtualisation), saying so.
async function bootWithAccel(
  options: NormalizedTestOptions,
  firmware: { code: string; vars: string } | undefined,
  scratch: string,
  consoleFd: number,
  signal: AbortSignal,
): Promise<{ boot: BootResult; accelNote: string }> {
  const boot = (accel: Accel, attempt: number) => {
    const spec: VmSpec = {
      arch: options.arch,
      accel,
      firmware: options.firmware,
      disk: { path: options.disk.path, format: options.disk.type },
      memoryMiB: options.memoryMiB,
      cpus: options.cpus,
      extraArgs: options.extraArgs,
    };
    if (firmware) {
      // Each boot writes its own copy of the variables file.
      const vars = join(scratch, `vars-${attempt}.fd`);
      copyFileSync(firmware.vars, vars);
      spec.uefi = { code: firmware.code, vars };
    } else {
      spec.biosLog = join(scratch, `seabios-${attempt}.log`);
    }
    const { command, args } = qemuArgv(spec);
    console.log(`bootc-test: booting ${workspaceRelative(options.disk.path, options.workspaceRoot)} with ${accel.toUpperCase()}:\n  ${[command, ...args].join(' ')}`);
    return bootOnce(spec, new ConsoleWatch(options.expect, options.fail), { timeoutMs: options.timeoutMs, consoleFd, signal });
  };
  if (options.accel !== 'auto') return { boot: await boot(options.accel, 1), accelNote: `accel option: ${options.accel}` };
  if (!kvmAvailable()) return { boot: await boot('tcg', 1), accelNote: 'TCG: /dev/kvm is missing or cannot be opened' };
  const first = await boot('kvm', 1);
  if (!kvmFailedEarly(first)) return { boot: first, accelNote: 'KVM' };
  const why = first.acceleratorError ?? first.stderr.trim().split('\n').find((line) => /kvm/i.test(line)) ?? 'it failed';
  console.log(`bootc-test: KVM failed before the guest started (${why.trim()}); booting again with TCG (software emulation, several times slower).`);
  writeSyncSeparator(consoleFd);
  return { boot: await boot('tcg', 2), accelNote: `TCG: KVM failed (${why.trim()})` };
}

function writeSyncSeparator(fd: number): void {
  writeFileSync(fd, '\n--- bootc-test: KVM failed; booting again with TCG ---\n');
}
