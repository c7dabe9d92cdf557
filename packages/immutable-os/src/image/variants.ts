/**
 * Variants: cells of a matrix a project.json declares (variant-matrix.ts expands it), each an Nx
 * project. Nx keys projects by root, so a cell's root is a folder that holds no files,
 * `<root>/.variants/<cell>`: its targets read the declaring folder (`variantOf(...).sourceRoot`),
 * and a path under the cell's root means the same path under the declaring folder (`imageRoots`).
 * Kept apart from the matrix (and zod) so the graph and the executors load it cheaply.
 */

/** The folder under the declaring project's root that holds (in name only) its cells' roots. */
export const VARIANTS_DIR = '.variants';

/** What a cell's project metadata says about where it comes from. */
export interface VariantOrigin {
  /** The declaring project. */
  family: string;
  /** The declaring project's root, where the cell's Containerfile, rootfs/ and config live. */
  sourceRoot: string;
  values: Record<string, string>;
}

/** The root a cell's project gets: a folder under the declaring root that no file lives in. */
export function variantRoot(sourceRoot: string, cell: string): string {
  return sourceRoot === '.' ? `${VARIANTS_DIR}/${cell}` : `${sourceRoot}/${VARIANTS_DIR}/${cell}`;
}

interface ProjectLike {
  root: string;
  metadata?: Record<string, unknown>;
}

/** Where a cell comes from, from its project metadata; undefined for any other project. */
export function variantOf(project: ProjectLike | undefined): VariantOrigin | undefined {
  const value = (project?.metadata?.['immutable-os'] as { variant?: VariantOrigin } | undefined)?.variant;
  return value && typeof value.sourceRoot === 'string' && typeof value.family === 'string' ? value : undefined;
}

/**
 * The roots an image project's paths resolve against: its own root, or for a cell the declaring
 * folder, with the cell's (empty) root as a view of it (`{projectRoot}` in targetDefaults is the
 * cell's root once Nx has replaced it).
 */
export function imageRoots(workspaceRoot: string, project: ProjectLike): { workspaceRoot: string; projectRoot: string; viewRoot?: string } {
  const origin = variantOf(project);
  return origin ? { workspaceRoot, projectRoot: origin.sourceRoot, viewRoot: project.root } : { workspaceRoot, projectRoot: project.root };
}

/** Whether the project declares variants (its cells are the image projects; it builds nothing itself). */
export function declaresVariants(project: { metadata?: Record<string, unknown> } | undefined): boolean {
  return (project?.metadata?.['immutable-os'] as { variants?: unknown } | undefined)?.variants !== undefined;
}
