import type { z } from 'zod';

/** A value as a config author wrote it, for messages: `"abc"`, `12`, `true`, `a table`. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return value instanceof Date ? 'a date' : 'a table';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'a table (JSON object)',
};

type RawIssue = z.core.$ZodRawIssue;

/**
 * Message of a schema issue that the schema itself does not word: the text that follows the key
 * path, e.g. `must be an integer, got "12"` or `is required`.
 */
export function issueMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${EXPECTED[issue.expected] ?? issue.expected}, got ${show(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => show(v));
      const allowed = values.length > 2 ? `one of ${values.join(', ')}` : values.join(' or ');
      return issue.input === undefined ? `is required: ${allowed}` : `must be ${allowed}, got ${show(issue.input)}`;
    }
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}, got ${show(issue.input)}`;
    default:
      return undefined;
  }
}
