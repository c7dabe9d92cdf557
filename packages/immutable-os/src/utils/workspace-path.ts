import { relative, resolve } from 'node:path';

export interface PathRoots {
  workspaceRoot: string;
  projectRoot: string;
  /** A variant's own root (which holds no files): paths under it mean the same paths under projectRoot. */
  viewRoot?: string;
}

/**
 * Resolves an option's path: `{workspaceRoot}` and `{projectRoot}` tokens, else relative to the
 * workspace root (never the current directory); absolute paths stay as they are.
 */
export function resolveWorkspacePath(value: string, roots: PathRoots, option: string): string {
  const expanded = value.replace(/\{workspaceRoot\}/g, '.').replace(/\{projectRoot\}/g, roots.projectRoot);
  const unknown = /\{[^}]*\}/.exec(expanded);
  if (unknown) {
    throw new Error(`${option}: "${value}" uses the unknown token ${unknown[0]}; paths accept {workspaceRoot} and {projectRoot}.`);
  }
  const path = resolve(roots.workspaceRoot, expanded);
  if (roots.viewRoot === undefined) return path;
  const view = resolve(roots.workspaceRoot, roots.viewRoot);
  return path === view || path.startsWith(`${view}/`) ? resolve(roots.workspaceRoot, roots.projectRoot) + path.slice(view.length) : path;
}

/** The path relative to the workspace root, with forward slashes (for messages and records). */
export function workspaceRelative(path: string, workspaceRoot: string): string {
  return relative(workspaceRoot, path).split('\\').join('/') || '.';
}
