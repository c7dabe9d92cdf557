import { isValidTag } from './image-ref';

/** Tokens a tag may contain; bootc-build expands them. */
export const TAG_TOKENS = ['projectName', 'sha', 'shortSha', 'date'] as const;
export type TagToken = (typeof TAG_TOKENS)[number];

const TOKEN = /\{([^{}]*)\}/g;

/** Throws naming `option` when a tag template has an unknown token or cannot form a valid tag. */
export function assertTagTemplate(template: string, option: string): void {
  for (const [, name] of template.matchAll(TOKEN)) {
    if (!(TAG_TOKENS as readonly string[]).includes(name)) {
      throw new Error(
        `${option}: the tag "${template}" uses the unknown token {${name}}; available tokens are ${TAG_TOKENS.map((t) => `{${t}}`).join(', ')}.`,
      );
    }
  }
  // Every token expands to tag-safe characters, so the template is valid when its literal parts are.
  if (!isValidTag(template.replace(TOKEN, 'x'))) {
    throw new Error(
      `${option}: "${template}" is not a valid tag: use up to 128 letters, digits, "_", "." or "-", not starting with "." or "-".`,
    );
  }
}

export type TagTokenValues = Record<TagToken, string | undefined>;

/** Expands the tokens of a tag; a token whose value is unknown (e.g. {sha} outside git) throws naming the fix. */
export function expandTagTemplate(template: string, values: TagTokenValues, option: string): string {
  assertTagTemplate(template, option);
  return template.replace(TOKEN, (_m, name: TagToken) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`${option}: the tag "${template}" uses {${name}}, but ${name === 'sha' || name === 'shortSha' ? 'the workspace is not a git repository with a commit' : 'its value is unknown'}. Commit first, or remove the token.`);
    }
    return value;
  });
}

/** True when any template needs the git commit. */
export function needsCommit(templates: readonly string[]): boolean {
  return templates.some((t) => t.includes('{sha}') || t.includes('{shortSha}'));
}
