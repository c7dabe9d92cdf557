import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fleetModel, writeFleet } from '../lib/fleet.mjs';
import { runSeries } from '../lib/series.mjs';
import { pairedRatio } from '../lib/stats.mjs';
import { compareEdges, createWorkspace, pluginGraphEdges, showProjectsVariant } from '../lib/workspace.mjs';

const CACHE_FILES = ['.nx/workspace-data/immutable-os-containerfiles.json', '.nx/workspace-data/immutable-os-includes.json'];
const VARIANTS_PER_FAMILY = 4;
export const FAMILY_VARIANTS = [
  'no plugin, family folders',
  'immutable-os, families (cold cache)',
  'immutable-os, families (warm cache)',
  'no plugin, plain folders',
  'immutable-os, plain projects (warm cache)',
];

/**
 * Issue 13: `nx show projects` (daemon and graph cache off) on 1,000 image projects made as 250
 * files × 4 variants (flavor main/nvidia × stream stable/latest; every fifth family a
 * Containerfile.in whose nvidia variants include a fragment under -DNVIDIA; every family but the
 * first FROM the first family's variant of the same flavor and stream, through build args), against
 * the graph fleet's 1,000 plain projects and against no plugin on each tree, in one series.
 */
export async function familiesScenario(ctx) {
  const families = ctx.options.familyFiles;
  const n = families * VARIANTS_PER_FAMILY;
  console.log(`\n== families: ${families} files × ${VARIANTS_PER_FAMILY} variants, against ${n} plain projects`);
  const familyTree = createWorkspace(join(ctx.dir, `families-${families}`), ctx.deps);
  const cells = writeFamilies(familyTree, families);
  const plainTree = createWorkspace(join(ctx.dir, `families-plain-${n}`), ctx.deps);
  writeFleet(plainTree, fleetModel(n));
  const edges = checkEdges(familyTree, cells);
  console.log(`  FROM edges between variants: ${edges.present}/${edges.expected} present, ${edges.unexpected.length} unexpected`);

  const cold = () => CACHE_FILES.forEach((file) => rmSync(join(familyTree, file), { force: true }));
  const variants = [
    { name: FAMILY_VARIANTS[0], ...showProjectsVariant(familyTree, [], families) },
    // The family folders' projects plus one project per variant.
    { name: FAMILY_VARIANTS[1], ...showProjectsVariant(familyTree, ['immutable-os'], families + n, cold) },
    { name: FAMILY_VARIANTS[2], ...showProjectsVariant(familyTree, ['immutable-os'], families + n) },
    { name: FAMILY_VARIANTS[3], ...showProjectsVariant(plainTree, [], n) },
    { name: FAMILY_VARIANTS[4], ...showProjectsVariant(plainTree, ['immutable-os'], n) },
  ];
  const series = await runSeries({ label: `families ${families}×${VARIANTS_PER_FAMILY}`, variants, runs: ctx.options.runs, quiet: ctx.quiet });
  const wall = (name) => series.variants[name].wallMs;
  const ratios = {
    'families warm / plain warm': pairedRatio(wall(FAMILY_VARIANTS[2]), wall(FAMILY_VARIANTS[4])),
    'families cold / plain warm': pairedRatio(wall(FAMILY_VARIANTS[1]), wall(FAMILY_VARIANTS[4])),
    'families warm / no plugin on the family folders': pairedRatio(wall(FAMILY_VARIANTS[2]), wall(FAMILY_VARIANTS[0])),
    'plain warm / no plugin on the plain folders': pairedRatio(wall(FAMILY_VARIANTS[4]), wall(FAMILY_VARIANTS[3])),
  };
  for (const dir of [familyTree, plainTree]) rmSync(dir, { recursive: true, force: true });
  return { families, variantsPerFamily: VARIANTS_PER_FAMILY, projects: n, series, ratios, edges: { ...edges, missing: edges.missing.slice(0, 20), unexpected: edges.unexpected.slice(0, 20) } };
}

// Writes the families; returns every variant's name with the variant it is built FROM (none for the first family's).
export function writeFamilies(root, count) {
  const write = (path, text) => {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  const cells = [];
  for (let i = 0; i < count; i++) {
    const name = `fam-${String(i).padStart(4, '0')}`;
    const dir = `images/${name}`;
    const preprocessed = i % 5 === 4;
    const from = i === 0 ? 'localhost/bootc-mini:latest' : 'localhost/fam-0000-${FLAVOR}:${STREAM}';
    const lines = [`# ${name}: a family of the benchmark.`, 'ARG FLAVOR', 'ARG STREAM', `FROM ${from}`, 'LABEL containers.bootc=1'];
    if (preprocessed) lines.push('#if defined(NVIDIA)', '#include "nvidia.inc"', '#endif');
    lines.push('COPY rootfs/ /', 'RUN bootc container lint', '');
    write(`${dir}/${preprocessed ? 'Containerfile.in' : 'Containerfile'}`, lines.join('\n'));
    if (preprocessed) write(`${dir}/nvidia.inc`, 'RUN echo nvidia > /usr/share/nvidia\n');
    const nvidia = preprocessed ? { cppFlags: ['-DNVIDIA'] } : { buildArgs: { AKMODS: 'nvidia' } };
    const variants = {
      name: '{project}-{flavor}-{stream}',
      image: 'localhost/{project}-{flavor}',
      tags: ['{stream}'],
      buildArgs: { FLAVOR: '{flavor}', STREAM: '{stream}' },
      axes: { flavor: { main: {}, nvidia }, stream: ['stable', 'latest'] },
    };
    write(`${dir}/project.json`, JSON.stringify({ name, projectType: 'application', metadata: { 'immutable-os': { variants } } }, null, 2) + '\n');
    write(`${dir}/config.toml`, `# ${name}\n[[customizations.user]]\nname = "admin"\n`);
    write(`${dir}/rootfs/etc/sysctl.d/60-${name}.conf`, 'vm.swappiness = 10\n');
    for (const flavor of ['main', 'nvidia']) {
      for (const stream of ['stable', 'latest']) cells.push({ name: `${name}-${flavor}-${stream}`, base: i === 0 ? undefined : `fam-0000-${flavor}-${stream}` });
    }
  }
  return cells;
}

// The edges between variants in immutable-os's graph (nx graph --file) against the ones the families must have.
function checkEdges(tree, cells) {
  const names = new Set(cells.map((c) => c.name));
  const expected = cells.filter((c) => c.base).map((c) => `${c.name} -> ${c.base}`);
  return compareEdges(expected, pluginGraphEdges(tree, (_graph, name) => names.has(name)));
}
