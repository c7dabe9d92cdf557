import { fileURLToPath } from 'node:url';
import { runSeries } from '../lib/series.mjs';
import { pairedRatio } from '../lib/stats.mjs';
import { NX_ENV, nxCommand } from '../lib/workspace.mjs';

const LOOP = fileURLToPath(new URL('../lib/podman-loop.mjs', import.meta.url));
export const NOOP_VARIANTS = ['nx run-many -t bootc-build (all cache hits)', 'podman build loop (layer cache warm)'];

/**
 * Scenario 3: with every image of the realistic fleet built once, a second
 * `nx run-many -t bootc-build` (all cache hits) against a loop of `podman build` over the same
 * Containerfiles in build order (its warm-up round fills the engine's layer cache).
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
  const series = await runSeries({
    label: 'no-op rebuild',
    variants: [{ name: NOOP_VARIANTS[0], ...nxRun }, { name: NOOP_VARIANTS[1], ...loop }],
    runs: ctx.options.runs,
    quiet: ctx.quiet,
  });
  const speedup = pairedRatio(series.variants[NOOP_VARIANTS[1]].wallMs, series.variants[NOOP_VARIANTS[0]].wallMs);
  return { images: count, files: fleet.model.files, steps: 10, firstBuildMs: fleet.firstBuildMs, series, speedup };
}
