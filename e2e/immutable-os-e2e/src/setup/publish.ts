import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../utils/child-env';
import { runOk } from '../utils/run';
import { PLUGIN_PACKAGE } from './verdaccio';

export const PLUGIN_DIST = join('dist', 'packages', 'immutable-os');

export interface PublishOptions {
  workspaceRoot: string;
  registryUrl: string;
  /** Scratch folder for the package copy and the throwaway npm userconfig. */
  dir: string;
}

/**
 * Publishes a copy of the built plugin under a fresh prerelease version (so reruns against a kept
 * registry never collide), authenticating with a throwaway token in a throwaway userconfig: the
 * user's ~/.npmrc is neither read nor written.
 */
export function publishPlugin({ workspaceRoot, registryUrl, dir }: PublishOptions): string {
  const dist = join(workspaceRoot, PLUGIN_DIST);
  const manifest = join(dist, 'package.json');
  if (!existsSync(manifest)) {
    throw new Error(`No built plugin at ${dist}: run \`nx build immutable-os\` first (\`nx e2e immutable-os-e2e\` does it).`);
  }
  const packageDir = join(dir, 'package');
  cpSync(dist, packageDir, { recursive: true });
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; version: string };
  if (pkg.name !== PLUGIN_PACKAGE) {
    throw new Error(`${manifest} names package "${pkg.name}", expected "${PLUGIN_PACKAGE}": rebuild with \`nx build immutable-os\`.`);
  }
  const version = `0.0.0-e2e.${Date.now()}`;
  writeFileSync(join(packageDir, 'package.json'), `${JSON.stringify({ ...pkg, version }, null, 2)}\n`);

  const userconfig = join(dir, 'publish.npmrc');
  const host = new URL(registryUrl).host;
  writeFileSync(userconfig, `registry=${registryUrl}/\n//${host}/:_authToken=e2e-throwaway-token\n`);
  runOk(
    'npm',
    // npm refuses to publish a prerelease without an explicit dist-tag; `latest` lets workspaces install the
    // bare name, as users do (`npm i -D immutable-os`, `nx add immutable-os`).
    ['publish', '--registry', `${registryUrl}/`, '--userconfig', userconfig, '--tag', 'latest', '--no-audit', '--no-fund'],
    { cwd: packageDir, env: childEnv(), timeoutMs: 2 * 60 * 1000 },
  );
  return version;
}
