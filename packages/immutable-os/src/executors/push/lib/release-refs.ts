import type { ExecutorContext } from '@nx/devkit';
import type { ImageRecord } from '../../../utils/image-record';
import { readReleaseVersion, releaseTagPattern, type ReleaseVersion } from '../../../utils/release-version';
import { runShort } from '../../../utils/run-process';
import { expandTagRefs, tagTokenValues } from '../../../utils/tag-template';

/** The release version at HEAD and the refs of the build's {version} tags, expanded with it. */
export async function releaseRefs(record: ImageRecord, context: ExecutorContext): Promise<{ version?: ReleaseVersion; refs: string[] }> {
  const projectName = record.project;
  const project = context.projectsConfigurations.projects[projectName];
  const version = await readReleaseVersion(context.root, projectName, project.root, context.nxJsonConfiguration);
  const templates = record.releaseTags ?? [];
  if (!version || templates.length === 0) return { version, refs: [] };
  const revision = await gitRevision(context.root);
  return { version, refs: expandTagRefs(record.image, templates, tagTokenValues(projectName, revision, new Date().toISOString(), version.version), 'tags') };
}

/** Says which release tags are left out when HEAD has no release version. */
export function noVersionNote(record: ImageRecord, context: ExecutorContext): string {
  const pattern = releaseTagPattern(context.nxJsonConfiguration).replace(/\{projectName\}/g, record.project);
  return `No release version for ${record.project} at HEAD (no git tag ${pattern}, no package.json version): the tags ${(record.releaseTags ?? []).join(', ')} are left out. Run nx release to tag the commit.`;
}

async function gitRevision(cwd: string): Promise<string | undefined> {
  try {
    return (await runShort('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd })).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
