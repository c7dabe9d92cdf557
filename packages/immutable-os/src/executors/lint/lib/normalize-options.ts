import type { LintExecutorSchema } from '../schema';
import { RULE_IDS, isRuleId, type RuleId } from './rules';

export const FORMATS = ['text', 'json'] as const;

export type LintFormat = (typeof FORMATS)[number];

export interface NormalizedLintOptions {
  format: LintFormat;
  strict: boolean;
  ignore: ReadonlySet<RuleId>;
  /** The lock file of pinned bases, where the workspace has one. */
  pins?: string;
  bootcBases: string[];
}

/** Applies the schema defaults and rejects values the schema does not allow, naming the option. */
export function normalizeOptions(options: LintExecutorSchema | undefined): NormalizedLintOptions {
  const { format = 'text', strict = false, ignore = [], pins, bootcBases = [] } = options ?? {};
  if (!Array.isArray(bootcBases) || bootcBases.some((prefix: unknown) => typeof prefix !== 'string' || prefix.trim() === '')) {
    throw new Error(
      `bootc-lint option "bootcBases" must be a list of image reference prefixes (e.g. ["registry.example.com/mirror/fedora-bootc", "ghcr.io/secureblue/"]); got ${describe(bootcBases)}.`,
    );
  }
  if (pins !== undefined && (typeof pins !== 'string' || pins === '')) {
    throw new Error(`bootc-lint option "pins" must be the workspace-relative path of the lock file (e.g. image-versions.yml); got ${describe(pins)}.`);
  }
  if (!(FORMATS as readonly unknown[]).includes(format)) {
    throw new Error(`bootc-lint option "format" must be one of ${FORMATS.join(', ')}; got ${describe(format)}.`);
  }
  if (typeof strict !== 'boolean') {
    throw new Error(`bootc-lint option "strict" must be true or false; got ${describe(strict)}.`);
  }
  if (!Array.isArray(ignore)) {
    throw new Error(`bootc-lint option "ignore" must be a list of rule ids (${RULE_IDS.join(', ')}); got ${describe(ignore)}.`);
  }
  const unknown = ignore.filter((id: unknown) => typeof id !== 'string' || !isRuleId(id));
  if (unknown.length > 0) {
    throw new Error(
      `bootc-lint option "ignore" has ${unknown.map(describe).join(', ')}, which ${unknown.length === 1 ? 'is not a rule id' : 'are not rule ids'}; valid rule ids are ${RULE_IDS.join(', ')}.`,
    );
  }
  return { format, strict, ignore: new Set(ignore), bootcBases, ...(pins ? { pins } : {}) };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : `${JSON.stringify(value)} (${value === null ? 'null' : typeof value})`;
}
