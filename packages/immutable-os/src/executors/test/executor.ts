import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { replaceDirAtomically } from '../../utils/atomic-dir';
import { workspaceRelative } from '../../utils/workspace-path';
import { ConsoleWatch } from './lib/console-watch';
import { normalizeOptions, NothingToBoot, type NormalizedTestOptions } from './lib/normalize-options';
import { findUefiFirmware, qemuArgv, type Accel, type VmSpec } from './lib/qemu-argv';
import { CONSOLE_LOG, JUNIT_XML, RESULT_JSON, SSH_LOG, checkResults, junitXml, sshResults, type TestResult } from './lib/report';
import { bootOnce, kvmAvailable, kvmFailedEarly, type BootResult } from './lib/run-vm';
import { freeLoopbackPort, runSshChecks, sshCredentials, throwawayKey, type ThrowawayKey } from './lib/ssh-checks';
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
      const sshLogFd = options.ssh ? openSync(join(staging, SSH_LOG), 'w') : undefined;
      try {
        const key = options.ssh ? await throwawayKey(scratch) : undefined;
        const { boot, accelNote } = await bootWithAccel(options, firmware, scratch, { consoleFd, sshLogFd, key }, controller.signal);
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
          ...(options.ssh ? { ssh: sshResults(options.ssh.commands, boot.ssh) } : {}),
          console: CONSOLE_LOG,
          ...(options.ssh ? { sshLog: SSH_LOG } : {}),
        };
        writeFileSync(join(staging, RESULT_JSON), `${JSON.stringify(report, null, 2)}\n`);
        writeFileSync(join(staging, JUNIT_XML), junitXml(report));
        return { report, boot };
      } finally {
        closeSync(consoleFd);
        if (sshLogFd !== undefined) closeSync(sshLogFd);
      }
    });
    const out = workspaceRelative(options.outputPath, context.root);
    const seconds = (result.report.durationMs / 1000).toFixed(1);
    if (result.report.status === 'passed') {
      const ssh = options.ssh ? ` and passed ${options.ssh.commands.length} SSH check${options.ssh.commands.length === 1 ? '' : 's'}` : '';
      console.log(`bootc-test: ${options.projectName} booted (${result.report.accel}, ${options.firmware}) and showed every expected line${ssh} in ${seconds} s; reports in ${out}.`);
      return { success: true };
    }
    const sshFailed = result.boot.ssh?.find((c) => !c.passed && c.exitCode !== null);
    console.error(
      [
        `bootc-test: ${options.projectName} failed after ${seconds} s (${result.report.accel}, ${options.firmware}): ${result.report.reason}.`,
        ...(sshFailed
          ? [`\`${sshFailed.command}\` printed:`, ...(sshFailed.output.trim() ? sshFailed.output.trim().split('\n').slice(-20) : ['(nothing)']).map((line) => `  | ${line}`)]
          : ['The console ended with:', ...result.boot.consoleTail.slice(-20).map((line) => `  | ${line}`)]),
        `${options.ssh ? 'Console, result.json, junit.xml and ssh.log' : 'Console, result.json and junit.xml'}: ${out}.`,
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
  files: { consoleFd: number; sshLogFd?: number; key?: ThrowawayKey },
  signal: AbortSignal,
): Promise<{ boot: BootResult; accelNote: string }> {
  const { consoleFd } = files;
  const boot = async (accel: Accel, attempt: number) => {
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
    const ssh = options.ssh && files.key ? { ...options.ssh, key: files.key, port: await freeLoopbackPort() } : undefined;
    if (ssh) spec.ssh = { port: ssh.port, credentials: sshCredentials(ssh.key.publicKey) };
    const { command, args } = qemuArgv(spec);
    console.log(`bootc-test: booting ${workspaceRelative(options.disk.path, options.workspaceRoot)} with ${accel.toUpperCase()}:\n  ${[command, ...args].join(' ')}`);
    const deadline = Date.now() + options.timeoutMs;
    const sshLog = (text: string) => {
      if (files.sshLogFd !== undefined) writeFileSync(files.sshLogFd, text);
    };
    return bootOnce(spec, new ConsoleWatch(options.expect, options.fail), {
      timeoutMs: options.timeoutMs,
      consoleFd,
      signal,
      ...(ssh
        ? {
            afterConsole: (vmStopped: AbortSignal) => {
              console.log(`bootc-test: the console passed; running ${ssh.commands.length} command(s) over SSH (root@127.0.0.1:${ssh.port}, the guest's port 22).`);
              return runSshChecks({ port: ssh.port, privateKey: ssh.key.privateKey, commands: ssh.commands, deadline, commandTimeoutMs: ssh.commandTimeoutMs, signal: vmStopped, log: sshLog });
            },
          }
        : {}),
    });
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
