import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandTagRefs, isReleaseTag, tagTokenValues } from '../../../utils/tag-template';
import type { GitInfo } from './git-info';
import type { NormalizedBuildOptions } from './normalize-options';

/**
 * The full references the build writes: the repository with each expanded tag ({version} tags are
 * the push's). {date} is the source date's day (the commit's, see source-date.ts), so the same
 * commit gives the same tags on any day.
 */
export function expandTags(options: NormalizedBuildOptions, git: GitInfo, sourceDate: string): string[] {
  const values = tagTokenValues(options.projectName, git.revision, sourceDate, undefined);
  return expandTagRefs(options.image, options.tagTemplates.filter((t) => !isReleaseTag(t)), values, 'tags');
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
