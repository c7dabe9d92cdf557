import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** e2e/immutable-os-e2e/nx-versions.json: the Nx releases the e2e is run on, newest first. */
export interface NxVersionList {
  versions: string[];
  compatibilitySpecs: string[];
}

export const NX_VERSIONS_FILE = join(__dirname, '..', '..', 'nx-versions.json');

export function readNxVersionList(): NxVersionList {
  return JSON.parse(readFileSync(NX_VERSIONS_FILE, 'utf8')) as NxVersionList;
}

/** The release this run installs: E2E_NX_VERSION (set per run by run-e2e.mjs), else the newest listed. */
export function nxVersionUnderTest(env: NodeJS.ProcessEnv = process.env): string {
  return env.E2E_NX_VERSION || readNxVersionList().versions[0];
}
