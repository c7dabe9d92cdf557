import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { run } from './proc.mjs';

const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
// @nx/docker's newest release on the registry: it has none for Nx 24 (its @nx/devkit 23.2.1 accepts nx 22-24).
export const NX_DOCKER_VERSION = '23.2.1';

/**
 * Builds and packs the plugin (or takes a packed one), then installs nx (the repo's exact version), @nx/docker
 * (NX_DOCKER_VERSION), both from the npm registry, the packed plugin and the do-nothing plugin into one
 * node_modules that every generated workspace links to. Reinstalls only when the tarball changed.
 */
export function prepareDeps(repo, benchDir, givenTarball) {
  const nxVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.nx;
  const tarball = givenTarball ? resolve(repo, givenTarball) : buildAndPack(repo, benchDir);
  if (!existsSync(tarball)) throw new Error(`--tarball ${givenTarball}: ${tarball} does not exist. Pack the plugin with npm pack dist/packages/immutable-os.`);
  const tarballSha = createHash('sha256').update(readFileSync(tarball)).digest('hex');

  const depsDir = join(benchDir, 'deps');
  const stampFile = join(depsDir, 'bench-stamp.json');
  const stamp = { nxVersion, nxDockerVersion: NX_DOCKER_VERSION, tarballSha };
  const nodeModules = join(depsDir, 'node_modules');
  const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8') : '';
  if (current !== JSON.stringify(stamp) || !existsSync(join(nodeModules, 'immutable-os'))) {
    console.log(`  installing nx@${nxVersion}, @nx/docker@${NX_DOCKER_VERSION} and the packed plugin into ${relative(repo, depsDir)}`);
    mkdirSync(depsDir, { recursive: true });
    // A repacked tarball keeps its name: drop the old copy and the lock so npm takes the new content.
    rmSync(join(nodeModules, 'immutable-os'), { recursive: true, force: true });
    rmSync(join(depsDir, 'package-lock.json'), { force: true });
    const pkg = {
      name: 'immutable-os-bench-deps',
      private: true,
      dependencies: {
        nx: nxVersion,
        '@nx/docker': NX_DOCKER_VERSION,
        'immutable-os': `file:${relative(depsDir, tarball)}`,
        'bench-noop-plugin': `file:${relative(depsDir, join(repo, 'tools/bench/noop-plugin'))}`,
      },
    };
    writeFileSync(join(depsDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: depsDir });
    writeFileSync(stampFile, JSON.stringify(stamp));
  }
  return { nodeModules, nxVersion, tarball, tarballSha };
}

function buildAndPack(repo, benchDir) {
  console.log(`  building the plugin (nx build immutable-os)`);
  run(join(repo, 'node_modules/.bin/nx'), ['build', 'immutable-os', '--outputStyle=static'], { cwd: repo, env: NX_ENV });
  const packDir = join(benchDir, 'pack');
  mkdirSync(packDir, { recursive: true });
  const packed = run('npm', ['pack', join(repo, 'dist/packages/immutable-os'), '--pack-destination', packDir, '--silent'], { cwd: repo });
  return join(packDir, packed.stdout.trim().split('\n').at(-1));
}
