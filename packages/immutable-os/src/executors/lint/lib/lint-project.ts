import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { parseContainerfile } from '../../../utils/containerfile';
import { repositoryKey } from '../../../utils/image-ref';
import { CONTAINERFILE, imageMetadata, indexImageProjects } from '../../../utils/image-project';
import { DEFAULT_IMAGE_TYPE, isImageType, type ImageType } from '../../../builder/image-types';
import { checkBootcLabel } from './check-bootc-label';
import { checkBootcLintStep } from './check-bootc-lint-step';
import { checkConfig } from './check-config';
import { checkFilesystem } from './check-filesystem';
import { checkFromPinned } from './check-from-pinned';
import { checkSecrets } from './check-secrets';
import { checkSyntax } from './check-syntax';
import { createFinding, sortFindings, type ContainerfileInput, type Finding } from './rules';

export const CONFIG_TOML = 'config.toml';
export const CONFIG_JSON = 'config.json';

const CONTAINERFILE_CHECKS: ReadonlyArray<(input: ContainerfileInput) => Finding[]> = [
  checkSyntax,
  checkBootcLabel,
  checkFilesystem,
  checkBootcLintStep,
  checkFromPinned,
  checkSecrets,
];

export interface LintProjectInput {
  workspaceRoot: string;
  projectName: string;
  /** Workspace-relative project root, as in the project configuration. */
  projectRoot: string;
  projects: Record<string, ProjectConfiguration>;
}

/** Every finding for one image project, sorted: its Containerfile, what it copies, and its config.toml (or config.json). */
export function lintProject({ workspaceRoot, projectName, projectRoot, projects }: LintProjectInput): Finding[] {
  const projectDir = join(workspaceRoot, projectRoot);
  const findings: Finding[] = [];
  const containerfile = posix.join(projectRoot, CONTAINERFILE);
  const content = readIfExists(join(projectDir, CONTAINERFILE), containerfile);
  if (content === undefined) {
    findings.push(
      createFinding(
        'containerfile-missing',
        containerfile,
        { line: 1 },
        `${containerfile} does not exist; project "${projectName}" needs one to build an image. Generate one with \`nx g immutable-os:image\`.`,
      ),
    );
  } else {
    const input: ContainerfileInput = {
      file: containerfile,
      parsed: parseContainerfile(content),
      projectDir,
      isWorkspaceImage: workspaceImageMatcher(workspaceRoot, projectName, projects),
    };
    for (const check of CONTAINERFILE_CHECKS) findings.push(...check(input));
  }
  // The builder reads config.json only when there is no config.toml.
  const configName = [CONFIG_TOML, CONFIG_JSON].find((name) => existsSync(join(projectDir, name)));
  if (configName) {
    const config = posix.join(projectRoot, configName);
    const configContent = readIfExists(join(projectDir, configName), config);
    if (configContent !== undefined) findings.push(...checkConfig(config, configContent, projectFormats(projects[projectName])));
  }
  return sortFindings(findings);
}

// The disk formats bootc-convert builds by default (metadata["immutable-os"].formats); unknown names are the generator's and convert's concern.
function projectFormats(project: ProjectConfiguration | undefined): ImageType[] {
  const listed: unknown = project ? imageMetadata(project).formats : undefined;
  const formats = Array.isArray(listed) ? listed.filter((f): f is ImageType => typeof f === 'string' && isImageType(f)) : [];
  return formats.length > 0 ? formats : [DEFAULT_IMAGE_TYPE];
}

// Matches references to the images of the workspace's other image projects (those with a Containerfile at their root).
function workspaceImageMatcher(workspaceRoot: string, self: string, projects: Record<string, ProjectConfiguration>): (ref: string) => boolean {
  let index: Map<string, string> | undefined;
  return (ref) => {
    index ??= indexImageProjects(
      Object.entries(projects).filter(([name, project]) => name !== self && existsSync(join(workspaceRoot, project.root, CONTAINERFILE))),
    );
    const key = repositoryKey(ref);
    return key !== undefined && index.has(key);
  };
}

function readIfExists(path: string, shown: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`bootc-lint could not read ${shown}: ${(error as Error).message}. Check that it is a readable file.`, { cause: error });
  }
}
