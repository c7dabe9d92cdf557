// same-targets.js plus a createDependencies that returns no edges: what Nx costs a plugin that
// infers immutable-os's targets and declares dependencies (Nx sends every plugin with a
// createDependencies the workspace's projects and file map), reading nothing (benchmarks only).
const sameTargets = require('./same-targets');

module.exports = { ...sameTargets, createDependencies: () => [] };
