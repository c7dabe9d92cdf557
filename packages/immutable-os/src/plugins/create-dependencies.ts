import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// Types only: loading @nx/devkit at run time costs the graph about 100 ms per run (see BENCHMARKS.md).
import type { CreateDependencies, CreateDependenciesContext, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { parseContainerfile } from '../utils/containerfile';
import { scanImageUses } from '../utils/containerfile-scan';
import { repositoryKey } from '../utils/image-ref';
import { CONTAINERFILE, indexImageProjects } from '../utils/image-project';
import { ContainerfileCache, type CachedImageUse } from './containerfile-cache';
import type { ImmutableOsPluginOptions } from './target-names';

export const CACHE_FILE = 'immutable-os-containerfiles.json';

/**
 * Adds a static edge from each image project to every workspace image it builds on:
 * every stage's FROM, `COPY --from=<image>` and `RUN --mount=...,from=<image>`.
 */
export const createDependencies: CreateDependencies<ImmutableOsPluginOptions> = (_options, context) =>
  imageDependencies(context, join(workspaceDataDirectory(), CACHE_FILE));

const STATIC = 'static' as DependencyType.static;

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
  const imageProjects: Array<{ name: string; file: string; hash: string }> = [];
  for (const [name, project] of Object.entries(context.projects)) {
    const containerfile = project.root === '.' ? CONTAINERFILE : `${project.root}/${CONTAINERFILE}`;
    const entry = context.fileMap.projectFileMap[name]?.find((f) => f.file === containerfile);
    if (entry) imageProjects.push({ name, file: entry.file, hash: entry.hash });
  }
  if (imageProjects.length === 0) return [];

  const index = indexImageProjects(imageProjects.map(({ name }) => [name, context.projects[name]]));
  const cache = new ContainerfileCache(cachePath);
  const dependencies: RawProjectGraphDependency[] = [];
  for (const { name, file, hash } of imageProjects) {
    const uses = cache.get(hash, () => readImageUses(join(context.workspaceRoot, file)));
    const targets = new Set<string>();
    for (const use of uses) {
      const key = repositoryKey(use.ref);
      const target = key === undefined ? undefined : index.get(key);
      if (target && target !== name && !targets.has(target)) {
        targets.add(target);
        dependencies.push({ source: name, target, type: STATIC, sourceFile: file });
      }
    }
  }
  cache.save();
  return dependencies;
}

// Undefined when the file cannot be read: it gives no edges, must not break the graph (bootc-lint reports it)
// and is not cached, since its hash says Nx read that content a moment ago.
function readImageUses(path: string): CachedImageUse[] | undefined {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  // The line scanner reads plain files exactly; anything else goes through the full parser.
  const images = scanImageUses(content) ?? parseContainerfile(content).images;
  return images.map(({ ref, line }) => ({ ref, line }));
}
