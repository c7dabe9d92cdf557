import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expectedEdges, fleetModel, writeFleet } from '../lib/fleet.mjs';
import { runSeries } from '../lib/series.mjs';
import { pairedRatio } from '../lib/stats.mjs';
import { compareEdges, createWorkspace, pluginGraphEdges, showProjectsVariant } from '../lib/workspace.mjs';

const CACHE_FILE = '.nx/workspace-data/immutable-os-containerfiles.json';
export const GRAPH_VARIANTS = ['no plugin', 'immutable-os (cold cache)', 'immutable-os (warm cache)', '@nx/docker', 'do-nothing plugin', 'same targets, no reading', 'same targets + edges hook, no reading'];

/**
 * Scenario 2: wall time and peak memory of `nx show projects` (daemon and graph cache off) on a
 * fleet of N images, for no plugin, immutable-os (cold and warm parse cache), @nx/docker on the
 * same tree with Dockerfile names, a plugin that globs the same files and does nothing, and one
 * that infers immutable-os's targets on every project without reading anything per project.
 */
export async function graphScenario(ctx) {
  const results = [];
  for (const n of ctx.options.sizes) {
    console.log(`\n== graph: N = ${n}`);
    const model = fleetModel(n);
    const tree = createWorkspace(join(ctx.dir, `graph-${n}`), ctx.deps);
    writeFleet(tree, model);
    const dockerTree = createWorkspace(join(ctx.dir, `graph-${n}-docker`), ctx.deps);
    writeFleet(dockerTree, model, { fileName: 'Dockerfile' });

    const edges = checkEdges(tree, model);
    console.log(`  FROM edges: ${edges.present}/${edges.expected} present, ${edges.missing.length} missing, ${edges.unexpected.length} unexpected`);

    const show = (dir, plugins, before) => showProjectsVariant(dir, plugins, n, before);
    const variants = [
      { name: GRAPH_VARIANTS[0], ...show(tree, []) },
      { name: GRAPH_VARIANTS[1], ...show(tree, ['immutable-os'], () => rmSync(join(tree, CACHE_FILE), { force: true })) },
      { name: GRAPH_VARIANTS[2], ...show(tree, ['immutable-os']) },
      { name: GRAPH_VARIANTS[3], ...show(dockerTree, ['@nx/docker']) },
      { name: GRAPH_VARIANTS[4], ...show(tree, ['bench-noop-plugin']) },
      { name: GRAPH_VARIANTS[5], ...show(tree, ['bench-noop-plugin/same-targets.js']) },
      { name: GRAPH_VARIANTS[6], ...show(tree, ['bench-noop-plugin/same-targets-edges.js']) },
    ];
    const series = await runSeries({ label: `graph N=${n}`, variants, runs: ctx.options.runs, quiet: ctx.quiet });
    const wall = (name) => series.variants[name].wallMs;
    const ratios = {
      'immutable-os cold / no plugin (b/a)': pairedRatio(wall(GRAPH_VARIANTS[1]), wall(GRAPH_VARIANTS[0])),
      'immutable-os warm / no plugin (b/a)': pairedRatio(wall(GRAPH_VARIANTS[2]), wall(GRAPH_VARIANTS[0])),
      '@nx/docker / immutable-os cold (c/b)': pairedRatio(wall(GRAPH_VARIANTS[3]), wall(GRAPH_VARIANTS[1])),
      '@nx/docker / immutable-os warm (c/b)': pairedRatio(wall(GRAPH_VARIANTS[3]), wall(GRAPH_VARIANTS[2])),
      'immutable-os cold / do-nothing (b/d)': pairedRatio(wall(GRAPH_VARIANTS[1]), wall(GRAPH_VARIANTS[4])),
      'immutable-os warm / do-nothing (b/d)': pairedRatio(wall(GRAPH_VARIANTS[2]), wall(GRAPH_VARIANTS[4])),
      'do-nothing / no plugin (d/a)': pairedRatio(wall(GRAPH_VARIANTS[4]), wall(GRAPH_VARIANTS[0])),
      'same targets, no reading / no plugin': pairedRatio(wall(GRAPH_VARIANTS[5]), wall(GRAPH_VARIANTS[0])),
      'immutable-os warm / same targets, no reading': pairedRatio(wall(GRAPH_VARIANTS[2]), wall(GRAPH_VARIANTS[5])),
      'same targets + edges hook / no plugin': pairedRatio(wall(GRAPH_VARIANTS[6]), wall(GRAPH_VARIANTS[0])),
      'immutable-os warm / same targets + edges hook': pairedRatio(wall(GRAPH_VARIANTS[2]), wall(GRAPH_VARIANTS[6])),
      'immutable-os cold / same targets + edges hook': pairedRatio(wall(GRAPH_VARIANTS[1]), wall(GRAPH_VARIANTS[6])),
    };
    results.push({ n, series, ratios, edges: { ...edges, missing: edges.missing.slice(0, 20), unexpected: edges.unexpected.slice(0, 20) } });
    for (const dir of [tree, dockerTree]) rmSync(dir, { recursive: true, force: true });
  }
  return { sizes: ctx.options.sizes, results };
}

// The FROM edges of the plugin's graph (nx graph --file) against those of the generated fleet.
function checkEdges(tree, model) {
  return compareEdges(expectedEdges(model), pluginGraphEdges(tree, (graph, name) => graph.nodes[name] !== undefined));
}
