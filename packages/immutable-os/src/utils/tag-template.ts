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
