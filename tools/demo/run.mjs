#!/usr/bin/env node
// The main job on a demo workspace: builds and packs the plugin, creates a fresh Nx workspace
// with a fleet of OS flavors, then shows the FROM graph, lints every image and shows `affected`.
// Usage: npm run demo [-- --dir <folder>]   (default: tmp/demo, recreated on each run)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirFlag = process.argv.indexOf('--dir');
const demo = resolve(repo, dirFlag !== -1 ? process.argv[dirFlag + 1] : 'tmp/demo');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nxVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.nx;

function step(title) {
  console.log(`\n\x1b[1m== ${title}\x1b[0m`);
}

function run(cwd, command, args, { capture = false, allowFail = false } = {}) {
  console.log(`\x1b[2m$ ${[command, ...args].join(' ')}\x1b[0m`);
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0 && !allowFail) {
    throw new Error(`${[command, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result;
}

const nx = (...args) => run(demo, join(demo, 'node_modules/.bin/nx'), args);
const nxOut = (...args) => run(demo, join(demo, 'node_modules/.bin/nx'), args, { capture: true }).stdout;
const git = (...args) => run(demo, 'git', args, { capture: true });

step('Build and pack the plugin');
run(repo, 'npx', ['nx', 'build', 'immutable-os', '--outputStyle=static']);
const packDir = join(repo, 'tmp/pack');
mkdirSync(packDir, { recursive: true });
const packed = run(repo, 'npm', ['pack', 'dist/packages/immutable-os', '--pack-destination', packDir, '--silent'], { capture: true });
const tarball = join(packDir, packed.stdout.trim().split('\n').at(-1));

step(`Create a fresh Nx workspace in ${demo}`);
if (existsSync(demo)) rmSync(demo, { recursive: true, force: true });
mkdirSync(demo, { recursive: true });
writeFileSync(join(demo, 'package.json'), JSON.stringify({ name: 'os-fleet', private: true }, null, 2) + '\n');
writeFileSync(join(demo, 'nx.json'), JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json', useDaemonProcess: false }, null, 2) + '\n');
writeFileSync(join(demo, '.gitignore'), 'node_modules\n');
git('init', '-q', '-b', 'main');
git('config', 'user.email', 'demo@example.com');
git('config', 'user.name', 'immutable-os demo');
run(demo, 'npm', ['install', '-D', '--no-audit', '--no-fund', `nx@${nxVersion}`, tarball]);

step('Set up the plugin and scaffold a fleet of OS flavors');
nx('g', 'immutable-os:init', '--no-interactive');
nx('g', 'immutable-os:image', 'base', '--base', 'quay.io/fedora/fedora-bootc:44', '--image', 'ghcr.io/acme/base', '--no-interactive');
nx('g', 'immutable-os:image', 'edge-node', '--from', 'base', '--formats', 'qcow2,raw', '--no-interactive');
nx('g', 'immutable-os:image', 'kiosk', '--from', 'edge-node', '--formats', 'iso', '--no-interactive');
nx('g', 'immutable-os:image', 'server', '--from', 'base', '--image', 'ghcr.io/acme/server', '--no-interactive');
git('add', '-A');
git('commit', '-qm', 'OS fleet: base, edge-node, kiosk, server');

step('The project graph: which flavor is built FROM which');
nx('show', 'projects');
nx('graph', '--file=tmp/graph.json');
const graph = JSON.parse(readFileSync(join(demo, 'tmp/graph.json'), 'utf8')).graph;
for (const [source, deps] of Object.entries(graph.dependencies).sort()) {
  for (const dep of deps) if (graph.nodes[dep.target]) console.log(`  ${source} -> ${dep.target} (${dep.type})`);
}
nx('show', 'project', 'kiosk');

step('Lint every image (static bootc checks, cached)');
nx('run-many', '-t', 'bootc-lint', '--outputStyle=static');
console.log('Again, unchanged: every result comes from the cache.');
nx('run-many', '-t', 'bootc-lint');

step('A change to edge-node makes edge-node and kiosk affected, not base or server');
appendFileSync(join(demo, 'images/edge-node/rootfs/etc/sysctl.d/60-edge-node.conf'), 'vm.swappiness = 10\n');
git('commit', '-qam', 'edge-node: lower swappiness');
const affected = nxOut('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD').trim().split('\n').sort();
console.log(`  affected: ${affected.join(', ')}`);
nx('affected', '-t', 'bootc-lint', '--base=HEAD~1', '--head=HEAD');

console.log(`\nDemo workspace: ${demo}`);
