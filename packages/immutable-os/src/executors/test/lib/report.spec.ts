import { checkResults, junitXml, type TestResult } from './report';

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
