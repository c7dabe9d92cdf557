import type { Check } from './console-watch';
import type { SshCheck, SshCommand } from './ssh-checks';
import type { Accel, Firmware, VmArch } from './qemu-argv';

export const RESULT_JSON = 'result.json';
export const JUNIT_XML = 'junit.xml';
export const CONSOLE_LOG = 'console.log';
export const SSH_LOG = 'ssh.log';

export interface TestResult {
  project: string;
  status: 'passed' | 'failed';
  reason: string | null;
  disk: { type: string; path: string; sha256: string | null };
  imageId: string | null;
  arch: VmArch;
  firmware: Firmware;
  accel: Accel;
  /** Why the accelerator is what it is (KVM failed and TCG was used, KVM not available, the option). */
  accelNote: string;
  durationMs: number;
  checks: Array<{ kind: Check['kind']; pattern: string; passed: boolean; line: string | null; atMs: number | null }>;
  /** The SSH checks, in order, when the ssh option has commands. */
  ssh?: Array<{ name: string; command: string; passed: boolean; exitCode: number | null; reason: string | null; durationMs: number; output: string }>;
  console: string;
  sshLog?: string;
}

/** Each SSH command's outcome; a command that never got its turn (the console failed first) is a failed check. */
export function sshResults(commands: readonly SshCommand[], checks: readonly SshCheck[] | undefined): NonNullable<TestResult['ssh']> {
  return commands.map((command, i) => {
    const check = checks?.[i];
    if (!check) return { name: command.name, command: command.run, passed: false, exitCode: null, reason: 'not run: the boot failed before the SSH checks', durationMs: 0, output: '' };
    return { name: check.name, command: check.command, passed: check.passed, exitCode: check.exitCode, reason: check.reason ?? null, durationMs: check.durationMs, output: check.output };
  });
}

/** Each check's outcome: an expected pattern passes when it matched, a failure pattern when it did not. */
export function checkResults(checks: readonly Check[]): TestResult['checks'] {
  return checks.map((c) => ({
    kind: c.kind,
    pattern: c.pattern,
    passed: c.kind === 'expect' ? c.line !== undefined : c.line === undefined,
    line: c.line ?? null,
    atMs: c.atMs === undefined || Number.isNaN(c.atMs) ? null : c.atMs,
  }));
}

/** JUnit XML for CI systems: one test case per check (console patterns, then SSH commands), in a suite named after the project. */
export function junitXml(result: TestResult): string {
  const consoleCases = result.checks.map((check) => {
    const name = `${check.kind === 'expect' ? 'console shows' : 'console never shows'} /${check.pattern}/`;
    const time = ((check.atMs ?? result.durationMs) / 1000).toFixed(3);
    const failure = check.passed
      ? ''
      : `\n      <failure message="${escape(check.kind === 'expect' ? `not seen: ${result.reason ?? ''}` : `seen: ${check.line ?? ''}`)}"/>`;
    return `    <testcase classname="bootc-test.${escape(result.project)}" name="${escape(name)}" time="${time}">${failure}${failure ? '\n    ' : ''}</testcase>`;
  });
  const sshCases = (result.ssh ?? []).map((check) => {
    const body = [
      check.passed ? '' : `\n      <failure message="${escape(check.reason ?? 'failed')}"/>`,
      check.output ? `\n      <system-out>${escape(check.output)}</system-out>` : '',
    ].join('');
    return `    <testcase classname="bootc-test.${escape(result.project)}.ssh" name="${escape(`ssh: ${check.name}`)}" time="${(check.durationMs / 1000).toFixed(3)}">${body}${body ? '\n    ' : ''}</testcase>`;
  });
  const cases = [...consoleCases, ...sshCases];
  const tests = result.checks.length + (result.ssh?.length ?? 0);
  const failures = result.checks.filter((c) => !c.passed).length + (result.ssh ?? []).filter((c) => !c.passed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bootc-test" tests="${tests}" failures="${failures}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="${escape(result.project)}" tests="${tests}" failures="${failures}" time="${(result.durationMs / 1000).toFixed(3)}">`,
    `    <properties><property name="accel" value="${result.accel}"/><property name="firmware" value="${result.firmware}"/><property name="disk" value="${escape(result.disk.path)}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function escape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
