#!/usr/bin/env node
// `npm run bench`: the organization-scale benchmarks of issue 5 (project graph against no plugin,
// @nx/docker and a do-nothing plugin; no-op rebuild against a podman loop; executor overhead;
// convert skip; boot tests; affected precision; emulated arm64 builds against native). Generates workspaces under tmp/bench, installs nx and
// @nx/docker there from the npm registry and the plugin from its packed tarball, measures with the
// daemon and graph cache off, and writes tmp/bench/results.{json,md}. Removes the images it built.
// Usage: npm run bench -- [--quick] [--only graph,families,noop,executor,convert,boot,affected,arch] [--runs N] ...
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NX_DOCKER_VERSION, prepareDeps } from './lib/deps.mjs';
import { parseOptions } from './lib/options.mjs';
import { podmanVersion, removeBenchImages } from './lib/podman.mjs';
import { createRealWorkspace } from './lib/real-workspace.mjs';
import { renderReport } from './lib/report.mjs';
import { affectedScenario } from './scenarios/affected.mjs';
import { archScenario } from './scenarios/arch.mjs';
import { bootScenario } from './scenarios/boot.mjs';
import { convertScenario } from './scenarios/convert.mjs';
import { executorScenario } from './scenarios/executor.mjs';
import { familiesScenario } from './scenarios/families.mjs';
import { graphScenario } from './scenarios/graph.mjs';
import { noopScenario } from './scenarios/noop.mjs';

const NOOP_PREFIX = 'bnoop';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
if (options.help) {
  console.log(options.help);
  process.exit(0);
}
const dir = resolve(repo, options.dir);
mkdirSync(dir, { recursive: true });
const started = Date.now();
const results = { startedAt: new Date().toISOString(), options, machine: machineInfo(), scenarios: {} };
const save = () => {
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(dir, 'results.md'), renderReport(results) + '\n');
};

console.log('== preparing: plugin build, pack, and the benchmark node_modules');
const deps = prepareDeps(repo, dir, options.tarball);
results.plugin = { tarball: relative(repo, deps.tarball), sha256: deps.tarballSha };
const ctx = { options, dir, deps, quiet: { maxLoad: options.maxLoad, timeoutSeconds: options.loadWaitSeconds } };
const want = (name) => options.only.includes(name);

try {
  if (want('affected')) {
    results.scenarios.affected = await affectedScenario(ctx);
    save();
  }
  if (want('convert')) {
    results.scenarios.convert = await convertScenario(ctx);
    save();
  }
  if (want('boot')) {
    results.scenarios.boot = await bootScenario(ctx);
    save();
  }
  if (want('noop') || want('executor')) {
    console.log(`\n== realistic fleet: ${options.images} images, ${options.files} files each`);
    const fleet = await createRealWorkspace(ctx, { prefix: NOOP_PREFIX, count: options.images, files: options.files });
    try {
      if (want('noop')) {
        results.scenarios.noop = await noopScenario(ctx, fleet);
        save();
      }
      if (want('executor')) {
        results.scenarios.executor = await executorScenario(ctx, fleet);
        save();
      }
    } finally {
      console.log(`  removed ${removeBenchImages(NOOP_PREFIX)} benchmark images`);
      rmSync(fleet.dir, { recursive: true, force: true });
    }
  }
  if (want('graph')) {
    results.scenarios.graph = await graphScenario(ctx);
    save();
  }
  if (want('families')) {
    results.scenarios.families = await familiesScenario(ctx);
    save();
  }
  if (want('arch')) {
    results.scenarios.arch = await archScenario(ctx);
    save();
  }
} finally {
  results.durationSeconds = Math.round((Date.now() - started) / 1000);
  save();
  console.log(`\nResults (${results.durationSeconds} s): ${relative(repo, join(dir, 'results.md'))} and results.json`);
}

function machineInfo() {
  const nxVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.nx;
  return {
    nproc: availableParallelism(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: release(),
    podman: podmanVersion(),
    node: process.version,
    nx: nxVersion,
    nxDocker: NX_DOCKER_VERSION,
  };
}
