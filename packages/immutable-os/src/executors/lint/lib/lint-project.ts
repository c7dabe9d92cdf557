import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { buildTargetOptions, CONTAINERFILE_NAMES, findContainerfile, parseBuildSpec, resolveBuildSpec, sourceLine, type BuildSpec } from '../../../image/build-spec';
import { imageMetadata, indexImageProjects, isImageProject, type ImageProjectIndex } from '../../../utils/image-project';
import { resolveWorkspacePath, workspaceRelative, type PathRoots } from '../../../utils/workspace-path';
import { readPins } from '../../../image/pins';
import { DEFAULT_IMAGE_TYPE, isImageType, type ImageType } from '../../../builder/image-types';
import { checkBootcLabel } from './check-bootc-label';
import { checkBootcLintStep } from './check-bootc-lint-step';
import { checkConfig } from './check-config';
import { checkCopiedFiles } from './check-copied-files';
import { checkFilesystem } from './check-filesystem';
import { checkFromArgs } from './check-from-args';
import { checkFromPinned } from './check-from-pinned';
import { checkFromPins } from './check-from-pins';
import { checkRunSteps } from './check-run-steps';
import { checkSecrets } from './check-secrets';
import { checkSyntax } from './check-syntax';
import { contextIgnore } from './context-ignore';
import { createFinding, sortFindings, type ContainerfileInput, type Finding } from './rules';
import { finalStage } from './stage-chain';

export const CONFIG_TOML = 'config.toml';
export const CONFIG_JSON = 'config.json';

const CONTAINERFILE_CHECKS: ReadonlyArray<(input: ContainerfileInput) => Finding[]> = [
  checkSyntax,
  checkBootcLabel,
  checkFilesystem,
  checkCopiedFiles,
  checkRunSteps,
  checkBootcLintStep,
  checkFromArgs,
  checkFromPinned,
  checkFromPins,
  checkSecrets,
];

export interface LintProjectInput {
  workspaceRoot: string;
  projectName: string;
  /** Workspace-relative project root, as in the project configuration (a variant's: its declaring project's). */
  projectRoot: string;
  /** A variant's own root (see image/variants.ts). */
  viewRoot?: string;
  projects: Record<string, ProjectConfiguration>;
  /** The lock file of pinned bases (bootc-lint's pins option), workspace-relative. */
  pinsFile?: string;
  /** Image reference prefixes of bootc bases beyond the known ones (bootc-lint's bootcBases option). */
  bootcBases?: readonly string[];
}

/**
 * Every finding for one image project, sorted: the Containerfile bootc-build builds (the same
 * file, build args and cpp flags, through the one resolver), what it copies, and its config.toml
 * (or config.json). Findings in a Containerfile.in's text point at the file and line they came from.
 */
export function lintProject({ workspaceRoot, projectName, projectRoot, viewRoot, projects, pinsFile, bootcBases }: LintProjectInput): Finding[] {
  const projectDir = join(workspaceRoot, projectRoot);
  const findings: Finding[] = [];
  const options = buildTargetOptions(projects[projectName]);
  const missing = missingContainerfile({ workspaceRoot, projectRoot, ...(viewRoot ? { viewRoot } : {}) }, options.containerfile);
  if (missing !== undefined) {
    findings.push(
      createFinding(
        'containerfile-missing',
        missing,
        { line: 1 },
        `${missing} does not exist; project "${projectName}" needs ${options.containerfile ? 'it' : `one (or a ${CONTAINERFILE_NAMES.slice(1).join(', ')})`} to build an image. Generate one with \`nx g immutable-os:image\`.`,
      ),
    );
  } else {
    let spec: BuildSpec | undefined;
    try {
      spec = resolveBuildSpec({ workspaceRoot, projectRoot, ...(viewRoot ? { viewRoot } : {}), options, optionPrefix: 'bootc-build option' });
    } catch (error) {
      const file = workspaceRelative(findContainerfile(workspaceRoot, projectRoot) ?? projectDir, workspaceRoot);
      findings.push(createFinding('containerfile-syntax', file, { line: 1 }, (error as Error).message));
    }
    if (spec) {
      const parsed = parseBuildSpec(spec);
      if (spec.target !== undefined && parsed.stages.length > 0 && !finalStage(parsed, spec.target)) {
        const names = parsed.stages.flatMap((s) => (s.name ? [s.name] : []));
        findings.push(
          createFinding(
            'containerfile-syntax',
            spec.file,
            { line: 1 },
            `bootc-build option target is "${spec.target}", but ${spec.file} has no stage of that name (${names.length > 0 ? `its stages: ${names.join(', ')}` : 'no stage is named'}); the build would fail. Name a stage with FROM ... AS ${spec.target}, or change the option.`,
          ),
        );
      } else {
        const input: ContainerfileInput = {
          file: spec.file,
          parsed,
          projectDir,
          contextDir: spec.context,
          isIgnored: contextIgnore(spec.context),
          ...(spec.target !== undefined ? { target: spec.target } : {}),
          buildContexts: namedContexts({ workspaceRoot, projectRoot, ...(viewRoot ? { viewRoot } : {}) }, options.buildContexts),
          ...(bootcBases && bootcBases.length > 0 ? { bootcBases } : {}),
          isWorkspaceImage: workspaceImageMatcher(workspaceRoot, projectName, projects),
          ...lockFile(workspaceRoot, pinsFile),
        };
        for (const check of CONTAINERFILE_CHECKS) findings.push(...check(input).map((finding) => atSource(spec as BuildSpec, finding)));
      }
    }
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

// The workspace-relative Containerfile path that does not exist, or undefined when the project has one to build.
function missingContainerfile(roots: PathRoots, option: unknown): string | undefined {
  const { workspaceRoot, projectRoot } = roots;
  if (typeof option === 'string' && option !== '') {
    let path: string;
    try {
      path = resolveWorkspacePath(option, roots, 'bootc-build option containerfile');
    } catch {
      return undefined; // the resolver reports the bad option
    }
    return existsSync(path) ? undefined : workspaceRelative(path, workspaceRoot);
  }
  return findContainerfile(workspaceRoot, projectRoot) ? undefined : posix.join(projectRoot, CONTAINERFILE_NAMES[0]);
}

// bootc-build's buildContexts, resolved as the build resolves them; a bad one is the build's to report.
function namedContexts(roots: PathRoots, option: unknown): Record<string, string> {
  if (typeof option !== 'object' || option === null || Array.isArray(option)) return {};
  const contexts: Record<string, string> = {};
  for (const [name, value] of Object.entries(option)) {
    if (typeof value !== 'string') continue;
    try {
      contexts[name] = resolveWorkspacePath(value, roots, `bootc-build option buildContexts.${name}`);
    } catch {
      // bootc-build names the bad value
    }
  }
  return contexts;
}

// The lock file's pins, where one is configured and exists; its errors are bootc-lint's (and the graph's).
function lockFile(workspaceRoot: string, pinsFile: string | undefined): Pick<ContainerfileInput, 'pins'> {
  const pins = pinsFile ? readPins(workspaceRoot, pinsFile) : undefined;
  return pins && pinsFile ? { pins: { file: pinsFile, pins } } : {};
}

// A finding in a Containerfile.in's preprocessed text, pointed at the file and line it came from.
function atSource(spec: BuildSpec, finding: Finding): Finding {
  if (!spec.cpp || finding.file !== spec.file) return finding;
  const origin = sourceLine(spec, finding.line);
  return { ...finding, file: origin.file, line: origin.line };
}

// Matches references to the images of the workspace's other image projects (those with a Containerfile at their root).
function workspaceImageMatcher(workspaceRoot: string, self: string, projects: Record<string, ProjectConfiguration>): (ref: string) => boolean {
  let index: ImageProjectIndex | undefined;
  return (ref) => {
    index ??= indexImageProjects(
      Object.entries(projects).filter(([name, project]) => name !== self && isImageProject(workspaceRoot, project)),
    );
    return index.lookup(ref) !== undefined;
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
