import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type Ignore = { add(patterns: string | string[]): Ignore; ignores(path: string): boolean };
// @balena/dockerignore: a port of moby's .dockerignore matching (patterns, `**`, `!` exceptions), as podman and buildah apply it.
const dockerignore = require('@balena/dockerignore') as (options?: { ignorecase?: boolean }) => Ignore;

/** The ignore files an engine reads at the context root, in order: podman and buildah prefer .containerignore, docker reads .dockerignore. */
export const IGNORE_FILES = ['.containerignore', '.dockerignore'];

/**
 * A test for context-relative paths the build leaves out, from the context's .containerignore
 * (else .dockerignore); undefined when it has neither.
 */
export function contextIgnore(contextDir: string): ((path: string) => boolean) | undefined {
  const file = IGNORE_FILES.map((name) => join(contextDir, name)).find((path) => existsSync(path));
  if (!file) return undefined;
  const matcher = dockerignore().add(readFileSync(file, 'utf8'));
  return (path) => matcher.ignores(path);
}
