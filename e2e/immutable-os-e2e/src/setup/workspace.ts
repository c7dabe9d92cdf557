import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../utils/child-env';
import { readE2eContext } from '../utils/e2e-context';
import { writeFile } from '../utils/files';
import { commitAll, initRepository } from '../utils/git';
import { runOk } from '../utils/run';
import { PLUGIN_PACKAGE } from './verdaccio';
import { nxVersionUnderTest } from './nx-versions';

/** The nx release installed into this run's workspaces (E2E_NX_VERSION, else the newest tested). */
export const NX_VERSION = nxVersionUnderTest();

export interface TemplateOptions {
  root: string;
  registryUrl: string;
  pluginVersion: string;
}

// What a copy does not take from the template: its own repository, Nx's per-workspace state, and
// node_modules, which it links instead.
const NOT_COPIED = new Set(['.git', '.nx', 'node_modules']);

/**
 * Lays out the template Nx workspace by hand (create-nx-workspace reaches for the network) and
 * installs nx and the published plugin from the local registry, once per run. Specs never work in
 * it: each takes its own copy (copyWorkspace).
 */
export function createTemplateWorkspace({ root, registryUrl, pluginVersion }: TemplateOptions): void {
  writeWorkspaceSkeleton(root);
  writeFile(root, '.npmrc', `registry=${registryUrl}/\n`);
  // What a user types: nx first, then the plugin by its bare name (the registry's latest).
  const install = (packages: string[]) =>
    runOk('npm', ['install', '--save-dev', ...packages, '--no-audit', '--no-fund'], { cwd: root, env: childEnv(), timeoutMs: 15 * 60 * 1000 });
  install([`nx@${NX_VERSION}`]);
  install([PLUGIN_PACKAGE]);
  const installed = JSON.parse(readFileSync(join(root, 'node_modules', PLUGIN_PACKAGE, 'package.json'), 'utf8')).version;
  if (installed !== pluginVersion) {
    throw new Error(`npm installed ${PLUGIN_PACKAGE}@${installed} from ${registryUrl}, expected the version published for this run, ${pluginVersion}.`);
  }
}

/**
 * What every e2e workspace starts from, whatever installs into it: a private package.json, an nx.json
 * with the daemon and analytics off, and a .gitignore for node_modules and Nx's own folders.
 */
export function writeWorkspaceSkeleton(root: string): void {
  mkdirSync(root, { recursive: true });
  writeFile(root, 'package.json', json({ name: 'e2e-workspace', version: '0.0.0', private: true, license: 'MIT' }));
  writeFile(
    root,
    'nx.json',
    json({ $schema: './node_modules/nx/schemas/nx-schema.json', useDaemonProcess: false, analytics: false }),
  );
  writeFile(root, '.gitignore', ['node_modules', '.nx/cache', '.nx/workspace-data', ''].join('\n'));
}

/**
 * A fresh workspace for one spec file, in a new folder below `parent`: the template's files, its
 * node_modules linked (nx and the plugin resolve through the link), and a new git repository with
 * everything committed. Returns the workspace root.
 */
export function copyWorkspace(template: string, parent: string, name: string): string {
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(join(parent, `${name}-`));
  for (const entry of readdirSync(template)) {
    if (!NOT_COPIED.has(entry)) cpSync(join(template, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(template, 'node_modules'), join(root, 'node_modules'), 'dir');
  initRepository(root);
  commitAll(root, 'A fresh Nx workspace with immutable-os installed');
  return root;
}

/** A spec file's own workspace, copied from this run's template (removed with the run's temp folder). */
export function specWorkspace(name: string): string {
  const { templateWorkspace, tempRoot } = readE2eContext();
  return copyWorkspace(templateWorkspace, join(tempRoot, 'workspaces'), name);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
