#!/usr/bin/env node
// The main job on a demo workspace: builds and packs the plugin, creates a fresh Nx workspace with
// a fleet of OS flavors (base -> edge-node -> kiosk, base -> server), then shows the FROM graph,
// lints, builds with podman, pushes to a local registry, converts to disks, boots kiosk's disk in
// qemu (bootc-test) to the line only kiosk's rootfs prints, and shows that a change rebuilds,
// converts and boots only the flavors it touches.
// Usage: npm run demo [-- --dir <folder>]   (default: tmp/demo, recreated on each run)
// Offline hosts: the base is the local stand-in localhost/bootc-mini (tools/fixtures), and when the
// real bootc-image-builder image is not in podman's storage, a stand-in builder is used (said so).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_IMAGE, makeBaseImage } from '../fixtures/make-base-image.mjs';
import { BUILDER_IMAGE, makeBuilderImage } from '../fixtures/make-builder-image.mjs';

const REAL_BUILDER = 'quay.io/centos-bootc/bootc-image-builder:latest';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dirFlag = process.argv.indexOf('--dir');
const demo = resolve(repo, dirFlag !== -1 ? process.argv[dirFlag + 1] : 'tmp/demo');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nxVersion = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.nx;

function step(title) {
  console.log(`\n\x1b[1m== ${title}\x1b[0m`);
}

function run(cwd, command, args, { capture = false } = {}) {
  console.log(`\x1b[2m$ ${[command, ...args].join(' ')}\x1b[0m`);
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited with ${result.status ?? result.signal}`);
  return result;
}

const nx = (...args) => run(demo, join(demo, 'node_modules/.bin/nx'), args);
const nxOut = (...args) => run(demo, join(demo, 'node_modules/.bin/nx'), args, { capture: true }).stdout;
const git = (...args) => run(demo, 'git', args, { capture: true });
const readJson = (file) => JSON.parse(readFileSync(join(demo, file), 'utf8'));
const writeJson = (file, data) => writeFileSync(join(demo, file), JSON.stringify(data, null, 2) + '\n');

async function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

// A local OCI registry (Debian's docker-registry) on a free loopback port, for the push step.
async function startRegistry() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'demo-registry-'));
  writeFileSync(join(dir, 'config.yml'), `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/v2/`).then((r) => r.ok, () => false);
    if (up) return { host: `127.0.0.1:${port}`, stop: () => (child.kill(), rmSync(dir, { recursive: true, force: true })) };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('docker-registry did not start: run bash tools/ci/setup-host.sh');
}

step('Build and pack the plugin');
run(repo, 'npx', ['nx', 'build', 'immutable-os', '--outputStyle=static']);
const packDir = join(repo, 'tmp/pack');
mkdirSync(packDir, { recursive: true });
const packed = run(repo, 'npm', ['pack', 'dist/packages/immutable-os', '--pack-destination', packDir, '--silent'], { capture: true });
const tarball = join(packDir, packed.stdout.trim().split('\n').at(-1));

step('Prepare the offline stand-ins: a tiny bootc base image, and the builder if the real one is absent');
console.log(`base image ${BASE_IMAGE}: ${makeBaseImage()}`);
let builderImage = REAL_BUILDER;
if (spawnSync('podman', ['image', 'exists', REAL_BUILDER]).status !== 0) {
  builderImage = BUILDER_IMAGE;
  console.log(`\x1b[33mUsing the STAND-IN builder ${BUILDER_IMAGE} (${makeBuilderImage()}): ${REAL_BUILDER} cannot be pulled on this offline machine. Its qcow2 and raw disks are real GPT disks of the image that boot; its installers are placeholders at the real builder's paths.\x1b[0m`);
}
const registry = await startRegistry();
console.log(`registry: http://${registry.host}`);

try {
  step(`Create a fresh Nx workspace in ${demo}`);
  if (existsSync(demo)) rmSync(demo, { recursive: true, force: true });
  mkdirSync(demo, { recursive: true });
  writeJson('package.json', { name: 'os-fleet', private: true });
  writeJson('nx.json', { $schema: './node_modules/nx/schemas/nx-schema.json', useDaemonProcess: false });
  writeFileSync(join(demo, '.gitignore'), 'node_modules\n');
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'demo@example.com');
  git('config', 'user.name', 'immutable-os demo');
  run(demo, 'npm', ['install', '-D', '--no-audit', '--no-fund', `nx@${nxVersion}`, tarball]);

  step('Set up the plugin and scaffold a fleet of OS flavors');
  nx('g', 'immutable-os:init', '--no-interactive');
  const image = (name) => `${registry.host}/acme/${name}`;
  nx('g', 'immutable-os:image', 'base', '--base', BASE_IMAGE, '--image', image('base'), '--no-interactive');
  nx('g', 'immutable-os:image', 'edge-node', '--from', 'base', '--image', image('edge-node'), '--formats', 'qcow2,raw', '--no-interactive');
  nx('g', 'immutable-os:image', 'kiosk', '--from', 'edge-node', '--image', image('kiosk'), '--formats', 'qcow2,iso', '--no-interactive');
  nx('g', 'immutable-os:image', 'server', '--from', 'base', '--image', image('server'), '--no-interactive');
  // A boot script only kiosk's rootfs has: bootc-mini runs /etc/boot.d/*.sh at boot (tools/fixtures/bootc-mini/README.md).
  mkdirSync(join(demo, 'images/kiosk/rootfs/etc/boot.d'), { recursive: true });
  writeFileSync(join(demo, 'images/kiosk/rootfs/etc/boot.d/50-kiosk.sh'), '#!/bin/sh\necho "kiosk: the kiosk app is ready"\n');
  // Workspace-wide settings go in nx.json: a plain-HTTP local registry, the builder image, and what
  // bootc-test waits for on bootc-mini, which has no systemd (a real bootc base needs none of this).
  const nxJson = readJson('nx.json');
  nxJson.targetDefaults = {
    'bootc-push': { options: { tlsVerify: false } },
    'bootc-convert': { options: { builderImage } },
    'bootc-test': { options: { expect: ['^bootc-mini: system is up$'], fail: ['Kernel panic', 'bootc-mini: FAILED', 'bootc-mini initramfs: FAILED', 'UEFI Interactive Shell', 'No bootable device'], memory: 512 } },
  };
  writeJson('nx.json', nxJson);
  git('add', '-A');
  git('commit', '-qm', 'OS fleet: base, edge-node, kiosk, server');

  step('The project graph: which flavor is built FROM which');
  nx('show', 'projects');
  nx('graph', '--file=tmp/graph.json');
  const graph = readJson('tmp/graph.json').graph;
  for (const [source, deps] of Object.entries(graph.dependencies).sort()) {
    for (const dep of deps) if (graph.nodes[dep.target]) console.log(`  ${source} -> ${dep.target} (${dep.type})`);
  }
  nx('show', 'project', 'kiosk');

  step('Lint every image (static bootc checks, cached)');
  nx('run-many', '-t', 'bootc-lint', '--outputStyle=static');

  step('Build every image with podman: base first, each flavor on the exact image of its base');
  nx('run-many', '-t', 'bootc-build', '--outputStyle=static');
  const kiosk = readJson('dist/images/kiosk/image.json');
  console.log(`kiosk ${kiosk.refs.join(', ')} = ${kiosk.imageId.slice(0, 12)}, built on ${kiosk.baseImages.map((b) => `${b.project ?? b.ref} ${b.imageId?.slice(0, 12)}`).join(', ')}`);
  run(demo, 'podman', ['run', '--rm', kiosk.refs[0], 'cat', '/usr/lib/os-release']);

  step('Push every image to the registry, recording digests');
  nx('run-many', '-t', 'bootc-push', '--outputStyle=static');
  console.log(`kiosk pushed: ${readJson('dist/images/kiosk/push.json').digest}`);

  step(`Convert to disks and installers with ${builderImage === REAL_BUILDER ? 'bootc-image-builder' : 'the STAND-IN builder'}`);
  nx('run-many', '-t', 'bootc-convert', '--outputStyle=static');
  for (const a of readJson('dist/disks/kiosk/artifacts.json').artifacts) console.log(`  kiosk ${a.type}: ${a.path} ${a.size} bytes sha256 ${a.sha256.slice(0, 16)}...`);

  step('Boot kiosk\'s disk in qemu and check its console (bootc-test)');
  nx('run', 'kiosk:bootc-test', '--outputStyle=static');
  const booted = readJson('dist/tests/kiosk/result.json');
  const kioskLine = readFileSync(join(demo, 'dist/tests/kiosk/console.log'), 'utf8').split('\n').find((line) => line.startsWith('kiosk: '));
  console.log(`  kiosk booted with ${booted.accel.toUpperCase()} (${booted.accelNote}) in ${(booted.durationMs / 1000).toFixed(1)} s; its console: "${kioskLine?.trim()}"`);

  step('Unchanged: every build, push, conversion and boot test comes from the cache');
  nx('run-many', '-t', 'bootc-convert', 'bootc-push');
  nx('run', 'kiosk:bootc-test');

  step('A change to edge-node: only edge-node and kiosk are rebuilt, pushed, converted and booted');
  appendFileSync(join(demo, 'images/edge-node/rootfs/etc/sysctl.d/60-edge-node.conf'), 'vm.swappiness = 10\n');
  git('commit', '-qam', 'edge-node: lower swappiness');
  const affected = nxOut('show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD').trim().split('\n').sort();
  console.log(`  affected: ${affected.join(', ')}`);
  nx('affected', '-t', 'bootc-push', 'bootc-test', '--base=HEAD~1', '--head=HEAD');

  console.log(`\nDemo workspace: ${demo}`);
} finally {
  registry.stop();
}
