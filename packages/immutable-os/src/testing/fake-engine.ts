import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { EngineName } from '../utils/engine';

/**
 * Fake podman, docker and buildah for specs: one node program on a PATH of its own that records
 * every call (argv, stdin, DOCKER_CONFIG, the --file it builds) and answers from a state file,
 * the way bib's tests fake podman. Rules answer first (e.g. "fail push twice"); the built-in
 * behaviour keeps a tiny image store: build, tag, images, save, load, push, login, image exists/inspect,
 * and `run ... bootc container lint` (buildah: from, run, rm) passes unless a rule says otherwise.
 * With `sudo: true` a fake sudo runs them as root would (same store), and podman's
 * `run ... <builder> build ...` runs the builder stand-in's rules (tools/fixtures/bib-standin/bib.js,
 * as bootc-image-builder, or as image-builder for `build --bootc-ref ...` or an image-builder
 * image) against the fake's state, writing files where the builder writes them under /output.
 */

/** A program the fake puts on PATH. */
export type FakeProgram = EngineName | 'sudo';

/** A canned answer for calls whose argv starts with `args` ('*' matches any element). */
export interface FakeRule {
  engine?: FakeProgram;
  args: string[];
  /** How many calls the rule answers; unlimited when absent. */
  times?: number;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

export interface FakeState {
  /** The version each installed engine prints for --version. */
  versions: Partial<Record<EngineName, string>>;
  /** docker: the daemon's version (default the client's); null: the daemon does not answer. */
  dockerDaemon?: string | null;
  /** docker: whether the buildx plugin is installed (default true). */
  buildx?: boolean;
  /** Image IDs (without sha256:) in the fake storage. */
  images: string[];
  /** Reference → image ID. */
  tags: Record<string, string>;
  /** The ID the next build writes to its --iidfile. */
  buildImageId: string;
  /** The manifest digest a push reports. */
  pushDigest: string;
  rules: FakeRule[];
  /** Image ID → its labels, for `image inspect --format '{{index .Config.Labels "<key>"}}'` and the builder's `{{.Labels}}`. */
  labels?: Record<string, Record<string, string>>;
  /** Types for which the fake builder writes its file and then fails (osbuild failing). */
  failBuilderOn?: string[];
  /** Milliseconds the fake builder sleeps after its first file, so a spec can interrupt it. */
  builderDelayMs?: number;
  /** What `pull <ref>` finds in the registry: reference (e.g. repo@digest) → image ID. */
  registry?: Record<string, string>;
  /**
   * What `podman info` reports of root's store; default /var/lib/containers/storage with overlay.
   * Another driver at /var/lib/containers/storage leaves the builder no overlay folder there.
   */
  storage?: { graphRoot: string; driver: string };
  /**
   * Image ID → the root filesystem its `bootc install print-configuration` declares; null: none
   * (Fedora-based images); an ID not listed declares xfs.
   */
  rootFs?: Record<string, string | null>;
  /**
   * What the podman database in /var/lib/containers/storage records as its static dir (the
   * builder's podman refuses another, osbuild/bootc-image-builder#984); default a bolt database
   * recording /var/lib/containers/storage/libpod.
   */
  storeDatabase?: { kind: 'bolt' | 'sqlite'; staticDir: string };
  /** The builder's container runs rootless (`rootless=1` in /run/.containerenv) unless started through sudo. */
  builderRootless?: boolean;
  /** Image ID → the architecture podman reports (Go's names); default amd64. */
  imageArch?: Record<string, string>;
  /**
   * Image ID → files of its tree the builder reads, by path relative to its root (null removes
   * one). By default an image is Fedora-like: os-release (fedora 42), bootc, dnf, a kernel with
   * the ostree, dmsquash-live and livenet dracut modules, and its rootFs declaration.
   */
  imageFiles?: Record<string, Record<string, string | null>>;
}

export interface FakeCall {
  engine: FakeProgram;
  args: string[];
  /** What the caller wrote to standard input, when anything. */
  stdin?: string;
  dockerConfig?: string;
  /** The text of the build's --file, read while the build ran. */
  containerfile?: string;
}

export interface FakeEngines {
  dir: string;
  binDir: string;
  calls(): FakeCall[];
  state(): FakeState;
  update(patch: Partial<FakeState>): void;
  /** Restores PATH and removes the fake's folder. */
  restore(): void;
}

/** A deterministic 64-hex image ID or digest for a name. */
export function fakeId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

// The builder stand-in's rules, shared with tools/fixtures/bib-standin (plain CommonJS).
const BIB_STANDIN = join(__dirname, '..', '..', '..', '..', 'tools', 'fixtures', 'bib-standin', 'bib.js');

const PROGRAM = String.raw`
'use strict';
const fs = require('fs');
const path = require('path');
const dir = path.dirname(__dirname);
const statePath = path.join(dir, 'state.json');
const engine = path.basename(process.argv[1]);
const args = process.argv.slice(2);
const state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
let stdin = '';
try { stdin = fs.readFileSync(0, 'utf8'); } catch {}
const flag = (name) => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1]; };

const call = { engine, args };
if (stdin) call.stdin = stdin;
if (process.env.DOCKER_CONFIG) call.dockerConfig = process.env.DOCKER_CONFIG;
if (args[0] === 'build' && flag('--file') && fs.existsSync(flag('--file'))) call.containerfile = fs.readFileSync(flag('--file'), 'utf8');
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify(call) + '\n');

function finish(code, out, err) {
  fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
  if (out) process.stdout.write(out + '\n');
  if (err) process.stderr.write(err + '\n');
  process.exitCode = code;
}
const bare = (ref) => ref.replace(/^sha256:/, '');
const lookup = (ref) => (state.images.includes(bare(ref)) ? bare(ref) : state.tags[ref]);
const shown = (id) => (engine === 'docker' ? 'sha256:' + id : id);
const notFound = (ref) => finish(engine === 'docker' ? 1 : 125, '', engine === 'docker' ? 'Error: No such image: ' + ref : 'Error: ' + ref + ': image not known');
const last = args[args.length - 1];

// An image's tree as a Fedora-like bootc image has it, the rootFs and imageFiles of the state
// applied, written below parent: what the fake builder mounts and what "bootc install
// print-configuration" reads in a container of the image.
function imageTree(id, parent) {
  const tree = path.join(parent, 'images', id);
  const rootFs = state.rootFs && id in state.rootFs ? state.rootFs[id] : 'xfs';
  const defaults = {
    'usr/lib/os-release': 'NAME="Fedora Linux"\nID=fedora\nVERSION_ID=42\n',
    'usr/bin/bootc': '#!/bin/sh\n',
    'usr/bin/dnf': '#!/bin/sh\n',
    'usr/lib/modules/6.12.0-fake/vmlinuz': 'kernel\n',
    'usr/lib/dracut/modules.d/90ostree/module-setup.sh': '',
    'usr/lib/dracut/modules.d/90dmsquash-live/module-setup.sh': '',
    'usr/lib/dracut/modules.d/90livenet/module-setup.sh': '',
    'usr/lib/bootc/install/80-rootfs.toml': rootFs ? '[install.filesystem.root]\ntype = "' + rootFs + '"\n' : null,
  };
  for (const [rel, content] of Object.entries({ ...defaults, ...((state.imageFiles || {})[id] || {}) })) {
    if (content === null) continue;
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree, rel), content, { mode: 0o755 });
  }
  return tree;
}

// "podman run ... --entrypoint bootc <image> install print-configuration": the image's install
// config merged as bootc merges it (the stand-in's bootcInstallConfig), printed as bootc does.
function printInstallConfiguration(id) {
  const bib = require(BIB_STANDIN);
  const { bootcInstallConfig } = require(path.join(path.dirname(BIB_STANDIN), 'lib', 'image-info.js'));
  const work = fs.mkdtempSync(path.join(dir, 'print-configuration-'));
  try {
    const tree = imageTree(id, work);
    const { rootFs } = bootcInstallConfig(bib.dirImageRoot(tree, tree), 'x86_64');
    finish(0, JSON.stringify({ filesystem: rootFs ? { root: { type: rootFs } } : null, 'root-fs-type': rootFs || null }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// The builder: podman run ... <builder image> <args> runs the stand-in's rules
// (tools/fixtures/bib-standin/bib.js) in this process, with the run's -v mounts mapped to host
// folders and podman's and the image's answers taken from the state.
const BUILDER_STORAGE = '/var/lib/containers/storage';
// podman run's options that take a value (the image is the first word after them).
const RUN_VALUE_OPTIONS = ['-v', '--volume', '--name', '--security-opt', '-e', '--env', '--entrypoint', '--network', '--mount', '-w', '--workdir', '--user', '-u', '--label', '--tmpfs', '--device', '--cap-add', '--cap-drop', '--env-file', '--hostname'];
function runBuilder() {
  const bib = require(BIB_STANDIN);
  let at = 1;
  const mounts = {};
  let privileged = false;
  while (at < args.length && args[at].startsWith('-')) {
    const option = args[at];
    if (option === '--privileged') privileged = true;
    if ((option === '-v' || option === '--volume') && args[at + 1]) {
      const [host, target] = args[at + 1].split(':');
      mounts[target] = host;
    }
    at += RUN_VALUE_OPTIONS.includes(option) ? 2 : 1;
  }
  const builderImage = args[at];
  const argv = args.slice(at + 1);
  const imageBuilder = (/(^|\/)image-builder[^/]*$/.test(builderImage.replace(/[:@][^/]*$/, '')) && !builderImage.includes('bootc-image-builder')) || (argv[0] === 'build' && argv[1] === '--bootc-ref');

  // The container's own files live in a folder of the fake; the store is the fake's, never the host's.
  const root = fs.mkdtempSync(path.join(dir, 'container-'));
  const store = path.join(root, 'store');
  fs.mkdirSync(path.join(root, 'run'), { recursive: true });
  const rootless = !!state.builderRootless && !process.env.FAKE_ENGINE_SUDO;
  fs.writeFileSync(path.join(root, 'run/.containerenv'), 'engine="podman-fake"\nrootless=' + (rootless ? 1 : 0) + '\n');
  const storage = state.storage || { graphRoot: BUILDER_STORAGE, driver: 'overlay' };
  fs.mkdirSync(path.join(store, storage.graphRoot === BUILDER_STORAGE && storage.driver !== 'overlay' ? storage.driver : 'overlay'), { recursive: true });
  const db = state.storeDatabase || { kind: 'bolt', staticDir: BUILDER_STORAGE + '/libpod' };
  fs.mkdirSync(path.join(store, 'libpod'), { recursive: true });
  if (db.kind === 'sqlite') fs.writeFileSync(path.join(store, 'db.sql'), bib.encodeSqliteConfigRow({ staticDir: db.staticDir }));
  else fs.writeFileSync(path.join(store, 'libpod/bolt_state.db'), bib.encodeBoltRuntimeConfig({ staticDir: db.staticDir }));
  const files = bib.hostFs({ root, mounts: { ...mounts, [BUILDER_STORAGE]: mounts[BUILDER_STORAGE] ? store : path.join(root, 'no-storage') } });

  const labelsOf = (id) => ((state.labels || {})[id] || {});
  const podman = (podmanArgs) => {
    if (podmanArgs[0] !== 'image' || podmanArgs[1] !== 'inspect') return { status: 125, stdout: '', stderr: 'Error: the fake builder answers only image inspect\n' };
    const ref = podmanArgs[2];
    const id = lookup(ref);
    if (!id) return { status: 125, stdout: '', stderr: 'Error: ' + ref + ': image not known\n' };
    const labels = labelsOf(id);
    const fields = { '{{.Labels}}': 'map[' + Object.keys(labels).sort().map((k) => k + ':' + labels[k]).join(' ') + ']', '{{.Id}}': id, '{{.Architecture}}': (state.imageArch || {})[id] || 'amd64', '{{.Size}}': '1000000' };
    return { status: 0, stdout: podmanArgs[4].replace(/\{\{\.\w+\}\}/g, (f) => fields[f]) + '\n', stderr: '' };
  };
  const mountImage = (ref) => {
    const id = lookup(ref);
    return bib.dirImageRoot(imageTree(id, root), BUILDER_STORAGE + '/overlay/' + id + '/merged');
  };
  const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const env = {
    ...files,
    cwd: '/output',
    goarch: 'amd64',
    uid: process.getuid(),
    gid: process.getgid(),
    sysReadOnly: () => !privileged,
    podman,
    mountImage,
    now: () => new Date(),
    sleep,
    stdin: () => stdin,
    stdout: (text) => fs.writeSync(1, text),
    stderr: (text) => fs.writeSync(2, text),
    // The fake's own hooks, and its files' contents: 'fake <type> of <image id>' lines.
    hooks: {
      failAfter: (type) => ((state.failBuilderOn || []).includes(type) ? 'fake bootc-image-builder: error: building ' + type + ' failed (fake failure)' : undefined),
      delayAfterFirstMs: state.builderDelayMs,
    },
    content: ({ type, imageId }) => ('fake ' + type + ' of ' + imageId + '\n').repeat(64),
  };
  let code;
  try {
    code = bib.run(imageBuilder ? 'image-builder' : 'bootc-image-builder', argv, env);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  finish(code);
}

// Fake sudo: skips its own options and runs the named fake program, which shares the one store.
function runSudo() {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) i++;
  const program = path.join(__dirname, args[i] || '');
  if (!args[i] || !fs.existsSync(program)) {
    process.stderr.write('sudo: ' + args[i] + ': command not found\n');
    process.exitCode = 1;
    return;
  }
  const child = require('child_process').spawnSync(process.execPath, [program, ...args.slice(i + 1)], { input: stdin, stdio: ['pipe', 'inherit', 'inherit'], env: { ...process.env, FAKE_ENGINE_SUDO: '1' } });
  process.exitCode = child.status === null ? 1 : child.status;
}

const rule = state.rules.find((r) => (!r.engine || r.engine === engine) && r.args.every((a, i) => a === '*' || args[i] === a) && (r.times === undefined || r.times > 0));
if (rule) {
  if (rule.times !== undefined) rule.times--;
  finish(rule.exitCode || 0, rule.stdout, rule.stderr);
} else if (engine === 'sudo') {
  runSudo();
} else if (args[0] === '--version') {
  const v = state.versions[engine];
  finish(0, engine === 'docker' ? 'Docker version ' + v + ', build 0000000' : engine + ' version ' + v + (engine === 'buildah' ? ' (image-spec 1.1.0, runtime-spec 1.0.2-dev)' : ''));
} else if (engine === 'docker' && args[0] === 'version') {
  // docker version --format {{.Server.Version}}: the daemon's version; with no daemon, what Debian's
  // docker 20.10.24 client prints (exit 1), as seen on this machine.
  if (state.dockerDaemon === null) finish(1, '', 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?');
  else finish(0, state.dockerDaemon || state.versions.docker);
} else if (engine === 'docker' && args[0] === 'buildx') {
  // docker buildx version without the plugin: what the static docker 28.2.2 client prints (exit 1), as seen on this machine.
  if (state.buildx === false) finish(1, '', "docker: unknown command: docker buildx\n\nRun 'docker --help' for more information");
  else finish(0, 'github.com/docker/buildx v0.14.1 59582f6');
} else if (engine === 'podman' && args[0] === 'image' && args[1] === 'exists') {
  finish(lookup(last) ? 0 : 1);
} else if (args[0] === 'image' && args[1] === 'inspect' && /RepoTags/.test(flag('--format') || '')) {
  // Several images at once: a line for each one found ("<id> <tags>"), then the engine's error for the others.
  const asked = args.slice(args.indexOf('--format') + 2);
  const found = asked.filter((ref) => lookup(ref));
  const lines = found.map((ref) => [shown(lookup(ref)), ...Object.keys(state.tags).filter((t) => state.tags[t] === lookup(ref))].join(' '));
  const missing = asked.filter((ref) => !lookup(ref));
  finish(missing.length === 0 ? 0 : engine === 'docker' ? 1 : 125, lines.join('\n'), missing.map((ref) => (engine === 'docker' ? 'Error: No such image: ' : 'Error: inspecting object: ') + ref + (engine === 'docker' ? '' : ': image not known')).join('\n'));
} else if ((args[0] === 'image' && args[1] === 'inspect') || (engine === 'buildah' && args[0] === 'inspect')) {
  const label = /\.Config\.Labels "([^"]+)"/.exec(flag('--format') || '');
  if (!lookup(last)) notFound(last);
  else if (label) finish(0, ((state.labels || {})[lookup(last)] || {})[label[1]] || '');
  else finish(0, shown(lookup(last)));
} else if (args[0] === 'images') {
  // "<id> <repository>:<tag>" a reference, "<none>:<none>" for an untagged image (buildah pads with spaces).
  const lines = state.images.flatMap((id) => {
    const refs = Object.keys(state.tags).filter((ref) => state.tags[ref] === id);
    return (refs.length ? refs : ['<none>:<none>']).map((ref) => 'sha256:' + id + (engine === 'buildah' ? '   ' : ' ') + ref);
  });
  finish(0, lines.join('\n'));
} else if (args[0] === 'tag') {
  if (!lookup(args[1])) notFound(args[1]);
  else { state.tags[args[2]] = lookup(args[1]); finish(0); }
} else if ((args[0] === 'save') || (engine === 'buildah' && args[0] === 'push' && last.startsWith('oci-archive:'))) {
  const [file, ref] = args[0] === 'save' ? [flag('--output'), last] : [last.slice('oci-archive:'.length), args[args.length - 2]];
  if (!lookup(ref)) notFound(ref);
  else { fs.writeFileSync(file, 'fake-oci-archive ' + lookup(ref) + '\n'); finish(0); }
} else if (args[0] === 'load' || (engine === 'buildah' && args[0] === 'pull' && last.startsWith('oci-archive:'))) {
  const file = args[0] === 'load' ? flag('--input') : last.slice('oci-archive:'.length);
  const id = /^fake-oci-archive (\S+)/.exec(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
  if (!id) finish(125, '', 'Error: payload does not match any of the supported image formats');
  else { if (!state.images.includes(id[1])) state.images.push(id[1]); finish(0, 'Loaded image: sha256:' + id[1]); }
} else if (args[0] === 'pull') {
  const id = (state.registry || {})[last];
  if (!id) finish(125, '', 'Error: initializing source docker://' + last + ': reading manifest: manifest unknown');
  else { if (!state.images.includes(id)) state.images.push(id); finish(0, id); }
} else if (args[0] === 'build') {
  const id = state.buildImageId;
  if (!state.images.includes(id)) state.images.push(id);
  args.forEach((a, i) => { if (a === '--tag' || a === '--manifest') state.tags[args[i + 1]] = id; });
  if (flag('--iidfile')) fs.writeFileSync(flag('--iidfile'), shown(id));
  finish(0);
} else if (args[0] === 'push') {
  const ref = engine === 'docker' ? last : args[args.length - 2];
  if (!lookup(ref)) notFound(ref);
  else if (engine === 'docker') finish(0, 'latest: digest: ' + state.pushDigest + ' size: 1234');
  else { fs.writeFileSync(flag('--digestfile'), state.pushDigest); finish(0); }
} else if (args[0] === 'login') {
  if (flag('--authfile')) fs.writeFileSync(flag('--authfile'), '{"auths":{}}');
  finish(0, 'Login Succeeded!');
} else if (engine === 'podman' && args[0] === 'info' && /GraphRoot/.test(flag('--format') || '')) {
  const store = state.storage || { graphRoot: '/var/lib/containers/storage', driver: 'overlay' };
  finish(0, (flag('--format') || '').replace('{{.Store.GraphRoot}}', store.graphRoot).replace('{{.Store.GraphDriverName}}', store.driver));
} else if (engine === 'podman' && args[0] === 'run' && args.slice(-2).join(' ') === 'install print-configuration') {
  const id = lookup(args[args.length - 3]);
  if (!id) notFound(args[args.length - 3]);
  else printInstallConfiguration(id);
} else if (args[0] === 'run' && args.some((a, i) => a === 'container' && args[i + 1] === 'lint')) {
  // bootc container lint in an image that passes it (bootc 1.16's summary at its running root); a rule answers the others.
  const target = engine === 'buildah' ? undefined : args[args.indexOf('container') - 1];
  if (target && !lookup(target)) notFound(target);
  else finish(0, 'Checks passed: 13\nChecks skipped: 1');
} else if (args[0] === 'untag' || (args[0] === 'image' && args[1] === 'rm') || (engine === 'buildah' && args[0] === 'rmi')) {
  for (const ref of args.slice(args[0] === 'rmi' ? 1 : 2)) delete state.tags[ref];
  finish(0);
} else if (engine === 'buildah' && args[0] === 'from') {
  if (!lookup(last)) notFound(last);
  else finish(0, 'fake-working-container');
} else if (engine === 'podman' && args[0] === 'run' && args.includes('build')) {
  runBuilder();
} else {
  finish(0);
}
`;

/**
 * Puts fake engines (only those given a version) first and alone on PATH, so the real ones are not
 * found. `hostPrograms` (e.g. git) are linked in from the real PATH.
 */
export function installFakeEngines(options: {
  versions: Partial<Record<EngineName, string>>;
  state?: Partial<Omit<FakeState, 'versions'>>;
  hostPrograms?: string[];
  /** Also put a fake sudo on PATH. */
  sudo?: boolean;
}): FakeEngines {
  const dir = mkdtempSync(join(tmpdir(), 'immutable-os-fake-engine-'));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  const statePath = join(dir, 'state.json');
  const readState = (): FakeState => JSON.parse(readFileSync(statePath, 'utf8'));
  const writeState = (state: object) => writeFileSync(statePath, JSON.stringify(state, null, 2));
  writeState({
    versions: options.versions,
    images: [],
    tags: {},
    buildImageId: fakeId('built'),
    pushDigest: `sha256:${fakeId('pushed')}`,
    rules: [],
    ...options.state,
  });

  const savedPath = process.env.PATH;
  for (const engine of [...Object.keys(options.versions), ...(options.sudo ? ['sudo'] : [])]) {
    const program = join(binDir, engine);
    writeFileSync(program, `#!${process.execPath}\n${PROGRAM.replace("'use strict';", `'use strict';\nconst BIB_STANDIN = ${JSON.stringify(BIB_STANDIN)};`)}`);
    chmodSync(program, 0o755);
  }
  for (const name of options.hostPrograms ?? []) {
    const found = (savedPath ?? '').split(delimiter).map((d) => join(d, name)).find((p) => existsSync(p));
    if (!found) throw new Error(`fake engine: ${name} is not on PATH, so the spec cannot link it.`);
    symlinkSync(found, join(binDir, name));
  }
  process.env.PATH = binDir;

  return {
    dir,
    binDir,
    calls: () => {
      const log = join(dir, 'calls.jsonl');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as FakeCall);
    },
    state: readState,
    update: (patch) => writeState({ ...readState(), ...patch }),
    restore: () => {
      process.env.PATH = savedPath;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
