import { mkdirSync } from 'node:fs';
import { childEnv } from '../utils/child-env';
import { writeFile } from '../utils/files';
import { commitAll, initRepository } from '../utils/git';
import { runOk } from '../utils/run';
import { PLUGIN_PACKAGE } from './verdaccio';

export const NX_VERSION = '23.2.1';

export interface WorkspaceOptions {
  root: string;
  registryUrl: string;
  pluginVersion: string;
}

/**
 * Lays out a new Nx workspace by hand (create-nx-workspace reaches for the network), installs nx
 * and the published plugin from the local registry, and commits it all.
 */
export function createWorkspace({ root, registryUrl, pluginVersion }: WorkspaceOptions): void {
  mkdirSync(root, { recursive: true });
  initRepository(root);
  writeFile(root, 'package.json', json({ name: 'e2e-workspace', version: '0.0.0', private: true, license: 'MIT' }));
  writeFile(
    root,
    'nx.json',
    json({ $schema: './node_modules/nx/schemas/nx-schema.json', useDaemonProcess: false, analytics: false }),
  );
  writeFile(root, '.gitignore', ['node_modules', '.nx/cache', '.nx/workspace-data', ''].join('\n'));
  writeFile(root, '.npmrc', `registry=${registryUrl}/\n`);
  runOk(
    'npm',
    ['install', '--save-dev', `nx@${NX_VERSION}`, `${PLUGIN_PACKAGE}@${pluginVersion}`, '--no-audit', '--no-fund'],
    { cwd: root, env: childEnv(), timeoutMs: 15 * 60 * 1000 },
  );
  commitAll(root, 'A fresh Nx workspace with immutable-os installed');
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
