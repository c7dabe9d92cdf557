import { spawnSync } from 'node:child_process';
import { appendFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDER_IMAGE, makeBuilderImage } from '../../fixtures/make-builder-image.mjs';
import { waitForQuiet } from '../lib/load.mjs';
import { measure } from '../lib/measure.mjs';
import { builderStarts, removeBenchImages } from '../lib/podman.mjs';
import { createRealWorkspace } from '../lib/real-workspace.mjs';
import { summarize } from '../lib/stats.mjs';
import { commitAll, NX_ENV, nxCommand } from '../lib/workspace.mjs';

export const CONVERT_PREFIX = 'bconv';

/**
 * Scenario 5: with every image of a small fleet built and converted (stand-in builder), a change
 * to one leaf is committed and `nx affected -t bootc-convert` must run the builder exactly once
 * (for that leaf); running it again right after must run it zero times. Builder runs are counted
 * from podman's event log (container starts of the builder image named after a fleet project).
 */
export async function convertScenario(ctx) {
  console.log('\n== convert skip');
  if (spawnSync('podman', ['image', 'exists', BUILDER_IMAGE]).status !== 0) console.log(`  builder image ${BUILDER_IMAGE}: ${makeBuilderImage()}`);
  const fleet = await createRealWorkspace(ctx, {
    prefix: CONVERT_PREFIX,
    count: 7,
    files: 50,
    // bootc-mini declares no root filesystem (as Fedora-based bases): the conversion names one.
    targetDefaults: { 'bootc-convert': { options: { builderImage: BUILDER_IMAGE, rootfs: 'ext4' } } },
    build: false,
  });
  try {
    const all = await counted(fleet.dir, ['run-many', '-t', 'bootc-convert', '--parallel=2', '--outputStyle=static']);
    console.log(`  first conversion of all ${fleet.model.projects.length} images: ${all.starts.length} builder runs`);
    const load = await waitForQuiet({ ...ctx.quiet, label: 'convert skip' });
    const leaves = fleet.model.projects.filter((p) => p.name.includes('-leaf-'));
    const runs = [];
    for (let i = 0; i < ctx.options.runs; i++) {
      const leaf = leaves[i % leaves.length];
      appendFileSync(join(fleet.dir, leaf.root, 'rootfs/etc/sysctl.d', `60-${leaf.name}.conf`), `# change ${i + 1}\nkernel.printk = 3 4 1 ${i + 3}\n`);
      commitAll(fleet.dir, `${leaf.name}: change ${i + 1}`);
      const affected = ['affected', '-t', 'bootc-convert', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static'];
      const first = await counted(fleet.dir, affected);
      const again = await counted(fleet.dir, affected);
      runs.push({ leaf: leaf.name, builderRuns: first.starts.length, builderRunsNames: first.starts, wallMs: first.wallMs, repeatBuilderRuns: again.starts.length, repeatWallMs: again.wallMs });
      console.log(`  [convert skip] run ${i + 1}/${ctx.options.runs}: ${leaf.name} changed -> ${first.starts.length} builder run(s) in ${(first.wallMs / 1000).toFixed(2)} s; again -> ${again.starts.length}`);
    }
    return {
      images: fleet.model.projects.length,
      initialBuilderRuns: all.starts.length,
      load: { before: load.load1 },
      runs,
      builderRuns: summarize(runs.map((r) => r.builderRuns)),
      repeatBuilderRuns: summarize(runs.map((r) => r.repeatBuilderRuns)),
      wallMs: summarize(runs.map((r) => r.wallMs)),
      repeatWallMs: summarize(runs.map((r) => r.repeatWallMs)),
    };
  } finally {
    removeBenchImages(CONVERT_PREFIX);
    rmSync(fleet.dir, { recursive: true, force: true });
  }
}

async function counted(dir, args) {
  const { command, args: argv } = nxCommand(dir, args);
  const since = new Date();
  const result = await measure(command, argv, { cwd: dir, env: NX_ENV });
  const starts = builderStarts(BUILDER_IMAGE, `-${CONVERT_PREFIX}-`, since, new Date());
  return { wallMs: result.wallMs, starts };
}
