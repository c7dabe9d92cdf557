import { checkResults, junitXml, sshResults, type TestResult } from './report';

const result: TestResult = {
  project: 'kiosk',
  status: 'failed',
  reason: 'the console showed "Kernel panic <x>" (fail pattern /Kernel panic/)',
  disk: { type: 'qcow2', path: 'dist/disks/kiosk/qcow2/disk.qcow2', sha256: 'ab' },
  imageId: 'f00',
  arch: 'x86_64',
  firmware: 'uefi',
  accel: 'tcg',
  accelNote: 'TCG: KVM failed',
  durationMs: 12_345,
  checks: checkResults([
    { kind: 'expect', pattern: 'system is up' },
    { kind: 'fail', pattern: 'Kernel panic', line: 'Kernel panic <x>', atMs: 12_000 },
    { kind: 'fail', pattern: 'emergency mode' },
  ]),
  console: 'console.log',
};

test('checkResults: an expected pattern passes when seen, a failure pattern when not', () => {
  expect(result.checks.map((c) => [c.kind, c.passed, c.line, c.atMs])).toEqual([
    ['expect', false, null, null],
    ['fail', false, 'Kernel panic <x>', 12_000],
    ['fail', true, null, null],
  ]);
});

test('junitXml: a test case per check, failures with escaped messages', () => {
  const xml = junitXml(result);
  expect(xml).toContain('<testsuites name="bootc-test" tests="3" failures="2" time="12.345">');
  expect(xml).toContain('<testcase classname="bootc-test.kiosk" name="console never shows /Kernel panic/" time="12.000">');
  expect(xml).toContain('<failure message="seen: Kernel panic &lt;x&gt;"/>');
  expect(xml).toContain('<failure message="not seen: the console showed &quot;Kernel panic &lt;x&gt;&quot; (fail pattern /Kernel panic/)"/>');
  expect(xml).toContain('<testcase classname="bootc-test.kiosk" name="console never shows /emergency mode/" time="12.345"></testcase>');
});

test('sshResults and junitXml: a test case per SSH command with its output; one the boot never reached fails as not run', () => {
  const commands = [{ name: 'bootc status', run: 'bootc status' }, { name: 'the app', run: 'systemctl is-active app' }, { name: 'later', run: 'true' }];
  const ssh = sshResults(commands, [
    { name: 'bootc status', command: 'bootc status', passed: true, exitCode: 0, durationMs: 1_200, output: 'booted: <ok>\n' },
    { name: 'the app', command: 'systemctl is-active app', passed: false, exitCode: 3, reason: 'exit 3', durationMs: 300, output: 'inactive\n' },
  ]);
  expect(ssh.map((c) => [c.name, c.passed, c.exitCode, c.reason])).toEqual([
    ['bootc status', true, 0, null],
    ['the app', false, 3, 'exit 3'],
    ['later', false, null, 'not run: the boot failed before the SSH checks'],
  ]);
  const xml = junitXml({ ...result, ssh });
  expect(xml).toContain('tests="6" failures="4"');
  expect(xml).toContain('<testcase classname="bootc-test.kiosk.ssh" name="ssh: bootc status" time="1.200">\n      <system-out>booted: &lt;ok&gt;\n</system-out>\n    </testcase>');
  expect(xml).toContain('<testcase classname="bootc-test.kiosk.ssh" name="ssh: the app" time="0.300">\n      <failure message="exit 3"/>\n      <system-out>inactive\n</system-out>');
  expect(sshResults(commands, undefined).every((c) => !c.passed && c.exitCode === null)).toBe(true);
});
