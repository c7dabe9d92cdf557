import { spawnSync } from 'node:child_process';

/** Runs a program (argument array, never a shell); throws with its exit and the end of its output when it fails. */
export function run(command, args, { cwd, env = process.env, capture = true, input } = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: capture ? ['pipe', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  if (result.error) throw new Error(`${command} could not start in ${cwd}: ${result.error.message}`);
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${display(command, args)} (in ${cwd}) exited with ${result.status ?? result.signal}${tail ? `:\n${tail}` : ''}`);
  }
  return result;
}

/** A command as a user would paste it into a POSIX shell (for logs and the report only). */
export function display(command, args) {
  return [command, ...args].map(shellQuote).join(' ');
}

/** One argument quoted for a POSIX shell when it needs it. */
export function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
