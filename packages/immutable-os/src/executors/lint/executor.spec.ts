import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExecutorContext, ProjectConfiguration } from '@nx/devkit';
import lintExecutor from './executor';
import type { LintExecutorSchema } from './schema';

const GOOD = 'ARG BASE_IMAGE=quay.io/fedora/fedora-bootc:44\nFROM ${BASE_IMAGE}\nLABEL containers.bootc=1\nCOPY rootfs/ /\nRUN bootc container lint\n';
const SECRET = 'sup3r-s3cret-value';
// One error (usr-etc via rootfs, secret) and warnings (var-content, from-unpinned, missing-bootc-lint).
const BAD = `FROM quay.io/fedora/fedora-bootc\nARG REGISTRY_PASSWORD=${SECRET}\nCOPY rootfs/ /\nRUN mkdir -p /var/lib/kiosk\n`;
// Only warnings: a /var write and no lint step.
const WARNS = 'FROM quay.io/fedora/fedora-bootc:44\nRUN mkdir -p /var/lib/kiosk\n';

let root: string;
let output: string[];
const projects: Record<string, ProjectConfiguration> = {
  good: { root: 'images/good' },
  bad: { root: 'images/bad' },
  warns: { root: 'images/warns' },
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bootc-lint-executor-'));
  const files: Record<string, string> = {
    'images/good/Containerfile': GOOD,
    'images/good/rootfs/etc/motd': 'welcome\n',
    'images/good/project.json': '{"name":"good"}',
    'images/bad/Containerfile': BAD,
    'images/bad/rootfs/usr/etc/kiosk.conf': 'x=1\n',
    'images/bad/project.json': '{"name":"bad"}',
    'images/warns/Containerfile': WARNS,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  output = [];
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void output.push(args.join(' ')));
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

function context(projectName: string): ExecutorContext {
  return {
    root,
    projectName,
    projectsConfigurations: { version: 2, projects },
    cwd: tmpdir(),
    isVerbose: false,
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

const run = (projectName: string, options: LintExecutorSchema = {}) => lintExecutor(options, context(projectName));

function jsonReport() {
  expect(output).toHaveLength(1);
  return JSON.parse(output[0]) as { project: string; findings: Array<{ rule: string; severity: string; file: string; line: number }>; errors: number; warnings: number };
}

describe('lintExecutor', () => {
  test('a good project passes with no findings', async () => {
    await expect(run('good')).resolves.toEqual({ success: true });
    expect(output).toEqual(['images/good: no findings']);
  });

  test('a bad project fails and prints each finding with its fix', async () => {
    await expect(run('bad')).resolves.toEqual({ success: false });
    const text = output.join('\n');
    expect(text).toContain('images/bad/Containerfile:3:1  error  usr-etc  COPY of rootfs/usr/etc puts content in /usr/etc');
    expect(text).toContain('    fix: Put configuration in /etc');
    expect(text).toMatch(/1 error, 4 warnings in images\/bad$/);
    expect(text).not.toContain(SECRET);
  });

  test('--format json prints exactly one JSON document', async () => {
    await expect(run('bad', { format: 'json' })).resolves.toEqual({ success: false });
    const report = jsonReport();
    expect(report.project).toBe('bad');
    expect(report.findings.map((f) => `${f.line} ${f.severity} ${f.rule}`)).toEqual([
      '1 warning from-unpinned',
      '1 warning missing-bootc-lint',
      '2 warning secret-in-build-arg',
      '3 error usr-etc',
      '4 warning var-content',
    ]);
    expect(report.findings.every((f) => f.file === 'images/bad/Containerfile')).toBe(true);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: 1, warnings: 4 });
    expect(output[0]).not.toContain(SECRET);
  });

  test('warnings pass unless strict', async () => {
    await expect(run('warns')).resolves.toEqual({ success: true });
    await expect(run('warns', { strict: true })).resolves.toEqual({ success: false });
    await expect(run('good', { strict: true })).resolves.toEqual({ success: true });
  });

  test('ignored rules are neither reported nor counted', async () => {
    await expect(run('bad', { format: 'json', ignore: ['usr-etc', 'secret-in-build-arg'] })).resolves.toEqual({ success: true });
    const report = jsonReport();
    expect(report.findings.map((f) => f.rule)).toEqual(['from-unpinned', 'missing-bootc-lint', 'var-content']);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: 0, warnings: 3 });
  });

  test('ignoring every warning makes a strict run pass', async () => {
    await expect(run('warns', { strict: true, ignore: ['var-content', 'missing-bootc-lint'] })).resolves.toEqual({ success: true });
  });

  test('rejects an unknown rule in ignore before linting', async () => {
    await expect(run('good', { ignore: ['usr_etc' as 'usr-etc'] })).rejects.toThrow(/option "ignore" has "usr_etc", which is not a rule id; valid rule ids are/);
    expect(output).toEqual([]);
  });

  test('needs a project', async () => {
    await expect(lintExecutor({}, { ...context('good'), projectName: undefined })).rejects.toThrow(/bootc-lint needs a project/);
  });

  test('resolves paths from the workspace root, not the current directory', async () => {
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      await expect(run('good')).resolves.toEqual({ success: true });
    } finally {
      process.chdir(cwd);
    }
  });
});
