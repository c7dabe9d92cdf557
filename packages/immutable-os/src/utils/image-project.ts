import type { ProjectConfiguration } from '@nx/devkit';
import { repositoryKey } from './image-ref';

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

export function imageMetadata(project: ProjectLike): ImageProjectMetadata {
  const value = (project.metadata as Record<string, unknown> | undefined)?.[METADATA_KEY];
  return value && typeof value === 'object' ? (value as ImageProjectMetadata) : {};
}

/** The repository an image project's images are built into. */
export function imageRepository(projectName: string, project: ProjectLike): string {
  return imageMetadata(project).image ?? `localhost/${projectName}`;
}

/** Maps each image project's repository key (see repositoryKey) to the project's name. */
export function indexImageProjects(projects: Iterable<[name: string, project: ProjectLike]>): Map<string, string> {
  const index = new Map<string, string>();
  // Sorted by name (code units: the same order on every machine and locale), so the first claim wins.
  for (const [name, project] of [...projects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const key = repositoryKey(imageRepository(name, project));
    if (key && !index.has(key)) index.set(key, name);
  }
  return index;
}
