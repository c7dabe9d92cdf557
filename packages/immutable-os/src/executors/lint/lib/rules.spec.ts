import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import schema from '../schema.json';
import { RULES, RULE_IDS, createFinding, isRuleId, sortFindings, type Finding } from './rules';

describe('RULES', () => {
  test('the schema ignore enum lists exactly the rule ids of the table', () => {
    expect(schema.properties.ignore.items.enum).toEqual(RULE_IDS);
  });

  test('schema.d.ts lists exactly the rule ids of the table for ignore', () => {
    const declaration = readFileSync(join(__dirname, '..', 'schema.d.ts'), 'utf8');
    const ignore = /ignore\?:\s*Array<([^>]*)>/.exec(declaration)?.[1] ?? '';
    expect([...ignore.matchAll(/'([^']+)'/g)].map((m) => m[1])).toEqual(RULE_IDS);
  });

  test.each([
    ['containerfile-missing', 'error'],
    ['containerfile-syntax', 'error'],
    ['bootc-label', 'warning'],
    ['usr-etc', 'error'],
    ['var-content', 'warning'],
    ['tmp-run-leftovers', 'warning'],
    ['missing-bootc-lint', 'warning'],
    ['from-unpinned', 'warning'],
    ['secret-in-build-arg', 'error'],
    ['config-syntax', 'error'],
    ['config-invalid', 'error'],
    ['config-ignored', 'warning'],
  ] as const)('%s defaults to %s and says how to fix', (id, severity) => {
    expect(RULES[id].severity).toBe(severity);
    expect(RULES[id].title.length).toBeGreaterThan(10);
    expect(RULES[id].fix.length).toBeGreaterThan(20);
  });

  test("the README's rule table has a row for every rule, with its severity and the bootc lint it mirrors", () => {
    const readme = readFileSync(join(__dirname, '../../../../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### `bootc-lint`'), readme.indexOf('## Developing'));
    const rows = new Map(
      section
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => {
          const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
          return [...cells[1].matchAll(/`([a-z0-9-]+)`/g)].map((m) => [m[1], cells] as const);
        }),
    );
    for (const id of RULE_IDS) {
      const cells = rows.get(id);
      expect({ id, listed: cells !== undefined }).toEqual({ id, listed: true });
      const info: { severity: string; bootcLint?: string } = RULES[id];
      if (id !== 'bootc-container-lint') expect({ id, severity: cells?.[2].startsWith(info.severity) }).toEqual({ id, severity: true });
      expect({ id, bootcLint: cells?.[3].includes(info.bootcLint ? `\`${info.bootcLint}\`` : 'ours') || id === 'bootc-container-lint' }).toEqual({ id, bootcLint: true });
    }
  });

  test('isRuleId accepts table ids only', () => {
    expect(isRuleId('usr-etc')).toBe(true);
    expect(isRuleId('toString')).toBe(false);
    expect(isRuleId('usr_etc')).toBe(false);
  });
});

describe('createFinding', () => {
  test('takes severity and fix from the table', () => {
    expect(createFinding('var-content', 'a/Containerfile', { line: 3, column: 1 }, 'msg')).toEqual({
      rule: 'var-content',
      severity: 'warning',
      file: 'a/Containerfile',
      line: 3,
      column: 1,
      message: 'msg',
      fix: RULES['var-content'].fix,
      bootcLint: 'var-tmpfiles',
    });
  });

  test('a finding may carry its own severity and bootc lint name', () => {
    expect(createFinding('secret-in-build-arg', 'a', { line: 1 }, 'm', { severity: 'warning' })).toMatchObject({ severity: 'warning' });
    expect(createFinding('tmp-run-leftovers', 'a', { line: 1 }, 'm', { bootcLint: 'var-tmpfiles' })).toMatchObject({ bootcLint: 'var-tmpfiles' });
    expect(createFinding('missing-bootc-lint', 'a', { line: 1 }, 'm')).not.toHaveProperty('bootcLint');
  });

  test('leaves column out when unknown', () => {
    expect(createFinding('containerfile-missing', 'a/Containerfile', { line: 1 }, 'msg')).not.toHaveProperty('column');
  });
});

test('sortFindings orders by file, line, column, then rule', () => {
  const f = (file: string, line: number, column: number, rule: Finding['rule']) => createFinding(rule, file, { line, column }, 'm');
  const sorted = sortFindings([f('b', 1, 1, 'usr-etc'), f('a', 9, 1, 'usr-etc'), f('a', 2, 5, 'usr-etc'), f('a', 2, 1, 'var-content'), f('a', 2, 1, 'bootc-label')]);
  expect(sorted.map((x) => `${x.file}:${x.line}:${x.column}:${x.rule}`)).toEqual([
    'a:2:1:bootc-label',
    'a:2:1:var-content',
    'a:2:5:usr-etc',
    'a:9:1:usr-etc',
    'b:1:1:usr-etc',
  ]);
});
