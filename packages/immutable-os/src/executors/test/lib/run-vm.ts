import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, writeSync } from 'node:fs';
import type { Check, ConsoleWatch } from './console-watch';
import type { SshCheck } from './ssh-checks';
import { qemuArgv, type Accel, type VmSpec } from './qemu-argv';

export interface BootResult {
  status: 'passed' | 'failed';
  reason?: string;
  accel: Accel;
  durationMs: number;
  checks: Check[];
  consoleTail: string[];
  /** How qemu ended: its exit code, or the signal bootc-test stopped it with. */
  exit: { code: number | null; signal: NodeJS.Signals | null; stoppedByUs: boolean };
  stderr: string;
  /** The SSH checks' outcomes, when the boot passed its console checks and had SSH checks. */
  ssh?: SshCheck[];
  /** The accelerator failed (qemu printed "KVM internal error" and stopped the guest without exiting): qemu was stopped. */
  acceleratorError?: string;
}

// What qemu prints when KVM cannot run the guest; after "KVM internal error" it stays up with the guest
// stopped. Under some nested hypervisors qemu aborts in its KVM code instead ("…/target/i386/kvm/kvm.c:3183:
// kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.", SIGABRT).
const KVM_FAILURE = /KVM internal error[^\n]*|Could not access KVM kernel module[^\n]*|failed to initialize kvm[^\n]*|KVM is not supported[^\n]*|kvm: [^\n]*|[^\n]*\/kvm\/kvm[^\n]*: Assertion [^\n]*/i;

export interface BootOptions {
  timeoutMs: number;
  /** An open file the console is copied to, as it comes. */
  consoleFd: number;
  signal?: AbortSignal;
  /** Replaces `qemu-system-<arch>` (tests give a path). */
  qemuBinary?: string;
  /**
   * Runs once the console passed, with the VM still up (the SSH checks); qemu is stopped when it
   * ends. Its signal aborts when the VM stops first (timeout, interruption, qemu's exit).
   */
  afterConsole?: (signal: AbortSignal) => Promise<SshCheck[]>;
}

const KILL_GRACE_MS = 3000;
const BIOS_LOG_POLL_MS = 500;

/**
 * Boots once and watches the console until every expected pattern matched, a failure pattern
 * matched, the timeout, or qemu's exit; qemu is stopped in every case (SIGTERM, then SIGKILL), also
 * when `signal` aborts. qemu exits 0 on SIGTERM, so whether it was stopped is recorded here.
 */
export function bootOnce(spec: VmSpec, watch: ConsoleWatch, options: BootOptions): Promise<BootResult> {
  const { command, args } = qemuArgv(spec);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.qemuBinary ?? command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let acceleratorError: string | undefined;
    let stoppedByUs = false;
    let settledReason: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      if (stoppedByUs || child.exitCode !== null || child.signalCode !== null) return;
      stoppedByUs = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const elapsed = () => Date.now() - started;
    const vmStopped = new AbortController();
    let after: Promise<SshCheck[]> | undefined;
    const feed = (text: string) => {
      if (watch.result.status !== 'running') return;
      const state = watch.feed(text, elapsed());
      if (state.status === 'passed' && options.afterConsole) {
        after = options.afterConsole(vmStopped.signal).finally(stop);
      } else if (state.status !== 'running') stop();
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      writeSync(options.consoleFd, chunk);
      feed(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      const kvm = spec.accel === 'kvm' && acceleratorError === undefined ? KVM_FAILURE.exec(stderr) : null;
      if (kvm) {
        acceleratorError = kvm[0].trim();
        settledReason = `KVM failed (${acceleratorError})`;
        stop();
      }
    });
    // SeaBIOS prints its errors on the debug port, not the serial console.
    let biosSeen = 0;
    const biosPoll = spec.biosLog
      ? setInterval(() => {
          const log = readIfExists(spec.biosLog as string);
          if (log.length > biosSeen) {
            const fresh = log.slice(biosSeen);
            biosSeen = log.length;
            feed(fresh.split('\n').map((l) => (l ? `[seabios] ${l}` : l)).join('\n'));
          }
        }, BIOS_LOG_POLL_MS)
      : undefined;
    const timeout = setTimeout(() => {
      settledReason = `timed out after ${Math.round(options.timeoutMs / 1000)} s`;
      stop();
    }, options.timeoutMs);
    const onAbort = () => {
      settledReason = 'interrupted';
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      clearTimeout(timeout);
      if (biosPoll) clearInterval(biosPoll);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`${options.qemuBinary ?? command} could not start: ${error.message}. Install qemu (Debian: qemu-system-x86 qemu-utils ovmf; bash tools/ci/setup-host.sh does).`, { cause: error }));
    });
    child.on('close', async (code, signal) => {
      clearTimeout(timeout);
      if (biosPoll) clearInterval(biosPoll);
      options.signal?.removeEventListener('abort', onAbort);
      vmStopped.abort();
      const ended = settledReason ?? `qemu exited (${signal ? `signal ${signal}` : `code ${code}`})${stderr.trim() ? `: ${lastLine(stderr)}` : ''}`;
      if (watch.result.status === 'running') watch.end(ended);
      const ssh = after ? await after.catch((error: Error) => error) : undefined;
      if (killTimer) clearTimeout(killTimer);
      if (ssh instanceof Error) return reject(ssh);
      const state = watch.result;
      let reason = state.status === 'failed' ? state.reason : undefined;
      const sshFailed = ssh?.find((c) => !c.passed);
      if (!reason && sshFailed) {
        reason = `the SSH check "${sshFailed.name}" failed: ${sshFailed.reason}${settledReason ? ` (the VM was stopped: ${settledReason})` : ''}`;
      }
      resolve({
        status: reason ? 'failed' : 'passed',
        ...(reason ? { reason } : {}),
        ...(ssh ? { ssh } : {}),
        accel: spec.accel,
        durationMs: elapsed(),
        checks: watch.checks,
        consoleTail: watch.tail(),
        exit: { code, signal, stoppedByUs },
        stderr,
        ...(acceleratorError ? { acceleratorError } : {}),
      });
    });
  });
}

/** Whether KVM can be tried: /dev/kvm exists and can be opened for reading and writing (it may still fail when used). */
export function kvmAvailable(device = '/dev/kvm'): boolean {
  if (!existsSync(device)) return false;
  try {
    accessSync(device, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A KVM boot that failed because KVM does not work here (nested virtualisation without the CPU
 * flags: "KVM internal error"; no module; no permission), before the guest passed: worth one retry
 * with TCG.
 */
export function kvmFailedEarly(result: BootResult): boolean {
  return result.accel === 'kvm' && result.status !== 'passed' && (result.acceleratorError !== undefined || (!result.exit.stoppedByUs && KVM_FAILURE.test(result.stderr)));
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
