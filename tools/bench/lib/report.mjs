// Renders the results of a benchmark run as Markdown: every figure a median with min and max,
// the load the machine had, and the command that reproduces it.
import { FAMILY_VARIANTS } from '../scenarios/families.mjs';
import { GRAPH_VARIANTS } from '../scenarios/graph.mjs';
import { NOOP_VARIANTS } from '../scenarios/noop.mjs';
import { EXECUTOR_VARIANTS } from '../scenarios/executor.mjs';

const s = (ms) => (ms / 1000).toFixed(2);
const mb = (kb) => (kb / 1024).toFixed(0);
const x = (r) => r.toFixed(2);
const spread = (sum, f) => `${f(sum.median)} (${f(sum.min)}–${f(sum.max)})`;
const load = (l) => `load ${l.before?.toFixed(2)}${l.after !== undefined ? ` → ${l.after.toFixed(2)}` : ''}`;

export function renderReport(results) {
  const out = [`# Benchmark results (${results.startedAt}, ${results.durationSeconds ?? '?'} s)`, '', machineTable(results.machine), ''];
  if (results.plugin) out.push(`Plugin measured: \`${results.plugin.tarball}\` (sha256 ${results.plugin.sha256.slice(0, 12)}).`, '');
  const targets = targetRows(results);
  if (targets.length) out.push('## Targets', '', '| target | measured (median, min–max) | met |', '| --- | --- | --- |', ...targets, '');
  const sc = results.scenarios;
  if (sc.graph) out.push(graphSection(sc.graph, results.options));
  if (sc.families) out.push(familiesSection(sc.families, results.options));
  if (sc.noop) out.push(noopSection(sc.noop, results.options));
  if (sc.executor) out.push(executorSection(sc.executor, results.options));
  if (sc.convert) out.push(convertSection(sc.convert, results.options));
  if (sc.boot) out.push(bootSection(sc.boot, results.options));
  if (sc.affected) out.push(affectedSection(sc.affected, results.options));
  if (sc.arch) out.push(archSection(sc.arch, results.options));
  return out.join('\n');
}

function archSection(ar, options) {
  const rows = (label, r) => [
    `| ${label}, linux/amd64 (native) | ${spread(r.amd64Ms, s)} |`,
    `| ${label}, linux/arm64 (emulated) | ${spread(r.arm64Ms, s)} |`,
    `| ${label}, emulated / native (paired) | ${spread(r.ratio, (x) => `${x.toFixed(2)} x`)} |`,
  ];
  return [
    '## Emulated arm64 against native amd64',
    '',
    `One realistic flavor (${ar.flavor}: ${ar.files} overlay files, 10 build steps and a packaging-like step that archives, compresses and checksums the overlay and the kernel), built ${ar.light.amd64Ms.n} times per platform in alternating pairs with \`nx run ${ar.flavor}:bootc-build --skip-nx-cache --noCache --platform=linux/<arch>\`: amd64 natively on bootc-mini, arm64 on bootc-mini:arm64 with its RUN steps under qemu-user-static (binfmt_misc); then the same with a CPU-bound step standing for package installs (\`gzip -9\` of the kernel and modules four times over, \`--containerfile=…/Containerfile.cpu\`). loads ${ar.light.load.before?.toFixed(2)} and ${ar.cpu.load.before?.toFixed(2)}.`,
    '',
    `Reproduce: \`npm run bench -- --only arch${options.runs !== 5 ? ` --runs ${options.runs}` : ''}${options.files !== 2000 ? ` --files ${options.files}` : ''}\``,
    '',
    '| build | wall s (median, min–max) |',
    '| --- | --- |',
    ...rows('the flavor', ar.light),
    ...rows('with the CPU-bound step', ar.cpu),
    '',
  ].join('\n');
}

function machineTable(m) {
  return [
    '| machine | |',
    '| --- | --- |',
    `| CPU | ${m.cpus} × ${m.cpuModel} (\`nproc\` = ${m.nproc}) |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| kernel | ${m.kernel} |`,
    `| engine | ${m.podman} |`,
    `| node, nx | ${m.node}, nx ${m.nx} (@nx/docker ${m.nxDocker ?? m.nx}) |`,
  ].join('\n');
}

// The wall time and memory of each measured variant (in `names` order), then the paired ratios.
function seriesTables(series, names, ratios) {
  const out = ['| variant | wall s | peak RSS of the process tree, MB | largest process max RSS, MB |', '| --- | --- | --- | --- |'];
  for (const name of names.filter((n) => series.variants[n])) {
    const v = series.variants[name];
    out.push(`| ${name} | ${spread(v.wallMs, s)} | ${spread(v.peakTreeKb, mb)} | ${spread(v.maxProcessKb, mb)} |`);
  }
  out.push('', '| ratio (per paired run) | median (min–max) |', '| --- | --- |');
  for (const [name, ratio] of Object.entries(ratios)) out.push(`| ${name} | ${spread(ratio, x)} |`);
  return out;
}

function familiesSection(f, options) {
  const out = [`## Families: ${f.projects} projects as ${f.families} files × ${f.variantsPerFamily} variants (${f.series.runs} paired runs, ${load(f.series.load)})`, ''];
  out.push(`Reproduce: \`npm run bench -- --only families${f.families !== 250 ? ` --family-files ${f.families}` : ''}${options.runs !== 5 ? ` --runs ${options.runs}` : ''}\``, '');
  out.push(...seriesTables(f.series, FAMILY_VARIANTS, f.ratios));
  out.push('', `Edges between variants: ${f.edges.present} of ${f.edges.expected} present, ${f.edges.missing.length} missing, ${f.edges.unexpected.length} unexpected.`, '');
  return out.join('\n');
}

function graphSection(graph, options) {
  const out = ['## Project graph: `nx show projects` (scenario 2)', ''];
  for (const r of graph.results) {
    out.push(`### N = ${r.n} (${r.series.runs} paired runs, ${load(r.series.load)})`, '', `Reproduce: \`npm run bench -- --only graph --sizes ${r.n}${options.runs !== 5 ? ` --runs ${options.runs}` : ''}\``, '');
    out.push(...seriesTables(r.series, GRAPH_VARIANTS, r.ratios));
    out.push('', `FROM edges in immutable-os's graph: ${r.edges.present} of ${r.edges.expected} present, ${r.edges.missing.length} missing, ${r.edges.unexpected.length} unexpected.`, '');
  }
  if (graph.results.length > 1) {
    const sizes = graph.results.map((r) => r.n);
    out.push('### Growth with N', '', `| variant | ${sizes.map((n) => `N = ${n}`).join(' | ')} | ms per extra project (last two N) |`, `| --- | ${sizes.map(() => '---').join(' | ')} | --- |`);
    for (const name of GRAPH_VARIANTS.filter((n) => graph.results.every((r) => r.series.variants[n]))) {
      const medians = graph.results.map((r) => r.series.variants[name].wallMs.median);
      const [a, b] = [graph.results.at(-2), graph.results.at(-1)];
      const slope = (medians.at(-1) - medians.at(-2)) / (b.n - a.n);
      out.push(`| ${name} | ${medians.map(s).join(' | ')} | ${slope.toFixed(3)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function noopSection(noop, options) {
  const v = noop.series.variants;
  return [
    `## No-op rebuild of ${noop.images} images (scenario 3)`,
    '',
    `Each image: FROM the local bootc-mini base (or a fleet image), ${noop.steps} build steps, a rootfs overlay of ${noop.files} files. First build of all (\`nx run-many -t bootc-build --parallel=2\`, one run): ${s(noop.firstBuildMs)} s. ${noop.series.runs} paired runs, ${load(noop.series.load)}.`,
    '',
    `Reproduce: \`npm run bench -- --only noop${options.images !== 50 ? ` --images ${options.images}` : ''}${options.files !== 2000 ? ` --files ${options.files}` : ''}\``,
    '',
    '| variant | wall s | peak RSS of the process tree, MB |',
    '| --- | --- | --- |',
    ...NOOP_VARIANTS.map((name) => `| ${name} | ${spread(v[name].wallMs, s)} | ${spread(v[name].peakTreeKb, mb)} |`),
    '',
    `podman loop / nx run-many (per paired run): ${spread(noop.speedup, x)}.`,
    '',
    ...(noop.checkCost
      ? [
          `Image check (the postTasksExecution hook): nx run-many with it / without it (IMMUTABLE_OS_CHECK_IMAGES=false), per paired run: ${spread(noop.checkCost, x)}; difference of the medians ${(v[NOOP_VARIANTS[0]].wallMs.median - v[NOOP_VARIANTS[2]].wallMs.median).toFixed(0)} ms.`,
          '',
          '| records checked (in one process, all images present) | check ms |',
          '| --- | --- |',
          ...noop.checkAtScale.map((c) => `| ${c.records} | ${spread(c.ms, (ms) => ms.toFixed(0))} |`),
          '',
        ]
      : []),
  ].join('\n');
}

function executorSection(ex, options) {
  const v = ex.series.variants;
  return [
    `## Executor overhead: \`nx run ${ex.project}:bootc-build\` (scenario 4)`,
    '',
    `${ex.series.runs} paired runs with \`--skip-nx-cache\`, ${load(ex.series.load)}. The nx:run-commands target runs the podman build command line the executor ran (recorded once):`,
    '',
    '```',
    ex.podmanBuild,
    '```',
    '',
    `Reproduce: \`npm run bench -- --only executor${options.images !== 50 ? ` --images ${options.images}` : ''}\``,
    '',
    '| variant | wall s | peak RSS of the process tree, MB |',
    '| --- | --- | --- |',
    ...EXECUTOR_VARIANTS.map((name) => `| ${name} | ${spread(v[name].wallMs, s)} | ${spread(v[name].peakTreeKb, mb)} |`),
    '',
    `Per paired run: executor / run-commands ${spread(ex.overhead, x)}; executor / forked run-commands ${spread(ex.overheadForked, x)}; forked / in-process run-commands (Nx's fork of a task process) ${spread(ex.forkCost, x)}${ex.overheadCached ? `; executor / run-commands with bootc-build's cache settings ${spread(ex.overheadCached, x)}` : ''}.`,
    '',
  ].join('\n');
}

function convertSection(cv, options) {
  return [
    `## Convert skip (scenario 5)`,
    '',
    `${cv.images} images built and converted once (${cv.initialBuilderRuns} builder runs), then ${cv.runs.length} times: change one leaf, commit, \`nx affected -t bootc-convert --base=HEAD~1 --head=HEAD\`, and the same command again. Builder runs counted from podman's event log. ${load(cv.load)}.`,
    '',
    `Reproduce: \`npm run bench -- --only convert\``,
    '',
    '| | builder runs | wall s |',
    '| --- | --- | --- |',
    `| affected after a leaf change | ${spread(cv.builderRuns, String)} | ${spread(cv.wallMs, s)} |`,
    `| the same command again | ${spread(cv.repeatBuilderRuns, String)} | ${spread(cv.repeatWallMs, s)} |`,
    '',
  ].join('\n');
}

function bootSection(bt, options) {
  return [
    `## Boot tests`,
    '',
    `${bt.images} images built, converted with the stand-in builder (its qcow2 disks boot) and boot-tested once (${s(bt.firstRunMs)} s in all), then each image's boot alone ${options.runs} times (\`nx run <image>:bootc-test --excludeTaskDependencies --skip-nx-cache\`; boot = qemu start to \`bootc-mini: system is up\`, from result.json), then the no-op costs over the fleet. Accelerator: ${bt.accel.join('; ')}. ${load(bt.load)}.`,
    '',
    `Reproduce: \`npm run bench -- --only boot\``,
    '',
    '| | s |',
    '| --- | --- |',
    `| one boot test (qemu to the console line) | ${spread(bt.bootMs, s)} |`,
    `| one boot test, nx run wall time | ${spread(bt.bootWallMs, s)} |`,
    `| \`nx run-many -t bootc-test\`, every boot test from the cache | ${spread(bt.cachedWallMs, s)} |`,
    `| \`nx affected -t bootc-test\` after a commit that touches no image | ${spread(bt.noopAffectedWallMs, s)} |`,
    '',
  ].join('\n');
}

function affectedSection(af, options) {
  return [
    `## Affected precision at N = ${af.n} (scenario 6)`,
    '',
    `Each change is committed alone; \`nx show projects --affected --base=HEAD~1 --head=HEAD\` against the set computed from the generated fleet (the owning project, the build-context users, everything built FROM them). ${af.cases[0].precision.n} runs of each, ${load(af.load)}.`,
    '',
    `Reproduce: \`npm run bench -- --only affected\``,
    '',
    '| change | file | expected | affected by Nx | precision | recall | wall s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...af.cases.map((c) => `| ${c.name} | \`${c.file}\` | ${c.expected} | ${spread(c.actual, String)} | ${spread(c.precision, x)} | ${spread(c.recall, x)} | ${spread(c.wallMs, s)} |`),
    '',
  ].join('\n');
}

function targetRows(results) {
  const rows = [];
  const sc = results.scenarios;
  const row = (target, measured, met) => rows.push(`| ${target} | ${measured} | ${met ? 'yes' : '**no**'} |`);
  const g1000 = sc.graph?.results.find((r) => r.n === 1000);
  if (g1000) {
    for (const cache of ['cold', 'warm']) {
      const ba = g1000.ratios[`immutable-os ${cache} / no plugin (b/a)`];
      row(`graph N=1000, ${cache} cache: immutable-os ≤ 1.10 × no plugin`, spread(ba, x), ba.median <= 1.1);
      const cb = g1000.ratios[`@nx/docker / immutable-os ${cache} (c/b)`];
      row(`graph N=1000, ${cache} cache: @nx/docker ≥ 10 × immutable-os`, spread(cb, x), cb.median >= 10);
    }
    row('graph N=1000: every FROM edge present', `${g1000.edges.present}/${g1000.edges.expected}`, g1000.edges.missing.length === 0);
  }
  const big = sc.graph?.results.at(-1);
  if (g1000 && big && big.n > 1000) {
    for (const name of [GRAPH_VARIANTS[1], GRAPH_VARIANTS[2]]) {
      const growth = big.series.variants[name].wallMs.median / g1000.series.variants[name].wallMs.median;
      row(`graph ${name}: N=${big.n} time ≤ ${big.n / 1000} × N=1000 time (linear)`, `${x(growth)} ×`, growth <= big.n / 1000);
    }
  }
  if (sc.noop) row(`no-op run-many of ${sc.noop.images} images ≥ 3 × faster than the podman loop`, `${spread(sc.noop.speedup, x)} ×`, sc.noop.speedup.median >= 3);
  if (sc.executor) {
    row('executor ≤ 1.05 × the run-commands target (Nx runs it in its own process)', spread(sc.executor.overhead, x), sc.executor.overhead.median <= 1.05);
    row('executor ≤ 1.05 × the run-commands target run in a forked process like every executor', spread(sc.executor.overheadForked, x), sc.executor.overheadForked.median <= 1.05);
    if (sc.executor.overheadCached) {
      row('executor ≤ 1.05 × the run-commands target with bootc-build\'s cache, inputs and outputs (in Nx\'s process)', spread(sc.executor.overheadCached, x), sc.executor.overheadCached.median <= 1.05);
    }
  }
  if (sc.convert) row('convert skip: exactly one builder run', spread(sc.convert.builderRuns, String), sc.convert.builderRuns.min === 1 && sc.convert.builderRuns.max === 1);
  if (sc.affected) {
    const all = sc.affected.cases.every((c) => c.precision.min === 1 && c.recall.min === 1);
    row(`affected precision and recall 1.0 in every case (N=${sc.affected.n})`, sc.affected.cases.map((c) => `${x(c.precision.min)}/${x(c.recall.min)}`).join(', '), all);
  }
  return rows;
}
