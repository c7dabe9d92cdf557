import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc.mjs';

/** Nx as the benchmarks run tasks: no daemon, no cloud, no TUI (tasks read the cached project graph). */
export const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
/** Nx as the graph benchmarks run it: also without the project-graph cache, so every run builds the graph. */
export const NX_GRAPH_ENV = { ...NX_ENV, NX_CACHE_PROJECT_GRAPH: 'false' };

/** An empty Nx workspace in `dir` (recreated), linked to the shared node_modules. */
export function createWorkspace(dir, deps, { git = false } = {}) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-fleet', version: '0.0.0', private: true }, null, 2) + '\n');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\ndist\n.nx\ntmp\n');
  symlinkSync(deps.nodeModules, join(dir, 'node_modules'), 'dir');
  writeNxJson(dir, {});
  if (git) {
    gitIn(dir, ['init', '-q', '-b', 'main']);
    gitIn(dir, ['config', 'user.email', 'bench@example.com']);
    gitIn(dir, ['config', 'user.name', 'immutable-os bench']);
    gitIn(dir, ['config', 'commit.gpgsign', 'false']);
  }
  return dir;
}

/** Writes nx.json: `plugins` and optional `targetDefaults`. */
export function writeNxJson(dir, { plugins = [], targetDefaults } = {}) {
  const nxJson = { $schema: './node_modules/nx/schemas/nx-schema.json', useDaemonProcess: false, analytics: false, plugins, ...(targetDefaults ? { targetDefaults } : {}) };
  const text = JSON.stringify(nxJson, null, 2) + '\n';
  const file = join(dir, 'nx.json');
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
}

/** The command and arguments that run the workspace's nx with `args`. */
export function nxCommand(dir, args) {
  return { command: process.execPath, args: [join(dir, 'node_modules/nx/dist/bin/nx.js'), ...args] };
}

export function nx(dir, args, options = {}) {
  const { command, args: argv } = nxCommand(dir, args);
  return run(command, argv, { cwd: dir, env: { ...(options.graphCache === false ? NX_GRAPH_ENV : NX_ENV), ...options.env }, capture: options.capture ?? true });
}

export function gitIn(dir, args) {
  return run('git', args, { cwd: dir });
}

export function commitAll(dir, message) {
  gitIn(dir, ['add', '-A']);
  gitIn(dir, ['commit', '-q', '--no-verify', '-m', message]);
}

/**
 * A series variant (see runSeries) running `nx show projects` in `dir` with `plugins` in nx.json
 * (graph cache off), checked to list `count` projects; `before` runs after nx.json is written.
 */
export function showProjectsVariant(dir, plugins, count, before) {
  return {
    ...nxCommand(dir, ['show', 'projects']),
    cwd: dir,
    env: NX_GRAPH_ENV,
    prepare: () => {
      writeNxJson(dir, { plugins });
      before?.();
    },
    check: (result) => {
      const listed = result.stdout.trim().split('\n').filter(Boolean).length;
      if (listed !== count) throw new Error(`nx show projects in ${dir} listed ${listed} projects, expected ${count}:\n${result.stderr.slice(-2000)}`);
    },
  };
}

/** The edges (`source -> target`) of immutable-os's graph of `dir` (nx graph --file) between nodes `keep` accepts. */
export function pluginGraphEdges(dir, keep) {
  writeNxJson(dir, { plugins: ['immutable-os'] });
  nx(dir, ['graph', '--file=tmp/graph.json'], { graphCache: false });
  const { graph } = JSON.parse(readFileSync(join(dir, 'tmp/graph.json'), 'utf8'));
  const edges = new Set();
  for (const deps of Object.values(graph.dependencies)) {
    for (const dep of deps) if (keep(graph, dep.source) && keep(graph, dep.target)) edges.add(`${dep.source} -> ${dep.target}`);
  }
  return edges;
}

/** Expected edges against the ones found: how many are present, which are missing or unexpected. */
export function compareEdges(expected, actual) {
  const expectedSet = new Set(expected);
  return {
    expected: expected.length,
    present: expected.filter((e) => actual.has(e)).length,
    missing: expected.filter((e) => !actual.has(e)),
    unexpected: [...actual].filter((e) => !expectedSet.has(e)).sort(),
  };
}
