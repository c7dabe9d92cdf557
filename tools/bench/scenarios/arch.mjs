import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBaseImage } from '../../fixtures/make-base-image.mjs';
import { waitForQuiet } from '../lib/load.mjs';
import { measure } from '../lib/measure.mjs';
import { removeBenchImages } from '../lib/podman.mjs';
import { createRealWorkspace } from '../lib/real-workspace.mjs';
import { pairedRatio, summarize } from '../lib/stats.mjs';
import { commitAll, NX_ENV, nxCommand } from '../lib/workspace.mjs';

export const ARCH_PREFIX = 'barch';
export const ARM64_BASE = 'localhost/bootc-mini:arm64';

/**
 * Emulated arm64 against native amd64: one realistic flavor (the realistic fleet's base: a rootfs
 * overlay of --files files, 10 build steps, plus a packaging-like step that archives, compresses
 * and checksums the overlay) built with `nx run <flavor>:bootc-build --skip-nx-cache --noCache`
 * for linux/amd64 on bootc-mini and for linux/arm64 on bootc-mini:arm64 (its RUN steps under
 * qemu-user-static through binfmt_misc), in paired rounds; then the same flavor with a CPU-bound
 * step in place of package installs (gzip -9 of the kernel and modules, four times over: what
 * unpacking and compressing packages costs), from its own Containerfile (the containerfile option).
 */
export async function archScenario(ctx) {
  console.log('\n== emulated arm64 build against native');
  const binfmt = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
  let registered = '';
  try {
    registered = readFileSync(binfmt, 'utf8');
  } catch {
    // Reported below.
  }
  if (!registered.startsWith('enabled')) throw new Error(`${binfmt} is not enabled: run bash tools/ci/setup-host.sh, which sets up arm64 emulation.`);
  if (spawnSync('podman', ['image', 'exists', ARM64_BASE]).status !== 0) console.log(`  base image ${ARM64_BASE}: ${makeBaseImage(ARM64_BASE, 'arm64')}`);
  const fleet = await createRealWorkspace(ctx, { prefix: ARCH_PREFIX, count: 4, files: ctx.options.files, build: false });
  try {
    const flavor = fleet.model.projects[0];
    const containerfile = join(fleet.dir, flavor.root, 'Containerfile');
    appendFileSync(containerfile, `RUN tar -cf - /usr/share/${flavor.name} /usr/lib/modules | gzip -6 | sha256sum > /usr/lib/fleet/payload.sum\n`);
    const heavy = `${flavor.root}/Containerfile.cpu`;
    writeFileSync(join(fleet.dir, heavy), `${readFileSync(containerfile, 'utf8')}RUN for i in 1 2 3 4; do tar -cf - /usr/lib/modules; done | gzip -9 | sha256sum > /usr/lib/fleet/cpu.sum\n`);
    commitAll(fleet.dir, `${flavor.name}: a packaging-like step, and a CPU-bound variant`);
    const build = (arch, base, extra = []) =>
      nxCommand(fleet.dir, ['run', `${flavor.name}:bootc-build`, '--skip-nx-cache', '--noCache', `--platform=linux/${arch}`, `--buildArgs.BASE_IMAGE=${base}`, ...extra, '--outputStyle=static']);
    const series = {
      light: { amd64: build('amd64', 'localhost/bootc-mini:latest'), arm64: build('arm64', ARM64_BASE) },
      cpu: { amd64: build('amd64', 'localhost/bootc-mini:latest', [`--containerfile=${heavy}`]), arm64: build('arm64', ARM64_BASE, [`--containerfile=${heavy}`]) },
    };
    const results = {};
    for (const [name, variants] of Object.entries(series)) results[name] = await pairedRounds(ctx, fleet, flavor, name, variants);
    return { flavor: flavor.name, files: ctx.options.files, ...results };
  } finally {
    removeBenchImages(ARCH_PREFIX);
    rmSync(fleet.dir, { recursive: true, force: true });
  }
}

// Warm-up builds, then paired rounds of amd64 and arm64 builds in alternating order.
async function pairedRounds(ctx, fleet, flavor, name, variants) {
  // One unmeasured build of each: the bases' layers are unpacked and podman's caches are warm.
  for (const [arch, { command, args }] of Object.entries(variants)) {
    const warm = await measure(command, args, { cwd: fleet.dir, env: NX_ENV });
    console.log(`  warm-up ${name} ${arch}: ${(warm.wallMs / 1000).toFixed(1)} s`);
  }
  const load = await waitForQuiet({ ...ctx.quiet, label: `arch ${name}` });
  const wall = { amd64: [], arm64: [] };
  for (let i = 0; i < ctx.options.runs; i++) {
    // Alternating order, so a drift in the machine's load falls on both.
    for (const arch of i % 2 ? ['arm64', 'amd64'] : ['amd64', 'arm64']) {
      const { command, args } = variants[arch];
      const result = await measure(command, args, { cwd: fleet.dir, env: NX_ENV });
      const record = JSON.parse(readFileSync(join(fleet.dir, 'dist/images', flavor.name, 'image.json'), 'utf8'));
      if (record.platforms[0] !== `linux/${arch}`) throw new Error(`The ${arch} build recorded platforms ${JSON.stringify(record.platforms)}.`);
      wall[arch].push(result.wallMs);
    }
    console.log(`  [arch ${name}] round ${i + 1}/${ctx.options.runs}: amd64 ${(wall.amd64[i] / 1000).toFixed(1)} s, arm64 (emulated) ${(wall.arm64[i] / 1000).toFixed(1)} s`);
  }
  const amd64 = summarize(wall.amd64);
  const arm64 = summarize(wall.arm64);
  return { load: { before: load.load1 }, amd64Ms: amd64, arm64Ms: arm64, ratio: pairedRatio(arm64, amd64) };
}
