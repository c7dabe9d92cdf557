import { readFileSync, writeFileSync } from 'node:fs';

/** What globalSetup made, for the spec and globalTeardown (which run apart from it). */
export interface E2eContext {
  /** Everything the run created lives below this folder. */
  tempRoot: string;
  /** The repository the e2e runs from (tools/fixtures live there). */
  repoRoot: string;
  /** The Nx workspace with the plugin installed that each spec copies (copyWorkspace); never used directly. */
  templateWorkspace: string;
  registryUrl: string;
  /** The prerelease version of immutable-os published for this run. */
  pluginVersion: string;
  /** verdaccio's pid, which is also its process group id. */
  verdaccioPid: number;
  verdaccioLog: string;
}

// globalSetup runs in the jest parent process: the env var it sets is inherited by the test
// process (in band or a worker forked later), and the file carries the values.
export const CONTEXT_ENV = 'IMMUTABLE_OS_E2E_CONTEXT';

export function writeE2eContext(path: string, context: E2eContext): void {
  writeFileSync(path, `${JSON.stringify(context, null, 2)}\n`);
  process.env[CONTEXT_ENV] = path;
}

export function readE2eContext(): E2eContext {
  const path = process.env[CONTEXT_ENV];
  if (!path) {
    throw new Error(
      `${CONTEXT_ENV} is not set: the e2e spec needs its globalSetup. Run it with \`nx e2e immutable-os-e2e\`, not the spec alone.`,
    );
  }
  return JSON.parse(readFileSync(path, 'utf8')) as E2eContext;
}
