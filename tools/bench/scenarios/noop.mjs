import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSeries } from '../lib/series.mjs';
import { pairedRatio, summarize } from '../lib/stats.mjs';
import { NX_ENV, nxCommand, writeNxJson } from '../lib/workspace.mjs';

const LOOP = fileURLToPath(new URL('../lib/podman-loop.mjs', import.meta.url));
const CHECK_AT_SCALE = fileURLToPath(new URL('../lib/image-check-scale.cjs', import.meta.url));
/** Record counts for the in-process timing of the image check: the realistic fleet and the 1,000-project fleet. */
export const CHECK_COUNTS = [50, 1000];
export const NOOP_VARIANTS = [
  'nx run-many -t bootc-build (all cache hits)',
  'podman build loop (layer cache warm)',
  'nx run-many, IMMUTABLE_OS_CHECK_IMAGES=false (no image check)',
];

/**
 * Scenario 3: with every image of the realistic fleet built once, a second
 * `nx run-many -t bootc-build` (all cache hits) against a loop of `podman build` over the same
 * Containerfiles in build order (its warm-up round fills the engine's layer cache), and against the
 * same run with the plugin's image check off (`checkImages: false`): the cost of the
 * postTasksExecution hook that checks every recorded image is in podman's storage.
 */
export async function noopScenario(ctx, fleet) {
  console.log(`\n== no-op rebuild of ${fleet.model.projects.length} images`);
  const count = fleet.model.projects.length;
  const nxRun = {
    ...nxCommand(fleet.dir, ['run-many', '-t', 'bootc-build', '--outputStyle=static']),
    cwd: fleet.dir,
    env: NX_ENV,
    check: (result) => {
      const hits = /for (\d+) out of (\d+) tasks/.exec(result.stdout);
      if (!hits || Number(hits[1]) !== count || Number(hits[2]) !== count) {
        throw new Error(`nx run-many -t bootc-build was not all cache hits (${hits?.[0] ?? 'no cache line'}):\n${result.stdout.slice(-3000)}`);
      }
    },
  };
  const loop = { command: process.execPath, args: [LOOP, fleet.dir, ...fleet.model.projects.map((p) => p.name)], cwd: fleet.dir, env: process.env };
  // Without the check: the same workspace, the check turned off for the run (IMMUTABLE_OS_CHECK_IMAGES;
  // checkImages in nx.json would change every task's hash, since Nx hashes nx.json's plugin entries).
  const series = await runSeries({
    label: 'no-op rebuild',
    variants: [
      { name: NOOP_VARIANTS[0], ...nxRun },
      { name: NOOP_VARIANTS[1], ...loop },
      { name: NOOP_VARIANTS[2], ...nxRun, env: { ...NX_ENV, IMMUTABLE_OS_CHECK_IMAGES: 'false' } },
    ],
    runs: ctx.options.runs,
    quiet: ctx.quiet,
  });
  const speedup = pairedRatio(series.variants[NOOP_VARIANTS[1]].wallMs, series.variants[NOOP_VARIANTS[0]].wallMs);
  const checkCost = pairedRatio(series.variants[NOOP_VARIANTS[0]].wallMs, series.variants[NOOP_VARIANTS[2]].wallMs);
  const checkAtScale = CHECK_COUNTS.map((records) => imageCheckAtScale(ctx, fleet, records));
  return { images: count, files: fleet.model.files, steps: 10, firstBuildMs: fleet.firstBuildMs, series, speedup, checkCost, checkAtScale };
}

/**
 * The image check alone, in one process, on `records` copies of the fleet's records (all images
 * present): what the hook adds to a no-op run at that size, without Nx's own cost of a run that
 * large. The 1,000-project graph fleet builds no images, so its records are copies of real ones.
 */
function imageCheckAtScale(ctx, fleet, records) {
  const result = spawnSync(process.execPath, [CHECK_AT_SCALE, fleet.dir, join(ctx.dir, `image-check-${records}`), String(records), String(ctx.options.runs)], {
    env: { ...process.env, NODE_PATH: ctx.deps.nodeModules },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`image check at ${records} records failed:\n${result.stderr.slice(-3000)}`);
  const { ms } = JSON.parse(result.stdout.trim().split('\n').at(-1));
  console.log(`  [image check] ${records} records: ${ms.map((v) => `${v.toFixed(0)} ms`).join(', ')}`);
  return { records, ms: summarize(ms) };
}
