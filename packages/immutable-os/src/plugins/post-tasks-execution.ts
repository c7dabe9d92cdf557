import { closeSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Types only: @nx/devkit takes about 250 ms to load in Nx's plugin worker, which has nx's own modules loaded already.
import type { PostTasksExecutionContext, ProjectGraph, TaskResult } from '@nx/devkit';
import { BUILD_EXECUTOR } from '../image/build-spec';
import type { Engine, EngineName } from '../utils/engine';
import { normalizeImageId } from '../utils/engine-commands';
import { ImageNotRestorable, inspectImages, namedManifestList, restoreImage, retagListed } from '../utils/ensure-image';
import { readImageRecord, rebuildCommand, type ImageRecord } from '../utils/image-record';
import type { ImmutableOsPluginOptions } from './target-names';

/**
 * The plugin's postTasksExecution hook: after every run, for the bootc-build tasks in it.
 *
 * 1. A bootc-build that ran with --skip-nx-cache has its result stored in Nx's cache under the
 *    task's hash, replacing the entry that was skipped. Nx does not store results of such runs, so
 *    without this a rebuild of an image that a cache hit had lost would be followed by the old
 *    record again on the next ordinary run: the advice "rebuild with --skip-nx-cache" would loop.
 * 2. Every recorded image (cache hits included) must be in its engine's storage: refs are pointed
 *    at it again, and a missing image is brought back exactly (archive, or the registry by the
 *    digest push.json recorded for the same ID). Images that cannot be brought back fail the run,
 *    after Nx's summary, with their names and the one command that rebuilds them.
 *
 * Nx runs the hook inside its daemon when the daemon is on: messages then go to the daemon's log
 * (a failure still reaches the terminal, as the run's error), and engines see the daemon's
 * environment.
 */
export async function postTasksExecution(options: ImmutableOsPluginOptions | undefined, context: PostTasksExecutionContext): Promise<void> {
  const results = Object.values(context.taskResults);
  if (results.length === 0) return;
  const builds = buildResults(results, cachedGraph());
  if (builds.length === 0 || !claimRun(context.id)) return;
  if (skippedCache(context.argv)) await storeSkippedResults(builds.filter((r) => r.status === 'success' && r.task.cache !== false));
  if (!checkImagesOn(options)) return;
  const done = builds.filter((r) => r.status !== 'failure' && r.status !== 'skipped' && r.status !== 'stopped');
  const problems = await checkRecordedImages(done, context.workspaceRoot);
  if (problems.length > 0) throw missingImagesError(problems);
}

// The graph the run used, as Nx cached it (read through the nx module @nx/devkit re-exports it from);
// none (a run that made no graph) means no build tasks to check.
function cachedGraph(): ProjectGraph {
  try {
    return (require('nx/src/project-graph/project-graph') as { readCachedProjectGraph(): ProjectGraph }).readCachedProjectGraph();
  } catch {
    return { nodes: {}, dependencies: {} };
  }
}

/**
 * Whether to check the images: the plugin's checkImages option, unless IMMUTABLE_OS_CHECK_IMAGES
 * (true or false) says otherwise for this run. Nx hashes nx.json's plugin entries into every task,
 * so changing the option there costs every cache entry; the variable does not.
 */
export function checkImagesOn(options: ImmutableOsPluginOptions | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['IMMUTABLE_OS_CHECK_IMAGES'];
  if (value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  return options?.checkImages !== false;
}

/** The results of tasks whose target runs immutable-os:build, whatever the target is named. */
export function buildResults(results: readonly TaskResult[], graph: ProjectGraph): TaskResult[] {
  return results.filter((r) => graph.nodes[r.task.target.project]?.data.targets?.[r.task.target.target]?.executor === BUILD_EXECUTOR);
}

/** Whether the run skipped Nx's cache as --skip-nx-cache does (NX_DISABLE_NX_CACHE turns caching off: nothing is stored then). */
export function skippedCache(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NX_DISABLE_NX_CACHE'] === 'true') return false;
  if (env['NX_SKIP_NX_CACHE'] === 'true') return true;
  let skipped = false;
  for (const arg of argv) {
    const match = /^--(skip-nx-cache|skipNxCache)(?:=(.*))?$/.exec(arg);
    if (match) skipped = match[2] === undefined || match[2] === 'true';
    if (arg === '--no-skip-nx-cache' || arg === '--no-skipNxCache') skipped = false;
  }
  return skipped;
}

interface NxCache {
  init?(): Promise<void>;
  put(task: TaskResult['task'], terminalOutput: string, outputs: string[], code: number): Promise<unknown>;
}

/**
 * Stores fresh build results in Nx's cache the way its task orchestrator does after a run with the
 * cache on: Nx's own cache object (nx/src/tasks-runner/cache, the same in Nx 23 and 24), which
 * replaces the local entry and writes to a configured remote cache.
 */
async function storeSkippedResults(results: readonly TaskResult[]): Promise<void> {
  if (results.length === 0) return;
  const { getCache } = require('nx/src/tasks-runner/cache') as { getCache(options: object): NxCache };
  const cache = getCache({});
  await cache.init?.();
  for (const { task, terminalOutput } of results) {
    if (!task.hash) continue;
    try {
      await cache.put(task, terminalOutput ?? '', task.outputs, 0);
    } catch (error) {
      // The local entry is written before the remote one; a remote cache may refuse to replace an entry (Nx's self-hosted API answers 409).
      console.warn(`immutable-os: the result of ${task.id} (--skip-nx-cache) could not be stored in full in Nx's cache: ${(error as Error).message}`);
    }
  }
}

/** One record whose image is not in its engine's storage and could not be brought back. */
export interface MissingImage {
  project: string;
  buildTarget: string;
  /** Why, in a sentence (what was tried, or why the record could not be read). */
  reason: string;
}

/**
 * Checks every record of the given build results against its engine's storage (one inspect of
 * the recorded IDs an engine), retags present images whose refs moved, restores missing ones exactly, and returns the
 * records that are still missing.
 */
export async function checkRecordedImages(results: readonly TaskResult[], workspaceRoot: string): Promise<MissingImage[]> {
  const problems: MissingImage[] = [];
  const byEngine = new Map<EngineName, Array<{ record: ImageRecord; buildTarget: string }>>();
  for (const { task } of results) {
    const { project, target: buildTarget } = task.target;
    try {
      const record = readImageRecord(workspaceRoot, project, buildTarget);
      byEngine.set(record.engine, [...(byEngine.get(record.engine) ?? []), { record, buildTarget }]);
    } catch (error) {
      problems.push({ project, buildTarget, reason: (error as Error).message });
    }
  }
  for (const [name, records] of byEngine) {
    let engine: Engine;
    let listed: Map<string, Set<string>>;
    try {
      // No version check (the build made that): an engine that is not installed fails the inspect, which says so.
      engine = { name, command: name, version: '' };
      const single = records.filter(({ record }) => record.platforms.length <= 1);
      listed = await inspectImages(engine, [...new Set(single.map(({ record }) => normalizeImageId(record.imageId)))], workspaceRoot);
    } catch (error) {
      const reason = `${name}'s storage could not be read: ${(error as Error).message}`;
      problems.push(...records.map(({ record, buildTarget }) => ({ project: record.project, buildTarget, reason })));
      continue;
    }
    for (const { record, buildTarget } of records) {
      const id = normalizeImageId(record.imageId);
      const multiPlatform = record.platforms.length > 1;
      try {
        if (multiPlatform) {
          // A manifest list lives only in the storage, under refs[0]; no archive can carry it.
          if (!(await namedManifestList(engine, record.refs[0], record.imageId, workspaceRoot))) {
            problems.push({ project: record.project, buildTarget, reason: `its manifest list ${record.refs[0]} is not in ${name}'s storage (an archive cannot carry a manifest list).` });
          }
        } else if (listed.has(id)) {
          await retagListed(engine, record, listed.get(id) ?? new Set(), workspaceRoot);
        } else {
          const source = await restoreImage(engine, record, workspaceRoot, buildTarget, false);
          console.log(`immutable-os: brought ${record.project}'s image ${id.slice(0, 12)} back into ${name}'s storage from ${source}.`);
        }
      } catch (error) {
        const reason =
          error instanceof ImageNotRestorable && !/does not hold/.test(error.message)
            ? `not in ${name}'s storage, and neither dist/images/${record.project}/image.oci.tar nor a push.json of image ${id.slice(0, 12)} can bring it back.`
            : (error as Error).message;
        problems.push({ project: record.project, buildTarget, reason });
      }
    }
  }
  return problems;
}

/** The run's error: which images are missing, and the one command that rebuilds them and replaces their cache entries. */
export function missingImagesError(problems: readonly MissingImage[]): Error {
  const byTarget = new Map<string, string[]>();
  for (const { project, buildTarget } of problems) byTarget.set(buildTarget, [...new Set([...(byTarget.get(buildTarget) ?? []), project])]);
  const one = problems.length === 1;
  const lines = [
    `immutable-os: ${one ? 'the image' : `the images of ${problems.length} tasks`} that ${[...byTarget.keys()].join(', ')} recorded ${one ? 'is' : 'are'} not there, so this run fails although Nx reported ${one ? 'the task' : 'them'} as done:`,
    ...problems.map(({ project, buildTarget, reason }) => `- ${project}:${buildTarget}: ${reason}`),
    'A cache hit restores the record (dist/images/<project>/image.json), not the image. Rebuild them; the rebuild also replaces their cache entries, so the next runs find the new records:',
    ...[...byTarget].map(([target, projects]) => `  ${rebuildCommand(projects, target)}`),
    `To have cache hits bring images back by themselves, set archive: true on ${[...byTarget.keys()].join(', ')}, or push the images with bootc-push (they are then pulled back by digest).`,
  ];
  const error = new Error(lines.join('\n'));
  error.stack = undefined;
  return error;
}

const CLAIM_PREFIX = 'immutable-os-post-tasks-';

/**
 * True for the first of the plugin's registrations in nx.json to see this run: each registration
 * gets the hook (in its own plugin worker when Nx isolates plugins), and one does the work.
 * Claims older than a day are removed.
 */
function claimRun(id: string): boolean {
  const dir = tmpdir();
  try {
    closeSync(openSync(join(dir, `${CLAIM_PREFIX}${id}`), 'wx'));
  } catch {
    return false;
  }
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(CLAIM_PREFIX)) continue;
    try {
      if (statSync(join(dir, name)).mtimeMs < dayAgo) rmSync(join(dir, name), { force: true });
    } catch {
      // another run removed it
    }
  }
  return true;
}
