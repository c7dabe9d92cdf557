import { parseBuilderConfig, validateBuilderConfig, type ConfigProblem } from '../../../builder/config/validate';
import type { ImageType } from '../../../builder/image-types';
import { createFinding, type Finding, type RuleId } from './rules';

const RULE_OF_KIND: Record<ConfigProblem['kind'], RuleId> = {
  syntax: 'config-syntax',
  invalid: 'config-invalid',
  ignored: 'config-ignored',
};

/**
 * Checks a bootc-image-builder build config (config.toml, or config.json) as the builder reads it:
 * that it parses, that the builder accepts every key and value, and which customizations the
 * project's disk formats ignore.
 */
export function checkConfig(file: string, content: string, formats: readonly ImageType[]): Finding[] {
  const { config, errors } = parseBuilderConfig(file, content);
  let problems = errors;
  if (config) {
    const validated = validateBuilderConfig(config, { types: formats });
    problems = [...validated.errors, ...validated.warnings];
  }
  return problems.map((problem) =>
    createFinding(RULE_OF_KIND[problem.kind], file, { line: problem.line ?? 1, column: problem.column }, problem.message),
  );
}
