import { createProjectGraphAsync, type Tree } from '@nx/devkit';
import { graphProjects, workspaceDepth } from '../../ci/plan';
import { pluginTargetNames } from '../ci/lib/normalize-options';
import { ciGenerator, OPTIONS_MARKER } from '../ci/generator';
import { CI_PROVIDER_NAMES, CI_PROVIDERS } from '../ci/lib/providers';
import type { CiGeneratorSchema } from '../ci/schema';

interface SyncResult {
  outOfSyncMessage?: string;
  outOfSyncDetails?: string[];
}

/**
 * The sync generator of the CI pipelines (nx sync, nx sync:check): writes each pipeline that
 * `nx g immutable-os:ci` wrote again, with the options it recorded, so a pipeline edited by hand or
 * left behind by the workspace (another package manager, renamed targets, a longer FROM chain than
 * its wave jobs) is rewritten by nx sync and fails nx sync:check, which names the first line that differs.
 */
export async function ciSyncGenerator(tree: Tree): Promise<SyncResult> {
  const details: string[] = [];
  for (const provider of CI_PROVIDER_NAMES) {
    const file = CI_PROVIDERS[provider].file;
    const before = tree.read(file, 'utf-8');
    if (before === null) continue;
    const recorded = recordedOptions(before, file);
    if (!recorded) continue;
    if (recorded.provider !== provider) {
      details.push(`${file}: its options line names provider ${JSON.stringify(recorded.provider)}; regenerate it with nx g immutable-os:ci --provider=${provider} --force.`);
      continue;
    }
    const waves = recorded.fanOut ? await neededWaves(recorded.waves, pluginTargetNames(tree).buildTargetName) : undefined;
    await ciGenerator(tree, { ...recorded, ...(waves ? { waves } : {}), force: true });
    const after = tree.read(file, 'utf-8') as string;
    if (after !== before) details.push(firstDifference(file, before, after));
  }
  return details.length === 0 ? {} : { outOfSyncMessage: 'The CI pipeline is not what nx g immutable-os:ci writes for this workspace now: run nx sync to rewrite it (edit the pipeline through the generator\'s options, not by hand).', outOfSyncDetails: details };
}

// The options the pipeline recorded; undefined for a pipeline without the line (not written by immutable-os, or by an older version).
function recordedOptions(text: string, file: string): CiGeneratorSchema | undefined {
  const line = text.split('\n').find((l) => l.startsWith(OPTIONS_MARKER));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice(OPTIONS_MARKER.length)) as CiGeneratorSchema;
  } catch (error) {
    throw new Error(`${file}: the line "${OPTIONS_MARKER} ..." is not JSON (${(error as Error).message}); restore it, or regenerate the pipeline with nx g immutable-os:ci --force.`);
  }
}

// With --fanOut: at least as many wave jobs as the workspace's longest chain of images built FROM each other.
async function neededWaves(recorded: number | undefined, buildTarget: string): Promise<number | undefined> {
  try {
    const depth = workspaceDepth(graphProjects(await createProjectGraphAsync({ exitOnError: false }), buildTarget));
    return Math.max(depth, recorded ?? 4);
  } catch {
    return recorded;
  }
}

function firstDifference(file: string, before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `${file}:${at + 1}: the file has ${JSON.stringify(a[at] ?? '(end of file)')}, the generator writes ${JSON.stringify(b[at] ?? '(end of file)')}`;
}

export default ciSyncGenerator;
