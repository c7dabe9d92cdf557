import type { NxJsonConfiguration } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runShort } from './run-process';

/** Where a project's release version was found, for messages. */
export interface ReleaseVersion {
  version: string;
  from: string;
}

/**
 * The release version of a project at the workspace's HEAD: a git tag on HEAD that matches nx
 * release's tag pattern (`release.releaseTag.pattern`, else `v{version}`, or
 * `{projectName}@{version}` for independently released projects), else the version in a
 * package.json beside the project.
 */
export async function readReleaseVersion(
  workspaceRoot: string,
  projectName: string,
  projectRoot: string,
  nxJson: NxJsonConfiguration | undefined,
): Promise<ReleaseVersion | undefined> {
  const pattern = releaseTagPattern(nxJson).replace(/\{projectName\}/g, projectName);
  let tags: string[] = [];
  try {
    tags = (await runShort('git', ['tag', '--points-at', 'HEAD'], { cwd: workspaceRoot })).stdout.split('\n').map((t) => t.trim()).filter(Boolean);
  } catch {
    // Not a git repository, or no commit: fall back to package.json.
  }
  const match = new RegExp(`^${escape(pattern).replace(escape('{version}'), '(\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?)')}$`);
  for (const tag of tags) {
    const version = match.exec(tag)?.[1];
    if (version) return { version, from: `git tag ${tag}` };
  }
  const packageJson = join(workspaceRoot, projectRoot, 'package.json');
  if (existsSync(packageJson)) {
    try {
      const version = JSON.parse(readFileSync(packageJson, 'utf8')).version;
      if (typeof version === 'string' && version !== '0.0.0') return { version, from: `${projectRoot}/package.json` };
    } catch {
      // An unreadable package.json has no version to offer.
    }
  }
  return undefined;
}

/** The git tag pattern nx release uses, with {version} and {projectName} placeholders. */
export function releaseTagPattern(nxJson: NxJsonConfiguration | undefined): string {
  const release = (nxJson?.release ?? {}) as { releaseTag?: { pattern?: string }; releaseTagPattern?: string; projectsRelationship?: string };
  return release.releaseTag?.pattern ?? release.releaseTagPattern ?? (release.projectsRelationship === 'independent' ? '{projectName}@{version}' : 'v{version}');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
