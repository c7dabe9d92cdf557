import type { Finding } from './rules';

export interface LintCounts {
  errors: number;
  warnings: number;
}

export function countFindings(findings: readonly Finding[]): LintCounts {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

/** False when there is an error, or with `strict` any warning. */
export function lintPassed(findings: readonly Finding[], strict: boolean): boolean {
  const { errors, warnings } = countFindings(findings);
  return errors === 0 && (!strict || warnings === 0);
}

/** One line per finding with an indented fix, then a summary naming `scope` (the project root). */
export function formatText(scope: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return `${scope}: no findings`;
  const lines = findings.flatMap((f) => [
    `${f.file}:${f.line}${f.column === undefined ? '' : `:${f.column}`}  ${f.severity}  ${f.rule}  ${f.message}`,
    `    fix: ${f.fix}`,
  ]);
  const { errors, warnings } = countFindings(findings);
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${scope}`);
  return lines.join('\n');
}

export function formatJson(project: string, findings: readonly Finding[]): string {
  return JSON.stringify({ project, findings, ...countFindings(findings) }, null, 2);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
