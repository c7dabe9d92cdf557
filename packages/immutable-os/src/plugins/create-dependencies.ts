import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
// Types only: loading @nx/devkit at run time costs the graph about 100 ms per run (see BENCHMARKS.md).
import type { CreateDependencies, CreateDependenciesContext, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { buildTargetOptions, CONTAINERFILE_NAMES, hasBuildTarget, parseBuildSpec, resolveBuildSpec, type BuildSpec, type BuildSpecOptions } from '../image/build-spec';
import { parseContainerfile } from '../utils/containerfile';
import { scanImageUses } from '../utils/containerfile-scan';
import { declaresVariants, imageRoots, variantOf } from '../image/variants';
import { indexImageProjects } from '../utils/image-project';
import { isPreprocessed, type PreprocessedContainerfile } from '../utils/preprocess';
import { ContainerfileCache, fileSha256, includesUnchanged, type CachedParse } from './containerfile-cache';
import type { ImmutableOsPluginOptions } from './target-names';

type ImageRoots = ReturnType<typeof imageRoots>;

export const CACHE_FILE = 'immutable-os-containerfiles.json';

/**
 * Adds a static edge from each image project to every workspace image it builds on:
 * every stage's FROM, `COPY --from=<image>` and `RUN --mount=...,from=<image>`.
 */
export const createDependencies: CreateDependencies<ImmutableOsPluginOptions> = (_options, context) =>
  imageDependencies(context, join(workspaceDataDirectory(), CACHE_FILE));

const STATIC = 'static' as DependencyType.static;
// A variant's Containerfile is its family's file (Nx requires a static edge's file to be the source
// project's own), so its edges are implicit: they come from the variant's resolved FROMs all the same.
const IMPLICIT = 'implicit' as DependencyType.implicit;

/**
 * Nx's workspace data folder (.nx/workspace-data unless configured). Read from the nx module that
 * @nx/devkit/internal re-exports it from: Nx's plugin worker has that one loaded already, while
 * loading @nx/devkit/internal takes about 100 ms; the latter stays the fallback should nx move it.
 */
export function workspaceDataDirectory(): string {
  try {
    return (require('nx/src/utils/cache-directory') as { workspaceDataDirectory: string }).workspaceDataDirectory;
  } catch {
    return (require('@nx/devkit/internal') as { workspaceDataDirectory: string }).workspaceDataDirectory;
  }
}

/** The edges of createDependencies, with the parsed Containerfiles cached in the file `cachePath`. */
export function imageDependencies(context: CreateDependenciesContext, cachePath: string): RawProjectGraphDependency[] {
  const imageProjects: Array<{ name: string; roots: ImageRoots; variant: boolean; options: BuildSpecOptions; file: string; key: string }> = [];
  for (const [name, project] of Object.entries(context.projects)) {
    // A family's cells are its image projects; a cell's files are its family's (image/variants.ts).
    if (declaresVariants(project)) continue;
    const roots = imageRoots(context.workspaceRoot, project);
    const files = context.fileMap.projectFileMap[variantOf(project)?.family ?? name];
    if (!files) continue;
    // What bootc-build builds: its containerfile option, else the root's first of CONTAINERFILE_NAMES.
    const options = buildTargetOptions(project);
    const wanted = containerfileCandidates(roots.projectRoot, options.containerfile, hasBuildTarget(project));
    const entry = wanted.map((file) => files.find((f) => f.file === file)).find((f) => f !== undefined);
    if (entry) imageProjects.push({ name, roots, variant: roots.viewRoot !== undefined, options, file: entry.file, key: cacheKey(entry.hash, entry.file, options) });
  }
  if (imageProjects.length === 0) return [];

  const index = indexImageProjects(imageProjects.map(({ name }) => [name, context.projects[name]]));
  const cache = new ContainerfileCache(cachePath);
  // A family's variants differ in build args, which cpp never sees: one cpp run per file and flag set.
  const cppRuns = new Map<string, PreprocessedContainerfile>();
  const dependencies: RawProjectGraphDependency[] = [];
  for (const { name, roots, variant, options, file, key } of imageProjects) {
    const uses = cache.get(key, () => readImageUses(roots, file, options, cppRuns), (entry) => includesUnchanged(context.workspaceRoot, entry.includes));
    const targets = new Set<string>();
    for (const use of uses) {
      const target = index.lookup(use.ref);
      if (target && target !== name && !targets.has(target)) {
        targets.add(target);
        dependencies.push(variant ? { source: name, target, type: IMPLICIT } : { source: name, target, type: STATIC, sourceFile: file });
      }
    }
  }
  cache.save();
  return dependencies;
}

// The workspace-relative files bootc-build may build, in the order it picks one. A Dockerfile makes an
// image project only where bootc-build is a target (a project.json with metadata["immutable-os"]):
// other projects' Dockerfiles are not bootc images.
function containerfileCandidates(root: string, option: unknown, buildTarget: boolean): string[] {
  const inRoot = (name: string) => (root === '.' ? name : `${root}/${name}`);
  if (typeof option === 'string' && option !== '') {
    return [posix.normalize(option.replace(/\{workspaceRoot\}\/?/g, '').replace(/\{projectRoot\}/g, root))];
  }
  return CONTAINERFILE_NAMES.filter((name) => buildTarget || name.startsWith('Containerfile')).map(inRoot);
}

// Nx's content hash, plus what else decides the parse: the build args, and for a Containerfile.in its cpp flags and context.
function cacheKey(hash: string, file: string, options: BuildSpecOptions): string {
  const args = options.buildArgs && typeof options.buildArgs === 'object' ? options.buildArgs : {};
  const extra = isPreprocessed(file) ? { args, cppFlags: options.cppFlags ?? [], context: options.context ?? null } : Object.keys(args).length > 0 ? { args } : undefined;
  return extra === undefined ? hash : `${hash}:${createHash('sha256').update(JSON.stringify(extra)).digest('hex').slice(0, 16)}`;
}

/**
 * The images a Containerfile (workspace-relative `file`) uses, as bootc-build reads it, and for a
 * Containerfile.in the files it includes; createNodes reads a file's includes the same way.
 * Undefined when the file cannot be read or resolved: it gives no edges, must not break the graph
 * (bootc-lint reports it) and is not cached, since its hash says Nx read that content a moment ago.
 */
export function readImageUses(roots: ImageRoots, file: string, options: BuildSpecOptions, cppRuns: Map<string, PreprocessedContainerfile>): CachedParse | undefined {
  const { workspaceRoot } = roots;
  const plain = !isPreprocessed(file) && (!options.buildArgs || Object.keys(options.buildArgs).length === 0);
  if (plain) {
    let content: string;
    try {
      content = readFileSync(join(workspaceRoot, file), 'utf8');
    } catch {
      return undefined;
    }
    // The line scanner reads plain files exactly; anything else goes through the full parser.
    const images = scanImageUses(content) ?? parseContainerfile(content).images;
    return { uses: images.map(({ ref, line }) => ({ ref, line })) };
  }
  // Build args or cpp: the resolver bootc-build and bootc-lint use decides the text and the args.
  let spec: BuildSpec;
  try {
    spec = resolveBuildSpec({ ...roots, options: { ...options, containerfile: file }, cppRuns });
  } catch {
    return undefined;
  }
  const includes = Object.fromEntries((spec.cpp?.includes ?? []).map((include) => [include, fileSha256(join(workspaceRoot, include)) ?? '']));
  return { uses: parseBuildSpec(spec).images.map(({ ref, line }) => ({ ref, line })), ...(spec.cpp ? { includes } : {}) };
}
