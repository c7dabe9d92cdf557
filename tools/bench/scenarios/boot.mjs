import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDER_IMAGE, makeBuilderImage } from '../../fixtures/make-builder-image.mjs';
import { waitForQuiet } from '../lib/load.mjs';
import { measure } from '../lib/measure.mjs';
import { removeBenchImages } from '../lib/podman.mjs';
import { createRealWorkspace } from '../lib/real-workspace.mjs';
import { summarize } from '../lib/stats.mjs';
import { commitAll, NX_ENV, nxCommand } from '../lib/workspace.mjs';

export const BOOT_PREFIX = 'bboot';

// What bootc-test waits for on bootc-mini (tools/fixtures/bootc-mini/README.md), which has no systemd.
const BOOT_TEST_OPTIONS = {
  expect: ['^bootc-mini: system is up$'],
  fail: ['Kernel panic', 'bootc-mini: FAILED', 'bootc-mini initramfs: FAILED', 'UEFI Interactive Shell', 'No bootable device'],
  memory: 512,
};

/**
 * Boot tests: every image of a small fleet built, converted (the stand-in builder's disks boot) and
 * booted once; then each image's boot alone, `runs` times (`bootc-test --excludeTaskDependencies
 * --skip-nx-cache`: the time qemu takes to the console line, TCG or KVM as bootc-test detects);
 * then the no-op costs over the fleet: every boot test from the cache, and `nx affected -t
 * bootc-test` after a commit that touches no image.
 */
export async function bootScenario(ctx) {
  console.log('\n== boot tests');
  if (spawnSync('podman', ['image', 'exists', BUILDER_IMAGE]).status !== 0) console.log(`  builder image ${BUILDER_IMAGE}: ${makeBuilderImage()}`);
  const fleet = await createRealWorkspace(ctx, {
    prefix: BOOT_PREFIX,
    count: 7,
    files: 50,
    // bootc-mini declares no root filesystem (as Fedora-based bases): the conversion names one.
    targetDefaults: { 'bootc-convert': { options: { builderImage: BUILDER_IMAGE, rootfs: 'ext4' } }, 'bootc-test': { options: BOOT_TEST_OPTIONS } },
    build: false,
  });
  try {
    const all = await timed(fleet.dir, ['run-many', '-t', 'bootc-test', '--parallel=1', '--outputStyle=static']);
    console.log(`  build, convert and boot all ${fleet.model.projects.length} images: ${(all.wallMs / 1000).toFixed(1)} s`);
    const load = await waitForQuiet({ ...ctx.quiet, label: 'boot tests' });
    const boots = [];
    for (const project of fleet.model.projects) {
      for (let i = 0; i < ctx.options.runs; i++) {
        const run = await timed(fleet.dir, ['run', `${project.name}:bootc-test`, '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=static']);
        const result = JSON.parse(readFileSync(join(fleet.dir, 'dist/tests', project.name, 'result.json'), 'utf8'));
        if (result.status !== 'passed') throw new Error(`${project.name}'s boot test failed: ${result.reason}`);
        boots.push({ project: project.name, bootMs: result.durationMs, wallMs: run.wallMs, accel: result.accel, accelNote: result.accelNote });
      }
      console.log(`  [boot] ${project.name}: ${boots.filter((b) => b.project === project.name).map((b) => (b.bootMs / 1000).toFixed(1)).join(', ')} s (${boots.at(-1).accel})`);
    }
    const cached = [];
    for (let i = 0; i < ctx.options.runs; i++) cached.push((await timed(fleet.dir, ['run-many', '-t', 'bootc-test', '--outputStyle=static'])).wallMs);
    const affected = [];
    for (let i = 0; i < ctx.options.runs; i++) {
      mkdirSync(join(fleet.dir, 'docs'), { recursive: true });
      appendFileSync(join(fleet.dir, 'docs/notes.md'), `note ${i + 1}\n`);
      commitAll(fleet.dir, `docs: note ${i + 1}`);
      affected.push((await timed(fleet.dir, ['affected', '-t', 'bootc-test', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static'])).wallMs);
    }
    return {
      images: fleet.model.projects.length,
      firstRunMs: all.wallMs,
      load: { before: load.load1 },
      accel: [...new Set(boots.map((b) => `${b.accel} (${b.accelNote})`))],
      boots,
      bootMs: summarize(boots.map((b) => b.bootMs)),
      bootWallMs: summarize(boots.map((b) => b.wallMs)),
      cachedWallMs: summarize(cached),
      noopAffectedWallMs: summarize(affected),
    };
  } finally {
    removeBenchImages(BOOT_PREFIX);
    rmSync(fleet.dir, { recursive: true, force: true });
  }
}

async function timed(dir, args) {
  const { command, args: argv } = nxCommand(dir, args);
  return measure(command, argv, { cwd: dir, env: NX_ENV });
}
