import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { imageRoots } from '../../../image/variants';
import { assertImageReference } from '../../../utils/image-ref';
import { imageMetadata } from '../../../utils/image-project';
import { imageOutputDir } from '../../../utils/image-record';
import { BUILDER_BACKEND_NAMES, BUILDER_BACKENDS, DEFAULT_BUILDER_BACKEND, type BuilderBackendName } from '../../../builder/backends';
import { assertImageTypes, DEFAULT_IMAGE_TYPE, type ImageType } from '../../../builder/image-types';
import { containerStorageProblem } from './builder-storage';
import { ROOTFS_TYPES } from './root-filesystem';
import { resolveWorkspacePath, workspaceRelative, type PathRoots } from '../../../utils/workspace-path';
import type { ConvertExecutorSchema } from '../schema';
import { splitListOption as splitList } from '../../../utils/list-option';

const DEFAULT_OUTPUT_PATH = 'dist/disks/{projectName}';
const PULL = ['always', 'missing', 'never', 'newer'] as const;
// The names the builder's --target-arch takes (osbuild/image-builder pkg/arch/arch.go:96-112); any other stops it with "unsupported architecture".
const TARGET_ARCHES = ['amd64', 'x86_64', 'arm', 'armv7', 'arm64', 'aarch64', 's390x', 'ppc64le', 'riscv64'] as const;
const SUDO = ['auto', 'always', 'never'] as const;
const PROGRESS = ['auto', 'verbose', 'term', 'debug'] as const;

export interface NormalizedConvertOptions {
  projectName: string;
  projectRoot: string;
  workspaceRoot: string;
  types: ImageType[];
  rootfs?: (typeof ROOTFS_TYPES)[number];
  /** Absolute path of the config file, if any, and whether it is JSON. */
  config?: { path: string; json: boolean };
  targetArch?: string;
  builderBackend: BuilderBackendName;
  builderImage: string;
  pull: (typeof PULL)[number];
  useLibrepo?: boolean;
  chown: string;
  sudo: (typeof SUDO)[number];
  outputPath: string;
  /** The installer image of a bootc-installer run (its payload is the project image). */
  installerImage?: string;
  progress: (typeof PROGRESS)[number];
  dryRun: boolean;
  extraArgs: string[];
}

/** Checks every option before anything runs; errors name the option, the value and what is allowed. */
export function normalizeOptions(options: ConvertExecutorSchema, context: ExecutorContext, env: NodeJS.ProcessEnv = process.env): NormalizedConvertOptions {
  const projectName = context.projectName;
  if (!projectName) throw new Error('bootc-convert must run for a project (nx run <project>:bootc-convert).');
  const project = context.projectsConfigurations.projects[projectName];
  // A variant's files (config.toml) are its declaring project's (image/variants.ts).
  const roots = imageRoots(context.root, project);

  const requested = splitList(options.types);
  const formats = splitList(imageMetadata(project).formats);
  const types =
    requested.length > 0
      ? assertImageTypes(requested, 'types')
      : assertImageTypes(formats.length > 0 ? formats : [DEFAULT_IMAGE_TYPE], `metadata["immutable-os"].formats of ${projectName}`);

  const rootfs = oneOf(options.rootfs, ROOTFS_TYPES, 'rootfs');
  const pull = oneOf(options.pull, PULL, 'pull') ?? 'newer';
  const sudo = oneOf(options.sudo, SUDO, 'sudo') ?? 'auto';
  const progress = oneOf(options.progress, PROGRESS, 'progress') ?? 'verbose';

  const builderBackend = oneOf(options.builderBackend, BUILDER_BACKEND_NAMES, 'builderBackend') ?? DEFAULT_BUILDER_BACKEND;
  const builderImage = options.builderImage ?? BUILDER_BACKENDS[builderBackend].defaultImage;
  assertImageReference(builderImage, 'builderImage');
  const installerImage = options.installerImage;
  if (installerImage !== undefined) assertImageReference(installerImage, 'installerImage');
  if (types.includes('bootc-installer') && installerImage === undefined) {
    throw new Error(
      `types: bootc-installer needs installerImage, the installer image the ISO boots (one with Anaconda, e.g. built FROM a Fedora or CentOS installer base); ` +
        `bootc-convert passes the project's image to it as the payload (--installer-payload-ref). Set installerImage, or build anaconda-iso from the project image alone.`,
    );
  }

  const config = resolveConfig(options.config, roots);
  const outputPath = resolveWorkspacePath((options.outputPath ?? DEFAULT_OUTPUT_PATH).replace(/\{projectName\}/g, projectName), roots, 'outputPath');
  const storageProblem = options.containerStorage === undefined ? undefined : containerStorageProblem(options.containerStorage);
  if (storageProblem) throw new Error(storageProblem);
  for (const [option, path] of [['outputPath', outputPath], ['config', config?.path]] as const) {
    if (path?.includes(':')) throw new Error(`${option}: "${path}" contains ":", which podman's -v cannot mount; use a path without it.`);
  }
  assertReplaceable(options.outputPath ?? DEFAULT_OUTPUT_PATH, outputPath, [
    ...Object.entries(context.projectsConfigurations.projects).map(([name, p]) => [`the project ${name}`, resolve(context.root, p.root)] as const),
    ...(config ? [['the builder config', config.path] as const] : []),
    [`the image record of ${projectName}`, imageOutputDir(context.root, projectName)] as const,
  ], context.root);

  const chown = options.chown ?? defaultOwner(env);
  if (!/^\d+(:\d+)?$/.test(chown)) throw new Error(`chown: "${chown}" is not UID or UID:GID (numbers), e.g. 1000:1000.`);
  const targetArch = oneOf(options.targetArch, TARGET_ARCHES, 'targetArch');

  return {
    projectName,
    projectRoot: roots.projectRoot,
    workspaceRoot: context.root,
    types,
    rootfs,
    config,
    targetArch,
    builderBackend,
    builderImage,
    pull,
    useLibrepo: options.useLibrepo,
    chown,
    sudo,
    outputPath,
    installerImage,
    progress,
    dryRun: options.dryRun ?? false,
    extraArgs: options.extraArgs ?? [],
  };
}

function resolveConfig(option: string | undefined, roots: PathRoots) {
  if (option !== undefined) {
    const path = resolveWorkspacePath(option, roots, 'config');
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new Error(`config: ${workspaceRelative(path, roots.workspaceRoot)} does not exist. Point config at a bootc-image-builder config.toml or config.json, or remove the option.`);
    }
    return { path, json: path.endsWith('.json') };
  }
  for (const name of ['config.toml', 'config.json']) {
    const path = join(roots.workspaceRoot, roots.projectRoot, name);
    if (existsSync(path)) return { path, json: name.endsWith('.json') };
  }
  return undefined;
}

// bootc-convert replaces its output folder whole: it must lie inside the workspace and hold nothing else that matters.
function assertReplaceable(option: string, outputPath: string, kept: ReadonlyArray<readonly [string, string]>, workspaceRoot: string) {
  const inside = relative(workspaceRoot, outputPath);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new Error(`outputPath: "${option}" resolves to ${outputPath}, which is not a folder inside the workspace ${workspaceRoot}. bootc-convert replaces its output folder whole; use one of its own, such as dist/disks/{projectName}.`);
  }
  const held = kept.find(([, path]) => path === outputPath || path.startsWith(outputPath + sep));
  if (held) {
    throw new Error(`outputPath: "${option}" resolves to ${inside}, which holds ${held[0]} (${workspaceRelative(held[1], workspaceRoot)}). bootc-convert replaces its output folder whole; use one of its own, such as dist/disks/{projectName}.`);
  }
}

// Under sudo the invoking user is in SUDO_UID/SUDO_GID; outputs go to them, not to root.
function defaultOwner(env: NodeJS.ProcessEnv): string {
  if (env.SUDO_UID && env.SUDO_GID) return `${env.SUDO_UID}:${env.SUDO_GID}`;
  return `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${option}: "${value}" is not allowed; use ${allowed.join(', ')}.`);
  return value as T;
}
