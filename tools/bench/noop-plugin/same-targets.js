// A project-graph plugin that infers immutable-os's targets on every Containerfile without reading
// anything per project: it asks immutable-os for the first project once and gives every other
// project the same targets. Nx's own cost of taking in those targets (passing them from the plugin
// worker, merging and normalizing them), the floor of any plugin that infers them (benchmarks only).
const { dirname } = require('node:path');

const createNodes = [
  '**/Containerfile',
  async (files, options, context) => {
    if (files.length === 0) return [];
    // The workspace's immutable-os (this file lives outside the workspace, behind a link).
    const [, createImageProjects] = require(require.resolve('immutable-os', { paths: [context.workspaceRoot] })).createNodes;
    const [[, first]] = await createImageProjects([files[0]], options, context);
    const project = Object.values(first.projects ?? {})[0];
    return files.map((file) => [file, project ? { projects: { [dirname(file)]: project } } : {}]);
  },
];
module.exports = { createNodes, createNodesV2: createNodes };
