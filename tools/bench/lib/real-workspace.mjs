import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BASE_IMAGE, makeBaseImage } from '../../fixtures/make-base-image.mjs';
import { measure } from './measure.mjs';
import { realFleetModel, writeRealFleet } from './real-fleet.mjs';
import { commitAll, createWorkspace, NX_ENV, nxCommand, writeNxJson } from './workspace.mjs';

/** Makes the offline bootc base image when podman does not have it yet. */
export function ensureBaseImage() {
  if (spawnSync('podman', ['image', 'exists', BASE_IMAGE]).status !== 0) console.log(`  base image ${BASE_IMAGE}: ${makeBaseImage()}`);
}

/**
 * A git workspace with a fleet of real images (see real-fleet.mjs) and the plugin registered,
 * committed; `build` also builds every image once with `nx run-many -t bootc-build` and returns
 * how long that took.
 */
export async function createRealWorkspace(ctx, { prefix, count, files, targetDefaults, build = true }) {
  ensureBaseImage();
  const model = realFleetModel(prefix, count, files);
  const dir = createWorkspace(join(ctx.dir, `${prefix}-fleet`), ctx.deps, { git: true });
  writeRealFleet(dir, model);
  writeNxJson(dir, { plugins: ['immutable-os'], targetDefaults });
  commitAll(dir, `${count} images`);
  let firstBuild;
  if (build) {
    console.log(`  building ${count} images once (nx run-many -t bootc-build --parallel=2)`);
    const { command, args } = nxCommand(dir, ['run-many', '-t', 'bootc-build', '--parallel=2', '--outputStyle=static']);
    firstBuild = await measure(command, args, { cwd: dir, env: NX_ENV });
    console.log(`  first build: ${(firstBuild.wallMs / 1000).toFixed(1)} s`);
  }
  return { dir, model, targetDefaults, firstBuildMs: firstBuild?.wallMs };
}
