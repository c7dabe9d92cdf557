// A project-graph plugin that globs the same files as immutable-os and infers nothing: Nx's own
// cost of loading a plugin and matching its glob, the floor of any plugin (benchmarks only).
const createNodes = ['**/Containerfile', () => []];
module.exports = { createNodes, createNodesV2: createNodes };
