import { isValidTag } from './image-ref';

/**
 * Tokens a tag may contain. bootc-build expands them, except {version}: a release version is
 * known only once `nx release` has tagged the commit, so bootc-push (and nx-release-publish)
 * expand it when they push the image that was built and tested.
 */
export const TAG_TOKENS = ['projectName', 'sha', 'shortSha', 'date', 'version'] as const;
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
      throw new Error(
        name === 'version'
          ? `${option}: the tag "${template}" uses {version}, but there is no release version at HEAD (no git tag from nx release, no package.json version). Run nx release first, or remove the token.`
          : `${option}: the tag "${template}" uses {${name}}, but ${name === 'sha' || name === 'shortSha' ? 'the workspace is not a git repository with a commit' : 'its value is unknown'}. Commit first, or remove the token.`,
      );
    }
    return value;
  });
}

/** True when a template names the release version, which only the push expands. */
export function isReleaseTag(template: string): boolean {
  return template.includes('{version}');
}

/** True when any template needs the git commit. */
export function needsCommit(templates: readonly string[]): boolean {
  return templates.some((t) => t.includes('{sha}') || t.includes('{shortSha}'));
}

/** The token values of one build or push. */
export function tagTokenValues(projectName: string, revision: string | undefined, at: string, version: string | undefined): TagTokenValues {
  return { projectName, sha: revision, shortSha: revision?.slice(0, 7), date: at.slice(0, 10).replace(/-/g, ''), version };
}

/** `image:tag` for each template, expanded and checked; duplicates dropped. */
export function expandTagRefs(image: string, templates: readonly string[], values: TagTokenValues, option: string): string[] {
  const tags = templates.map((template) => {
    const tag = expandTagTemplate(template, values, option);
    if (!isValidTag(tag)) {
      throw new Error(`${option}: "${template}" expands to "${tag}", which is not a valid tag (letters, digits, "_", "." or "-", at most 128). Use another tag or token.`);
    }
    return tag;
  });
  return [...new Set(tags.map((tag) => `${image}:${tag}`))];
}
