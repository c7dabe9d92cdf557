import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** One command bootc-test runs in the guest over SSH; its exit code is the check. */
export interface SshCommand {
  name: string;
  run: string;
}

export interface SshCheck {
  name: string;
  command: string;
  passed: boolean;
  /** The command's exit code; null when it never ran to its end (no connection, timeout). */
  exitCode: number | null;
  /** Why it failed, when it did. */
  reason?: string;
  durationMs: number;
  /** The last lines of what it printed (stdout and stderr together). */
  output: string;
}

/** A throwaway key pair for one boot: the private key stays in `dir`, the public key goes to the guest. */
export interface ThrowawayKey {
  privateKey: string;
  publicKey: string;
}

// ssh's exit code when the connection or the login failed (the command's own codes are 0-254).
const SSH_FAILED = 255;
const RETRY_MS = 1_000;
const OUTPUT_TAIL = 4_000;

/** Makes an ed25519 key pair without a passphrase with ssh-keygen (openssh-client). */
export async function throwawayKey(dir: string, sshKeygen = 'ssh-keygen'): Promise<ThrowawayKey> {
  const privateKey = join(dir, 'bootc-test-key');
  const { code, output } = await runProcess(sshKeygen, ['-q', '-t', 'ed25519', '-N', '', '-C', 'bootc-test throwaway key', '-f', privateKey], 30_000);
  if (code !== 0) {
    throw new Error(
      code === null && /ENOENT/.test(output)
        ? `bootc-test runs SSH checks with ssh-keygen and ssh, which are not installed: install openssh-client (bash tools/ci/setup-host.sh does), or remove the "ssh" option.`
        : `ssh-keygen could not make a throwaway key (exit ${code}): ${output.trim()}`,
    );
  }
  return { privateKey, publicKey: readFileSync(`${privateKey}.pub`, 'utf8').trim() };
}

/**
 * The systemd credentials that give root the key on a bootc system, as SMBIOS type 11 strings:
 * `ssh.authorized_keys.root` (systemd's tmpfiles.d/provision.conf appends it to
 * /root/.ssh/authorized_keys, systemd 252 and later) and the same key as a `tmpfiles.extra` line,
 * as bcvk passes it, for systems whose systemd ships no provision.conf line for it.
 */
export function sshCredentials(publicKey: string): string[] {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const tmpfiles = `d /root/.ssh 0700 - - -\nf+~ /root/.ssh/authorized_keys 0600 - - - ${b64(publicKey)}\n`;
  return [`io.systemd.credential.binary:ssh.authorized_keys.root=${b64(`${publicKey}\n`)}`, `io.systemd.credential.binary:tmpfiles.extra=${b64(tmpfiles)}`];
}

/** A free TCP port on the loopback interface, for qemu's host forward to the guest's port 22. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('No port was assigned.'))));
    });
  });
}

/** ssh's arguments for one command: the throwaway key only, no host key kept, no prompt, loopback. */
export function sshArgv(port: number, privateKey: string, command: string, connectTimeoutS = 5): string[] {
  return [
    '-i', privateKey,
    '-p', String(port),
    '-F', 'none',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR',
    '-o', `ConnectTimeout=${connectTimeoutS}`,
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
    'root@127.0.0.1',
    '--',
    command,
  ];
}

export interface SshRunOptions {
  port: number;
  privateKey: string;
  commands: readonly SshCommand[];
  /** Time by which the guest must accept the key (the boot's own deadline). */
  deadline: number;
  commandTimeoutMs: number;
  signal?: AbortSignal;
  /** Each command and its output, as they come (ssh.log). */
  log: (text: string) => void;
  /** Replaces `ssh` (tests give a path). */
  sshBinary?: string;
}

/**
 * Waits until the guest accepts the throwaway key (retrying `true` until the deadline), then runs
 * each command in order; each is a check that passes on exit code 0. Nothing runs after an abort.
 */
export async function runSshChecks(options: SshRunOptions): Promise<SshCheck[]> {
  const ssh = options.sshBinary ?? 'ssh';
  const started = Date.now();
  let lastError = '';
  let connected = false;
  while (!options.signal?.aborted && Date.now() < options.deadline) {
    const left = options.deadline - Date.now();
    const attempt = await runProcess(ssh, sshArgv(options.port, options.privateKey, 'true', Math.max(1, Math.min(5, Math.ceil(left / 1000)))), Math.max(1000, Math.min(15_000, left)), options.signal);
    if (attempt.code === 0) {
      connected = true;
      break;
    }
    if (attempt.code === null && /ENOENT/.test(attempt.output)) throw new Error('bootc-test runs SSH checks with ssh, which is not installed: install openssh-client (bash tools/ci/setup-host.sh does), or remove the "ssh" option.');
    lastError = attempt.output.trim().split('\n').at(-1) ?? `exit ${attempt.code}`;
    await sleep(Math.min(RETRY_MS, Math.max(0, options.deadline - Date.now())), options.signal);
  }
  if (!connected) {
    const why = options.signal?.aborted ? 'interrupted' : `the guest did not accept the throwaway key for root on port 22 within the timeout${lastError ? ` (ssh: ${lastError})` : ''}`;
    options.log(`# no SSH connection: ${why}\n`);
    return options.commands.map((c) => ({ name: c.name, command: c.run, passed: false, exitCode: null, reason: `not run: ${why}`, durationMs: 0, output: '' }));
  }
  options.log(`# connected as root after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const checks: SshCheck[] = [];
  for (const command of options.commands) {
    if (options.signal?.aborted) {
      checks.push({ name: command.name, command: command.run, passed: false, exitCode: null, reason: 'not run: interrupted', durationMs: 0, output: '' });
      continue;
    }
    options.log(`\n$ ${command.run}\n`);
    const t0 = Date.now();
    const result = await runProcess(ssh, sshArgv(options.port, options.privateKey, command.run), options.commandTimeoutMs, options.signal, options.log);
    const durationMs = Date.now() - t0;
    const output = result.output.length > OUTPUT_TAIL ? result.output.slice(-OUTPUT_TAIL) : result.output;
    let reason: string | undefined;
    if (result.timedOut) reason = `timed out after ${Math.round(options.commandTimeoutMs / 1000)} s`;
    else if (result.code === null) reason = options.signal?.aborted ? 'interrupted' : `ssh ended by ${result.signal ?? 'an error'}`;
    else if (result.code === SSH_FAILED) reason = `exit ${SSH_FAILED}: the command or the SSH connection failed${lastLine(output) ? ` (${lastLine(output)})` : ''}`;
    else if (result.code !== 0) reason = `exit ${result.code}`;
    options.log(`# ${reason ?? 'exit 0'}\n`);
    checks.push({ name: command.name, command: command.run, passed: reason === undefined, exitCode: result.code, ...(reason ? { reason } : {}), durationMs, output });
  }
  return checks;
}

interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

// Runs a program from an argument array (no shell), with a timeout and an abort signal; stdin is closed.
function runProcess(command: string, args: string[], timeoutMs: number, signal?: AbortSignal, onOutput?: (text: string) => void): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      onOutput?.(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    signal?.addEventListener('abort', kill, { once: true });
    const done = (result: Omit<ProcessResult, 'timedOut'>) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      resolve({ ...result, timedOut });
    };
    child.on('error', (error) => done({ code: null, signal: null, output: `${output}${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}` }));
    child.on('close', (code, sig) => done({ code, signal: sig, output }));
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
