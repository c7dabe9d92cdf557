import { relative, resolve } from 'node:path';

export interface PathRoots {
  workspaceRoot: string;
  projectRoot: string;
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
  return resolve(roots.workspaceRoot, expanded);
}

/** The path relative to the workspace root, with forward slashes (for messages and records). */
export function workspaceRelative(path: string, workspaceRoot: string): string {
  return relative(workspaceRoot, path).split('\\').join('/') || '.';
}
