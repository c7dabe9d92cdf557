// The plugin's after-run image check (postTasksExecution's checkRecordedImages) on `count` records,
// timed in this process: a workspace in `dir` gets `count` image.json files, each a copy of one of
// the realistic fleet's records (so every recorded image is really in podman's storage and every
// ref already names it: the no-op case), and the check runs `runs` times over `count` task results.
// Prints one JSON line: { count, runs, ms: [...] }. Run by scenarios/noop.mjs with the benchmark's
// node_modules on NODE_PATH.
// Usage: node image-check-scale.cjs <fleet dir> <dir> <count> <runs>
'use strict';
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { checkRecordedImages } = require('immutable-os/src/plugins/post-tasks-execution');

async function main() {
  const [fleetDir, dir, countArg, runsArg] = process.argv.slice(2);
  const count = Number(countArg);
  const runs = Number(runsArg);
  const images = join(fleetDir, 'dist', 'images');
  const records = readdirSync(images).map((project) => JSON.parse(readFileSync(join(images, project, 'image.json'), 'utf8')));
  rmSync(dir, { recursive: true, force: true });
  const results = [];
  for (let i = 0; i < count; i++) {
    const project = `check-${i}`;
    const record = { ...records[i % records.length], project };
    mkdirSync(join(dir, 'dist', 'images', project), { recursive: true });
    writeFileSync(join(dir, 'dist', 'images', project, 'image.json'), JSON.stringify(record, null, 2) + '\n');
    results.push({ task: { id: `${project}:bootc-build`, target: { project, target: 'bootc-build' }, overrides: {}, outputs: [], cache: true }, status: 'local-cache', code: 0 });
  }
  const ms = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const problems = await checkRecordedImages(results, dir);
    ms.push(performance.now() - started);
    if (problems.length > 0) throw new Error(`the check found problems in a no-op fleet: ${JSON.stringify(problems.slice(0, 3))}`);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ count, runs, ms }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
