import { createFinding, type Finding } from './rules';
import { countFindings, formatJson, formatText, lintPassed } from './report';

const error = createFinding('usr-etc', 'images/kiosk/Containerfile', { line: 12, column: 1 }, 'COPY puts content in /usr/etc.');
const warning = createFinding('var-content', 'images/kiosk/Containerfile', { line: 14, column: 3 }, 'RUN mkdir puts /var/x.');
const noColumn = createFinding('containerfile-missing', 'images/kiosk/Containerfile', { line: 1 }, 'missing.');

describe('lintPassed', () => {
  test.each<[string, Finding[], boolean, boolean]>([
    ['no findings', [], false, true],
    ['no findings, strict', [], true, true],
    ['a warning', [warning], false, true],
    ['a warning, strict', [warning], true, false],
    ['an error', [error], false, false],
    ['an error and a warning', [error, warning], false, false],
  ])('%s → %s', (_name, findings, strict, passed) => {
    expect(lintPassed(findings, strict)).toBe(passed);
  });
});

test('countFindings', () => {
  expect(countFindings([error, warning, error])).toEqual({ errors: 2, warnings: 1 });
});

describe('formatText', () => {
  test('one line per finding, an indented fix, then a summary', () => {
    expect(formatText('images/kiosk', [error, error, warning]).split('\n')).toEqual([
      'images/kiosk/Containerfile:12:1  error  usr-etc  COPY puts content in /usr/etc.',
      `    fix: ${error.fix}`,
      'images/kiosk/Containerfile:12:1  error  usr-etc  COPY puts content in /usr/etc.',
      `    fix: ${error.fix}`,
      'images/kiosk/Containerfile:14:3  warning  var-content  RUN mkdir puts /var/x.',
      `    fix: ${warning.fix}`,
      '2 errors, 1 warning in images/kiosk',
    ]);
  });

  test('no column when unknown; singular and zero counts', () => {
    expect(formatText('images/kiosk', [noColumn]).split('\n')).toEqual([
      'images/kiosk/Containerfile:1  error  containerfile-missing  missing.',
      `    fix: ${noColumn.fix}`,
      '1 error, 0 warnings in images/kiosk',
    ]);
  });

  test('no findings', () => {
    expect(formatText('images/kiosk', [])).toBe('images/kiosk: no findings');
  });
});

test('formatJson is one document with the project, findings and counts', () => {
  expect(JSON.parse(formatJson('kiosk', [error, warning]))).toEqual({ project: 'kiosk', findings: [error, warning], errors: 1, warnings: 1 });
});
