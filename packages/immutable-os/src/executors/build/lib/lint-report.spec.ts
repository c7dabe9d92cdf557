import { parseContainerfile } from '../../../utils/containerfile';
import type { ImageLintRun } from './image-lint';
import { imageLintFailure, imageLintFindings, imageStageLine, lintReport, skippedNotes } from './lint-report';

const RAN: ImageLintRun = {
  status: 'ran',
  format: 'v1.1.5+',
  failed: true,
  results: [
    { lint: 'var-log', kind: 'warning', message: 'Found non-empty logfiles:\n  /var/log/a' },
    { lint: 'kernel', kind: 'fatal', message: 'Found multiple subdirectories in usr/lib/modules', stopped: true },
  ],
};

describe('the merged report', () => {
  test('findings point at the FROM of the stage built (the target, else the last); a platform and a stop are said', () => {
    const parsed = parseContainerfile('FROM a AS build\nRUN x\nFROM b AS final\nRUN y\nFROM c AS debug\n');
    expect(imageStageLine({ file: 'images/x/Containerfile' }, parsed, 'final')).toEqual({ file: 'images/x/Containerfile', line: 3 });
    expect(imageStageLine({ file: 'images/x/Containerfile' }, parsed, undefined)).toEqual({ file: 'images/x/Containerfile', line: 5 });
    const findings = imageLintFindings([{ ...RAN, platform: 'linux/arm64' }], { file: 'images/x/Containerfile', line: 3 });
    expect(findings.map((f) => [f.severity, f.bootcLint, f.message])).toEqual([
      ['warning', 'var-log', '[linux/arm64] Found non-empty logfiles:\n  /var/log/a'],
      ['error', 'kernel', '[linux/arm64] Found multiple subdirectories in usr/lib/modules (bootc stopped at this lint: the lints after it were not checked)'],
    ]);
  });

  test('a failure names the fatal lints, and the warnings too when strict; a skip gives a note', () => {
    expect(imageLintFailure([RAN], 'on')).toBe('kernel');
    expect(imageLintFailure([RAN], 'strict')).toBe('var-log, kernel');
    expect(imageLintFailure([{ ...RAN, failed: false }], 'on')).toBeUndefined();
    expect(skippedNotes([{ status: 'skipped', platform: 'linux/arm64', reason: 'the image has no bootc on its PATH' }])).toEqual([
      "bootc container lint skipped for linux/arm64: the image has no bootc on its PATH; the report holds bootc-lint's static findings only.",
    ]);
  });

  test("bootc-lint's JSON shape, counted, plus what the image's lint did", () => {
    const report = lintReport('x', imageLintFindings([RAN], { file: 'images/x/Containerfile', line: 1 }), [RAN, { status: 'skipped', platform: 'linux/s390x', reason: 'r' }], 'on');
    expect({ ...report, findings: report.findings.length }).toEqual({
      project: 'x',
      findings: 2,
      errors: 1,
      warnings: 1,
      bootcContainerLint: { mode: 'on', runs: [{ status: 'failed', format: 'v1.1.5+' }, { platform: 'linux/s390x', status: 'skipped', reason: 'r' }] },
    });
  });
});
