import { formatFiles, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { normalizeTargetNames } from '../../plugins/target-names';
import type { InitGeneratorSchema } from './schema';

export const PLUGIN_NAME = 'immutable-os';

// Build outputs (dist/images, dist/disks) and Nx's local cache never belong in git.
const IGNORED = ['/dist', '/.nx/cache', '/.nx/workspace-data'];

/** Registers the plugin in nx.json (once) and ignores the output folders. Running it twice changes nothing. */
export async function initGenerator(tree: Tree, options: InitGeneratorSchema) {
  registerPlugin(tree, options);
  ignoreOutputs(tree);
  if (!options.skipFormat) await formatFiles(tree);
}

function registerPlugin(tree: Tree, options: InitGeneratorSchema) {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const registered = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (registered) return;
  const { lintTargetName, buildTargetName, pushTargetName, convertTargetName, testTargetName, promoteTargetName, rollbackTargetName } = normalizeTargetNames(options);
  nxJson.plugins = [
    ...plugins,
    { plugin: PLUGIN_NAME, options: { lintTargetName, buildTargetName, pushTargetName, convertTargetName, testTargetName, promoteTargetName, rollbackTargetName } },
  ];
  updateNxJson(tree, nxJson);
}

function ignoreOutputs(tree: Tree) {
  const current = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8') ?? '' : '';
  const lines = new Set(current.split(/\r?\n/).map((l) => l.trim().replace(/\/$/, '')));
  const missing = IGNORED.filter((entry) => !lines.has(entry) && !lines.has(entry.slice(1)));
  if (missing.length === 0) return;
  const prefix = current === '' || current.endsWith('\n') ? current : `${current}\n`;
  tree.write('.gitignore', `${prefix}\n# immutable-os: image and disk outputs, Nx cache\n${missing.join('\n')}\n`);
}

export default initGenerator;
