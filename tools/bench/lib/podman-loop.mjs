#!/usr/bin/env node
// The shell loop a team would write instead of Nx: `podman build` of every image in order, each
// FROM the tag its base just got, with the engine's layer cache. Usage:
//   node podman-loop.mjs <workspace> <name>...   (names in build order, images/<name>/Containerfile)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const [workspace, ...names] = process.argv.slice(2);
for (const name of names) {
  const root = join(workspace, 'images', name);
  const args = ['build', '--file', join(root, 'Containerfile'), '--tag', `localhost/${name}:latest`, root];
  let result = spawnSync('podman', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  // podman 4.3 can lose track of a cached layer while other builds and removals run on the machine:
  // the build is tried once more, and says so.
  if (result.status !== 0 && /layer not known/.test(result.stderr)) {
    console.error(`podman-loop: retrying ${name} after: ${result.stderr.trim().split('\n').at(-1)}`);
    result = spawnSync('podman', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  }
  if (result.status !== 0) {
    process.stderr.write(result.stderr ?? '');
    console.error(`podman ${args.join(' ')} exited with ${result.status ?? result.signal ?? result.error?.message}`);
    process.exit(1);
  }
}
