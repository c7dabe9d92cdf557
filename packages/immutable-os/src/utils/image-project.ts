import type { ProjectConfiguration } from '@nx/devkit';
import { findContainerfile, hasBuildTarget } from '../image/build-spec';
import { declaresVariants } from '../image/variants';
import { parseImageReference, repositoryKey } from './image-ref';

/**
 * An image project records its image settings in project.json under `metadata["immutable-os"]`:
 * Nx keeps them in the project configuration, so the graph plugin and the executors read them
 * without opening any file.
 */
export const METADATA_KEY = 'immutable-os';

export const CONTAINERFILE = 'Containerfile';

export interface ImageProjectMetadata {
  /** Image repository, e.g. `ghcr.io/acme/edge-node`; default `localhost/<project>`. */
  image?: string;
  /** Default tags for bootc-build. */
  tags?: string[];
  /** Default disk formats for bootc-convert. */
  formats?: string[];
}

type ProjectLike = Pick<ProjectConfiguration, 'name' | 'metadata'>;

/** Whether a project builds an image: a bootc-build target, or a Containerfile at its root; a family (its cells build) does not. */
export function isImageProject(workspaceRoot: string, project: Pick<ProjectConfiguration, 'root' | 'metadata' | 'targets'>): boolean {
  if (declaresVariants(project)) return false;
  return hasBuildTarget(project) || findContainerfile(workspaceRoot, project.root) !== undefined;
}

export function imageMetadata(project: ProjectLike): ImageProjectMetadata {
  const value = (project.metadata as Record<string, unknown> | undefined)?.[METADATA_KEY];
  return value && typeof value === 'object' ? (value as ImageProjectMetadata) : {};
}

/** The repository an image project's images are built into. */
export function imageRepository(projectName: string, project: ProjectLike): string {
  return imageMetadata(project).image ?? `localhost/${projectName}`;
}

/** Which workspace project builds the image a reference names. */
export interface ImageProjectIndex {
  lookup(ref: string): string | undefined;
}

/**
 * Indexes image projects by repository (see repositoryKey) and tag. A repository one project
 * builds matches that project whatever the tag (it may tag {sha} or {date}); a repository several
 * build (variants differing by tag, e.g. bluefin:stable and bluefin:latest) matches the project
 * whose tags (after {projectName}; default latest) include the reference's tag, and no project
 * when none does: a wrong match would build on another variant's image.
 */
export function indexImageProjects(projects: Iterable<[name: string, project: ProjectLike]>): ImageProjectIndex {
  const byRepository = new Map<string, Array<{ name: string; tags: Set<string> }>>();
  // Sorted by name (code units: the same order on every machine and locale), so the first claim wins.
  for (const [name, project] of [...projects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const key = repositoryKey(imageRepository(name, project));
    if (!key) continue;
    const templates = imageMetadata(project).tags;
    const tags = new Set((Array.isArray(templates) && templates.length > 0 ? templates : ['latest']).map((t) => String(t).replace(/\{projectName\}/g, name)).filter((t) => !t.includes('{')));
    byRepository.set(key, [...(byRepository.get(key) ?? []), { name, tags }]);
  }
  return {
    lookup(ref) {
      const key = repositoryKey(ref);
      const claims = key === undefined ? undefined : byRepository.get(key);
      if (!claims) return undefined;
      if (claims.length === 1) return claims[0].name;
      const parsed = parseImageReference(ref);
      const tag = 'error' in parsed ? undefined : (parsed.tag ?? (parsed.digest ? undefined : 'latest'));
      return tag === undefined ? undefined : claims.find((claim) => claim.tags.has(tag))?.name;
    },
  };
}
