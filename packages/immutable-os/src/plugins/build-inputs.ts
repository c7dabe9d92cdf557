import { readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, relative } from 'node:path';
import type { NxJsonConfiguration } from '@nx/devkit';
import { BUILDER_BACKENDS, DEFAULT_BUILDER_BACKEND, type BuilderBackendName } from '../builder/backends';

interface ContextOptions {
  containerfile?: unknown;
  context?: unknown;
  buildArgs?: unknown;
  cppFlags?: unknown;
  buildContexts?: unknown;
  config?: unknown;
  builderBackend?: unknown;
  builderImage?: unknown;
}

/** The parts of a project.json the plugin reads: target options set by hand, and the image metadata. */
export interface ProjectJsonTargets {
  targets?: Record<string, { options?: ContextOptions } | undefined>;
  metadata?: Record<string, unknown>;
}

/**
 * The folders outside the project that its build reads (a `context` elsewhere, `buildContexts`),
 * as `{workspaceRoot}/...` inputs: Nx then hashes them for the cache and marks the project
 * affected when a file in them changes (a shared build script used by many flavors).
 */
export function sharedBuildInputs(
  workspaceRoot: string,
  projectRoot: string,
  buildTargetName: string,
  nxJson: NxJsonConfiguration,
  projectJson: ProjectJsonTargets = readProjectJson(workspaceRoot, projectRoot),
): string[] {
  const defaults = buildDefaults(nxJson, buildTargetName);
  const own = projectJson.targets?.[buildTargetName]?.options ?? {};
  const context = own.context ?? defaults.context;
  const buildContexts = { ...asRecord(defaults.buildContexts), ...asRecord(own.buildContexts) };
  const paths = [context, ...Object.values(buildContexts)].filter((p): p is string => typeof p === 'string');
  const inputs = new Set<string>();
  for (const path of paths) {
    const folder = workspaceFolder(path, workspaceRoot, projectRoot);
    if (folder !== undefined && !isInside(folder, projectRoot)) inputs.add(folder === '.' ? '{workspaceRoot}/**/*' : `{workspaceRoot}/${folder}/**/*`);
  }
  return [...inputs].sort();
}

/**
 * bootc-build's options as project.json and nx.json's targetDefaults set them, before Nx merges
 * them (createNodes runs first): what the resolver needs to find a Containerfile.in's includes.
 */
export function buildOptions(buildTargetName: string, nxJson: NxJsonConfiguration, projectJson: ProjectJsonTargets): ContextOptions {
  return { ...buildDefaults(nxJson, buildTargetName), ...asRecord(projectJson.targets?.[buildTargetName]?.options) };
}

function buildDefaults(nxJson: NxJsonConfiguration, buildTargetName: string): ContextOptions {
  return { ...defaultOptions(nxJson, 'immutable-os:build'), ...defaultOptions(nxJson, buildTargetName) };
}

/** Files a Containerfile.in includes from outside its project, as `{workspaceRoot}/...` inputs (inside it, `default` has them). */
export function includeInputs(includes: readonly string[], projectRoot: string): string[] {
  return includes.filter((file) => !isInside(file, projectRoot)).map((file) => `{workspaceRoot}/${file}`);
}

// targetDefaults options for a key: a plain entry, or the unfiltered entries of an array.
function defaultOptions(nxJson: NxJsonConfiguration, key: string): ContextOptions {
  const value = nxJson.targetDefaults?.[key];
  const entries = Array.isArray(value) ? value.filter((e) => !e.filter) : value ? [value] : [];
  return Object.assign({}, ...entries.map((e) => (e.options ?? {}) as ContextOptions));
}

// bootc-convert's options as project.json and nx.json's targetDefaults (by executor, then by target name) set them.
function convertOptions(nxJson: NxJsonConfiguration, projectJson: ProjectJsonTargets, convertTargetName: string): ContextOptions {
  return { ...defaultOptions(nxJson, 'immutable-os:convert'), ...defaultOptions(nxJson, convertTargetName), ...asRecord(projectJson.targets?.[convertTargetName]?.options) };
}

/**
 * The inputs of bootc-convert's config: the file its `config` option names, else the default
 * config.toml and config.json (whichever exists).
 */
export function configInputs(
  workspaceRoot: string,
  projectRoot: string,
  convertTargetName: string,
  nxJson: NxJsonConfiguration,
  projectJson: ProjectJsonTargets = readProjectJson(workspaceRoot, projectRoot),
): string[] {
  const config = convertOptions(nxJson, projectJson, convertTargetName).config;
  if (typeof config !== 'string') return ['{projectRoot}/config.toml', '{projectRoot}/config.json'];
  const expanded = config.replace(/\{workspaceRoot\}/g, '.').replace(/\{projectRoot\}/g, projectRoot);
  const file = (isAbsolute(expanded) ? relative(workspaceRoot, expanded) : normalize(expanded)).split('\\').join('/');
  return file.startsWith('../') ? [] : [`{workspaceRoot}/${file}`];
}

/**
 * What ties a conversion's cache entry to the builder that made it. A builder image pinned by
 * digest (image@sha256:...) is in the task's options, which Nx hashes: nothing more. A moving tag
 * (the default :latest) gets a runtime input printing the image ID the tag names in root's storage,
 * so a newly pulled builder re-converts and an unchanged one is a cache hit. Read from project.json
 * and nx.json's targetDefaults; a builderImage given on the command line is hashed by name only.
 */
export function builderInputs(
  workspaceRoot: string,
  projectRoot: string,
  convertTargetName: string,
  nxJson: NxJsonConfiguration,
  projectJson: ProjectJsonTargets = readProjectJson(workspaceRoot, projectRoot),
): Array<{ runtime: string }> {
  const options = convertOptions(nxJson, projectJson, convertTargetName);
  const backend = typeof options.builderBackend === 'string' && options.builderBackend in BUILDER_BACKENDS ? (options.builderBackend as BuilderBackendName) : DEFAULT_BUILDER_BACKEND;
  const image = typeof options.builderImage === 'string' ? options.builderImage : BUILDER_BACKENDS[backend].defaultImage;
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return [];
  const script = relative(workspaceRoot, join(__dirname, '..', 'bin', 'builder-image-id.js')).split('\\').join('/');
  return [{ runtime: `node "${script}" "${image}"` }];
}

/** A project's project.json, or nothing when it has none (a package.json project) or it does not parse. */
export function readProjectJson(workspaceRoot: string, projectRoot: string): ProjectJsonTargets {
  return findProjectJson(workspaceRoot, projectRoot) ?? {};
}

/** A project's project.json (`{}` when it does not parse), or undefined when there is no such file. */
export function findProjectJson(workspaceRoot: string, projectRoot: string): ProjectJsonTargets | undefined {
  let text: string;
  try {
    text = readFileSync(join(workspaceRoot, projectRoot, 'project.json'), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : {};
  }
  try {
    return JSON.parse(text) ?? {};
  } catch {
    return {};
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

// The folder relative to the workspace root, or undefined when it lies outside the workspace.
function workspaceFolder(path: string, workspaceRoot: string, projectRoot: string): string | undefined {
  const expanded = path.replace(/\{workspaceRoot\}/g, '.').replace(/\{projectRoot\}/g, projectRoot);
  const rel = isAbsolute(expanded) ? relative(workspaceRoot, expanded) : normalize(expanded);
  const folder = rel.split('\\').join('/').replace(/\/+$/, '') || '.';
  return folder === '..' || folder.startsWith('../') || isAbsolute(folder) ? undefined : folder;
}

function isInside(folder: string, projectRoot: string): boolean {
  return projectRoot !== '.' && (folder === projectRoot || folder.startsWith(`${projectRoot}/`));
}
