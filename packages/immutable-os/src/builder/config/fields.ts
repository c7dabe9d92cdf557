import { z } from 'zod';
import { parseDataSize, SIZE_HELP } from './data-size';
import { show } from './describe';

/** Field schemas shared by the customizations, each with a message that says what is allowed. */

/** A table that refuses unknown keys, as the builder's decoders do; the issue message lists the allowed keys. */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `allowed keys here: ${allowed}` : undefined) });
}

/** A size, as bytes in the output; `positive` refuses 0 (a filesystem needs a size). */
export function dataSize(options: { positive?: boolean } = {}) {
  return z.unknown().transform((value, ctx) => {
    const bytes = parseDataSize(value);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `is required: ${SIZE_HELP}` });
    } else if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${SIZE_HELP}, got ${show(value)}` });
    } else if (options.positive && bytes === 0) {
      ctx.addIssue({ code: 'custom', message: `must be greater than 0: ${SIZE_HELP}` });
    } else {
      return bytes;
    }
    return z.NEVER;
  });
}

/** A whole number (zod words a string as "expected number"). */
export const integer = () => z.int({ error: (issue) => (issue.code === 'invalid_type' && issue.input !== undefined ? `must be an integer, got ${show(issue.input)}` : undefined) });

/** A UID or GID. */
export const numericId = integer().min(0, { error: (issue) => `must be a non-negative integer, got ${show(issue.input)}` });

// osbuild/images pkg/customizations/fsnode: the names the builder accepts for owners.
const USER_NAME = /^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,31}$/;
const GROUP_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,31}$/;

export const userName = z.string().regex(USER_NAME, {
  error: (issue) => `must be a user name of letters, digits, "_", "." and "-" (at most 32, not starting with "-"), got ${show(issue.input)}`,
});
export const groupName = z.string().regex(GROUP_NAME, {
  error: (issue) => `must be a group name of letters, digits, "_" and "-" (at most 32, not starting with "-"), got ${show(issue.input)}`,
});

/** The owner of a file or folder: a name or a numeric id. */
export function owner(kind: 'user' | 'group') {
  const name = kind === 'user' ? userName : groupName;
  return z.union([name, numericId], {
    error: (issue) => (issue.code === 'invalid_union' ? `must be a ${kind} name (e.g. "root") or a non-negative ${kind === 'user' ? 'UID' : 'GID'}, got ${show(issue.input)}` : undefined),
  });
}

/** An octal permission string, as the builder wants it ("0644" or "644"). */
export const fileMode = z
  .string({ error: (issue) => `must be an octal mode in quotes such as "0644", got ${show(issue.input)}` })
  .regex(/^0?[0-7]{3}$/, { error: (issue) => `must be an octal mode such as "0644" or "755", got ${show(issue.input)}` });
