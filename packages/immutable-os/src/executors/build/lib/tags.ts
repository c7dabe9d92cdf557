import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidTag } from '../../../utils/image-ref';
import { expandTagTemplate } from '../../../utils/tag-template';
import type { GitInfo } from './git-info';
import type { NormalizedBuildOptions } from './normalize-options';

/** The full references the build writes: the repository with each expanded tag. */
export function expandTags(options: NormalizedBuildOptions, git: GitInfo, builtAt: string): string[] {
  const values = {
    projectName: options.projectName,
    sha: git.revision,
    shortSha: git.revision?.slice(0, 7),
    date: builtAt.slice(0, 10).replace(/-/g, ''),
  };
  const tags = options.tagTemplates.map((template) => {
    const tag = expandTagTemplate(template, values, 'tags');
    if (!isValidTag(tag)) {
      throw new Error(`tags: "${template}" expands to "${tag}", which is not a valid tag (letters, digits, "_", "." or "-", at most 128). Use another tag or token.`);
    }
    return tag;
  });
  return [...new Set(tags.map((tag) => `${options.image}:${tag}`))];
}

/** The project's version from a package.json beside it, if any. */
export function projectVersion(options: Pick<NormalizedBuildOptions, 'workspaceRoot' | 'projectRoot'>): string | undefined {
  const file = join(options.workspaceRoot, options.projectRoot, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const version = JSON.parse(readFileSync(file, 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}
