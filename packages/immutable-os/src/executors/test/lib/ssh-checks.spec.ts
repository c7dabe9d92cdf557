/**
 * The SSH checks' runner against a fake `ssh` (argv and exit codes: it refuses the first
 * connections as a booting guest does, then "runs" a few commands), and the real ssh-keygen for
 * the throwaway key. Commands in a booted guest over real SSH are the e2e's (boot-test.spec.ts).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, runSshChecks, sshArgv, sshCredentials, throwawayKey, type SshRunOptions } from './ssh-checks';

let dir: string;
let fakeSsh: string;

// Refuses as many connections as the file `refuse` says (exit 255, as ssh does), then: `true` 0,
// `exit N` N, `echo X` prints X, `hang` never ends. Appends each argv to calls.jsonl. (Its folder
// is written into it: jest's process.env is not what child processes get.)
const FAKE = (folder: string) => `#!/usr/bin/env node
const fs = require('node:fs');
const dir = ${JSON.stringify(folder)};
fs.appendFileSync(dir + '/calls.jsonl', JSON.stringify(process.argv.slice(2)) + '\\n');
const count = dir + '/attempts';
const attempts = fs.existsSync(count) ? Number(fs.readFileSync(count, 'utf8')) : 0;
fs.writeFileSync(count, String(attempts + 1));
const refuse = fs.existsSync(dir + '/refuse') ? Number(fs.readFileSync(dir + '/refuse', 'utf8')) : 0;
if (attempts < refuse) {
  process.stderr.write('ssh: connect to host 127.0.0.1 port 2222: Connection refused\\n');
  process.exit(255);
}
const command = process.argv.at(-1);
if (command === 'hang') setInterval(() => {}, 1000);
else if (command.startsWith('exit ')) process.exit(Number(command.slice(5)));
else if (command.startsWith('echo ')) { process.stdout.write(command.slice(5) + '\\n'); process.exit(0); }
else process.exit(command === 'true' ? 0 : 127);
`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootc-test-ssh-'));
  fakeSsh = join(dir, 'ssh');
  writeFileSync(fakeSsh, FAKE(dir));
  chmodSync(fakeSsh, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const refuse = (connections: number) => writeFileSync(join(dir, 'refuse'), String(connections));

function options(overrides: Partial<SshRunOptions>): SshRunOptions & { logged: string[] } {
  const logged: string[] = [];
  return { port: 2222, privateKey: join(dir, 'key'), commands: [], deadline: Date.now() + 20_000, commandTimeoutMs: 10_000, log: (t) => logged.push(t), sshBinary: fakeSsh, logged, ...overrides };
}

function calls(): string[][] {
  return readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
}

test('sshArgv: the throwaway key only, no config file, no host key kept, no prompt, root on loopback, the command after --', () => {
  expect(sshArgv(40022, '/s/key', 'systemctl is-system-running --wait')).toEqual([
    '-i', '/s/key', '-p', '40022', '-F', 'none',
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
    '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3',
    'root@127.0.0.1', '--', 'systemctl is-system-running --wait',
  ]);
});

test('waits for the guest to accept the key, then runs each command in order: exit 0 passes, any other code fails', async () => {
  refuse(2);
  const run = options({ commands: [{ name: 'hello', run: 'echo hello from the guest' }, { name: 'app', run: 'exit 3' }, { name: 'no such', run: 'frobnicate' }] });
  const checks = await runSshChecks(run);
  expect(checks.map((c) => [c.name, c.passed, c.exitCode, c.reason ?? null])).toEqual([
    ['hello', true, 0, null],
    ['app', false, 3, 'exit 3'],
    ['no such', false, 127, 'exit 127'],
  ]);
  expect(checks[0].output).toBe('hello from the guest\n');
  // Two refused tries and the one that got in, then one call per command, each the command as one argument.
  expect(calls().map((argv) => argv.at(-1))).toEqual(['true', 'true', 'true', 'echo hello from the guest', 'exit 3', 'frobnicate']);
  expect(run.logged.join('')).toMatch(/# connected as root after [\d.]+ s\n\n\$ echo hello from the guest\nhello from the guest\n# exit 0\n/);
}, 30_000);

test('a guest that never accepts the key: every check fails as not run, with ssh\'s last word', async () => {
  refuse(1000);
  const checks = await runSshChecks(options({ commands: [{ name: 'a', run: 'true' }, { name: 'b', run: 'true' }], deadline: Date.now() + 2_500 }));
  expect(checks.map((c) => [c.passed, c.exitCode])).toEqual([[false, null], [false, null]]);
  expect(checks[0].reason).toBe('not run: the guest did not accept the throwaway key for root on port 22 within the timeout (ssh: ssh: connect to host 127.0.0.1 port 2222: Connection refused)');
}, 30_000);

test('a command that takes longer than ssh.timeout is stopped and fails; the next still runs', async () => {
  const checks = await runSshChecks(options({ commands: [{ name: 'slow', run: 'hang' }, { name: 'after', run: 'true' }], commandTimeoutMs: 1_000 }));
  expect(checks.map((c) => [c.name, c.passed, c.reason ?? null])).toEqual([
    ['slow', false, 'timed out after 1 s'],
    ['after', true, null],
  ]);
}, 30_000);

test('exit 255 is named as the command or the connection failing', async () => {
  const [check] = await runSshChecks(options({ commands: [{ name: 'x', run: 'exit 255' }] }));
  expect(check.reason).toBe('exit 255: the command or the SSH connection failed');
}, 30_000);

test('an abort (the VM stopped) ends the running command and runs no more', async () => {
  const controller = new AbortController();
  const pending = runSshChecks(options({ commands: [{ name: 'slow', run: 'hang' }, { name: 'after', run: 'true' }], signal: controller.signal }));
  setTimeout(() => controller.abort(), 1_500);
  const checks = await pending;
  expect(checks.map((c) => [c.passed, c.reason])).toEqual([
    [false, 'interrupted'],
    [false, 'not run: interrupted'],
  ]);
}, 30_000);

test('no ssh on the host: a clear error that names openssh-client', async () => {
  await expect(runSshChecks(options({ commands: [{ name: 'a', run: 'true' }], sshBinary: join(dir, 'missing-ssh') }))).rejects.toThrow(/ssh, which is not installed: install openssh-client/);
});

test('throwawayKey makes an ed25519 pair with the real ssh-keygen; sshCredentials carry its public key both ways systemd reads it', async () => {
  const key = await throwawayKey(dir);
  expect(existsSync(key.privateKey)).toBe(true);
  expect(key.publicKey).toMatch(/^ssh-ed25519 AAAA\S+ bootc-test throwaway key$/);
  const [authorized, tmpfiles] = sshCredentials(key.publicKey);
  const value = (credential: string, name: string) => Buffer.from(credential.slice(`io.systemd.credential.binary:${name}=`.length), 'base64').toString();
  expect(authorized.startsWith('io.systemd.credential.binary:ssh.authorized_keys.root=')).toBe(true);
  expect(value(authorized, 'ssh.authorized_keys.root')).toBe(`${key.publicKey}\n`);
  const lines = value(tmpfiles, 'tmpfiles.extra').trim().split('\n');
  expect(lines[0]).toBe('d /root/.ssh 0700 - - -');
  const [type, path, mode, , , , arg] = lines[1].split(' ');
  expect([type, path, mode, Buffer.from(arg, 'base64').toString()]).toEqual(['f+~', '/root/.ssh/authorized_keys', '0600', key.publicKey]);
  await expect(throwawayKey(dir, join(dir, 'no-ssh-keygen'))).rejects.toThrow(/install openssh-client/);
});

test('freeLoopbackPort gives a port nothing listens on', async () => {
  const port = await freeLoopbackPort();
  expect(port).toBeGreaterThan(1023);
  expect(port).toBeLessThan(65536);
});
