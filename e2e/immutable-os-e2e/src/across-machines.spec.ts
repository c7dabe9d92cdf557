import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { exists, readJson, readText, updateJson, writeFile } from './utils/files';
import { commitAll, git } from './utils/git';
import {
  cloneWorkspace,
  createMachine,
  machineHasImage,
  machineImageIds,
  machinePodman,
  removeMachine,
  type Machine,
} from './utils/machine';
import { nx, nxOk } from './utils/nx';
import { startNxRemoteCache, type NxRemoteCache } from './utils/nx-remote-cache';
import { imageExists, imageId, podman, registryDigest, removeImages } from './utils/podman';
import { startRegistry, type Registry } from './utils/registry';
import { describeFailure, output, runOk, type RunResult } from './utils/run';
import { standinLine } from './utils/standin-disk';
import { stripAnsi, taskStatusMap } from './utils/task-status';

// Issue 6, "Across machines": two checkouts of one workspace, each with its own podman storage and
// its own Nx local cache, sharing only a self-hosted Nx remote cache (as CI agents do) and a
// registry. Machine A builds and pushes; machine B takes A's builds from the remote cache and still
// pushes and converts A's exact images, restored from the cached OCI archive or pulled by digest.
// The steps of each describe build on each other in the order written.
const { repoRoot, tempRoot } = readE2eContext();
const suffix = randomBytes(4).toString('hex');
const scratch = join(tempRoot, `across-machines-${suffix}`);
// The machines' storages, at a short path (a long runroot slows podman down: see createMachine).
const machinesRoot = mkdtempSync(join(tmpdir(), 'ioe-'));
const BASE_IMAGE = 'localhost/bootc-mini:latest';
const BUILDER_IMAGE = 'localhost/bib-standin:latest';
const FLEET = ['base', 'kiosk'] as const;
type Project = (typeof FLEET)[number];

let registry: Registry | undefined;
let remoteCache: NxRemoteCache | undefined;
const machines: Machine[] = [];
const fixturesArchive = join(scratch, 'fixtures.tar');
let fixtureIds: string[] = [];

interface ImageJson {
  project: string;
  image: string;
  refs: string[];
  imageId: string;
  baseImages: Array<{ ref: string; imageId?: string; project?: string }>;
  archive?: string;
}

interface PushJson {
  imageId: string;
  digest: string;
  refs: Array<{ ref: string; digest: string }>;
  tlsVerify: boolean;
}

interface ArtifactsJson {
  imageId: string;
  artifacts: Array<{ type: string; path: string }>;
}

/** A workspace with base (on bootc-mini) and kiosk (FROM base), checked out on machines A and B. */
interface Fleet {
  a: Machine;
  b: Machine;
  repository: (project: Project) => string;
}

function createFleet(name: string, buildOptions: Record<string, unknown>): Fleet {
  const origin = specWorkspace(`across-${name}`);
  const repository = (project: Project) => `${(registry as Registry).host}/acme/${name}-${project}-${suffix}`;
  const shared = (remoteCache as NxRemoteCache).env;
  const a = addMachine(createMachine('A', join(machinesRoot, `${name}-A`), origin, shared));
  // Outputs are never committed: B gets them only through the remote cache.
  writeFile(origin, '.gitignore', `${readText(origin, '.gitignore').trimEnd()}\ndist\n`);
  nxOk(origin, ['g', 'immutable-os:init', '--no-interactive'], a.env);
  nxOk(origin, ['g', 'immutable-os:image', 'base', '--base', BASE_IMAGE, '--image', repository('base'), '--no-interactive'], a.env);
  nxOk(origin, ['g', 'immutable-os:image', 'kiosk', '--from', 'base', '--image', repository('kiosk'), '--no-interactive'], a.env);
  for (const project of FLEET) writeFile(origin, marker(project), `${project} v1\n`);
  updateJson(origin, 'nx.json', (json) => ({
    ...json,
    targetDefaults: {
      ...json.targetDefaults,
      'bootc-build': { options: buildOptions },
      'bootc-push': { options: { tlsVerify: false } },
      'bootc-convert': { options: { builderImage: BUILDER_IMAGE } },
    },
  }));
  commitAll(origin, 'An OS fleet: base on bootc-mini, kiosk FROM base');

  const b = addMachine(createMachine('B', join(machinesRoot, `${name}-B`), cloneWorkspace(origin, join(tempRoot, 'workspaces'), `across-${name}-b`), shared));
  return { a, b, repository };
}

function addMachine(machine: Machine): Machine {
  machines.push(machine);
  machinePodman(machine, ['load', '--quiet', '--input', fixturesArchive]);
  return machine;
}

function marker(project: Project): string {
  return `images/${project}/rootfs/usr/share/${project}/marker`;
}

/** nx on a machine, with static output (it names every task and where it came from); throws unless it exits 0. */
function nxOn(machine: Machine, args: string[]): RunResult {
  return nxOk(machine.workspace, [...args, '--outputStyle=static'], machine.env);
}

type Status = 'ran' | 'local cache' | 'remote cache';

/** How nx handled each task: ran, or restored from the local or the remote cache. */
function statuses(result: RunResult): Record<string, Status> {
  const remote = new Set(
    stripAnsi(output(result))
      .split('\n')
      .map((line) => /^\s*(?:>|✔)\s+nx run (\S+).*\[remote cache\]\s*$/.exec(line)?.[1])
      .filter(Boolean),
  );
  return Object.fromEntries(
    Object.entries(taskStatusMap(output(result))).map(([task, status]) => [task, status === 'ran' ? 'ran' : remote.has(task) ? 'remote cache' : 'local cache']),
  );
}

function expectStatuses(result: RunResult, expected: Record<string, Status>): void {
  const actual = statuses(result);
  if (JSON.stringify(actual, Object.keys(actual).sort()) !== JSON.stringify(expected, Object.keys(expected).sort())) {
    throw new Error(`Expected tasks ${JSON.stringify(expected)}, got ${JSON.stringify(actual)} from:\n${describeFailure(result)}`);
  }
}

function forEachProject(target: string, status: Status): Record<string, Status> {
  return Object.fromEntries(FLEET.map((project) => [`${project}:${target}`, status]));
}

function imageJson(machine: Machine, project: Project): ImageJson {
  return readJson<ImageJson>(machine.workspace, `dist/images/${project}/image.json`);
}

function pushJson(machine: Machine, project: Project): PushJson {
  return readJson<PushJson>(machine.workspace, `dist/images/${project}/push.json`);
}

function artifactsJson(machine: Machine, project: Project): ArtifactsJson {
  return readJson<ArtifactsJson>(machine.workspace, `dist/disks/${project}/artifacts.json`);
}

function idOnMachine(machine: Machine, ref: string): string {
  return machinePodman(machine, ['image', 'inspect', '--format', '{{.Id}}', ref]);
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

// A converted artifact as the stand-in builder writes it: its stand-in line names the type and the image ID it read.
function expectConvertedFrom(machine: Machine, project: Project, id: string): void {
  const artifacts = artifactsJson(machine, project);
  expect(artifacts.imageId).toBe(id);
  expect(artifacts.artifacts.map((a) => a.type)).toEqual(['qcow2']);
  for (const artifact of artifacts.artifacts) {
    expect(standinLine(join(machine.workspace, artifact.path))).toMatch(new RegExp(`^bib-standin ${artifact.type} ${id} `));
  }
}

// The machines' storages are not /var/lib/containers/storage, the only one bootc-image-builder
// reads (podman inside it checks the store's recorded path, osbuild/bootc-image-builder#984), so
// bootc-convert copies each image there first; the test removes those copies afterwards.
const staged = new Set<string>();
function expectStagedForBuilder(result: RunResult, ids: string[]): void {
  for (const id of ids) {
    expect(output(result)).toContain(`Copying ${id.slice(0, 12)} into /var/lib/containers/storage, the only storage bootc-image-builder reads`);
    expect(imageExists(id)).toBe(true);
    staged.add(id);
  }
}

beforeAll(async () => {
  registry = await startRegistry(join(scratch, 'registry'));
  remoteCache = await startNxRemoteCache(join(scratch, 'nx-remote-cache'));
  // The fixtures come to every machine the same way (as a base image from quay.io would): built
  // once in the host's storage, saved, loaded into each machine's storage with the same IDs.
  const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], fixture);
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-builder-image.mjs')], fixture);
  podman(['save', '--quiet', '--multi-image-archive', '--format', 'docker-archive', '--output', fixturesArchive, BASE_IMAGE, BUILDER_IMAGE]);
  fixtureIds = sorted([imageId(BASE_IMAGE), imageId(BUILDER_IMAGE)]);
}, 5 * 60 * 1000);

afterAll(async () => {
  try {
    removeImages(staged);
    // E2E_KEEP=1 keeps the machines' storages for a look (global teardown keeps the workspaces then).
    if (process.env.E2E_KEEP === '1') console.log(`[e2e] E2E_KEEP=1: kept the machines in ${machinesRoot} (podman with CONTAINERS_STORAGE_CONF=<machine>/storage.conf)`);
    else for (const machine of machines) removeMachine(machine);
  } finally {
    await registry?.stop();
    await remoteCache?.stop();
    if (process.env.E2E_KEEP !== '1') {
      rmSync(scratch, { recursive: true, force: true });
      rmSync(machinesRoot, { recursive: true, force: true });
    }
  }
}, 5 * 60 * 1000);

describe('across machines, with archive: true on bootc-build: B restores the exact images from the cached OCI archives', () => {
  let fleet: Fleet;
  const builtOnA = {} as Record<Project, ImageJson>;
  const pushedOnA = {} as Record<Project, PushJson>;

  beforeAll(() => {
    fleet = createFleet('archive', { archive: true });
  }, 5 * 60 * 1000);

  test('each machine has its own storage: B sees only the fixtures', () => {
    expect(machineImageIds(fleet.a)).toEqual(fixtureIds);
    expect(machineImageIds(fleet.b)).toEqual(fixtureIds);
    expect(fleet.a.graphroot).not.toBe(fleet.b.graphroot);
    expect(machinePodman(fleet.b, ['info', '--format', '{{.Store.GraphRoot}}'])).toBe(fleet.b.graphroot);
  });

  test('A builds and pushes both images into its own storage and the registry', () => {
    const result = nxOn(fleet.a, ['run-many', '-t', 'bootc-build', 'bootc-push']);
    expectStatuses(result, { ...forEachProject('bootc-build', 'ran'), ...forEachProject('bootc-push', 'ran') });
    for (const project of FLEET) {
      builtOnA[project] = imageJson(fleet.a, project);
      pushedOnA[project] = pushJson(fleet.a, project);
      expect(builtOnA[project].archive).toBe('image.oci.tar');
      expect(pushedOnA[project]).toMatchObject({ imageId: builtOnA[project].imageId, tlsVerify: false });
      expect(pushedOnA[project].digest).toBe(registryDigest(`${fleet.repository(project)}:latest`));
      expect(machineHasImage(fleet.a, builtOnA[project].imageId)).toBe(true);
      expect(machineHasImage(fleet.b, builtOnA[project].imageId)).toBe(false);
      expect(imageExists(builtOnA[project].imageId)).toBe(false);
    }
    expect(builtOnA.kiosk.baseImages).toEqual([{ ref: `${fleet.repository('base')}:latest`, project: 'base', imageId: builtOnA.base.imageId }]);
  });

  test('B: bootc-build is a remote cache hit for both images and builds nothing; the run then loads the images from the cached archives', () => {
    const result = nxOn(fleet.b, ['run-many', '-t', 'bootc-build']);
    expectStatuses(result, forEachProject('bootc-build', 'remote cache'));
    for (const project of FLEET) {
      expect(imageJson(fleet.b, project)).toEqual(builtOnA[project]);
      const archive = `dist/images/${project}/image.oci.tar`;
      expect(sha256File(join(fleet.b.workspace, archive))).toBe(sha256File(join(fleet.a.workspace, archive)));
      // A cache hit restores the files; the plugin's after-run check brings the image back from them.
      expect(output(result)).toContain(`immutable-os: brought ${project}'s image ${builtOnA[project].imageId.slice(0, 12)} back into podman's storage from ${archive}.`);
    }
    expect(machineImageIds(fleet.b)).toEqual(sorted([...fixtureIds, ...FLEET.map((p) => builtOnA[p].imageId)]));
  });

  test('B: bootc-push pushes the exact images A built under the digests A pushed', () => {
    // --retries=1: options A's pushes did not have, so B's pushes run instead of coming from the cache.
    const result = nxOn(fleet.b, ['run-many', '-t', 'bootc-push', '--retries=1']);
    expectStatuses(result, { ...forEachProject('bootc-build', 'local cache'), ...forEachProject('bootc-push', 'ran') });
    expect(machineImageIds(fleet.b)).toEqual(sorted([...fixtureIds, ...FLEET.map((p) => builtOnA[p].imageId)]));
    for (const project of FLEET) {
      const latest = `${fleet.repository(project)}:latest`;
      expect(idOnMachine(fleet.b, latest)).toBe(builtOnA[project].imageId);
      const pushed = pushJson(fleet.b, project);
      expect(pushed).toMatchObject({ imageId: builtOnA[project].imageId, digest: pushedOnA[project].digest, refs: [{ ref: latest, digest: pushedOnA[project].digest }] });
      expect(registryDigest(latest)).toBe(pushedOnA[project].digest);
    }
  });

  test('B: bootc-convert converts the exact images A built, copied from B\'s storage into the one the builder reads', () => {
    const result = nxOn(fleet.b, ['run-many', '-t', 'bootc-convert']);
    expectStatuses(result, { ...forEachProject('bootc-build', 'local cache'), ...forEachProject('bootc-convert', 'ran') });
    expectStagedForBuilder(result, FLEET.map((p) => builtOnA[p].imageId));
    for (const project of FLEET) expectConvertedFrom(fleet.b, project, builtOnA[project].imageId);
    expect(machineImageIds(fleet.b)).toEqual(sorted([...fixtureIds, ...FLEET.map((p) => builtOnA[p].imageId)]));
  });
  // Reproducible image IDs: the same commit, built again in another storage, is the same image.
  test('B rebuilding the same commit itself (--skip-nx-cache) gets A\'s image IDs, and its records are byte-identical', () => {
    const records = FLEET.map((p) => readText(fleet.b.workspace, `dist/images/${p}/image.json`));
    const result = nxOn(fleet.b, ['run-many', '-t', 'bootc-build', '--skip-nx-cache']);
    expectStatuses(result, forEachProject('bootc-build', 'ran'));
    for (const [i, project] of FLEET.entries()) {
      expect(imageJson(fleet.b, project).imageId).toBe(builtOnA[project].imageId);
      expect(readText(fleet.b.workspace, `dist/images/${project}/image.json`)).toBe(records[i]);
    }
  });
});

describe('across machines, without archive: B pulls the exact images by the digests in push.json', () => {
  let fleet: Fleet;
  const builtOnA = {} as Record<Project, ImageJson>;
  const pushedOnA = {} as Record<Project, PushJson>;

  beforeAll(() => {
    fleet = createFleet('digest', {});
  }, 5 * 60 * 1000);

  test('A builds and pushes both images (no archive)', () => {
    const result = nxOn(fleet.a, ['run-many', '-t', 'bootc-build', 'bootc-push']);
    expectStatuses(result, { ...forEachProject('bootc-build', 'ran'), ...forEachProject('bootc-push', 'ran') });
    for (const project of FLEET) {
      builtOnA[project] = imageJson(fleet.a, project);
      pushedOnA[project] = pushJson(fleet.a, project);
      expect(builtOnA[project].archive).toBeUndefined();
      expect(exists(fleet.a.workspace, `dist/images/${project}/image.oci.tar`)).toBe(false);
      expect(pushedOnA[project].digest).toBe(registryDigest(`${fleet.repository(project)}:latest`));
    }
  });

  test('B: bootc-push is a remote cache hit for every task: push.json comes back, and the run then pulls the images by its digests', () => {
    const result = nxOn(fleet.b, ['run-many', '-t', 'bootc-push']);
    expectStatuses(result, { ...forEachProject('bootc-build', 'remote cache'), ...forEachProject('bootc-push', 'remote cache') });
    for (const project of FLEET) {
      expect(imageJson(fleet.b, project)).toEqual(builtOnA[project]);
      expect(pushJson(fleet.b, project)).toEqual(pushedOnA[project]);
      expect(output(result)).toContain(
        `immutable-os: brought ${project}'s image ${builtOnA[project].imageId.slice(0, 12)} back into podman's storage from ${fleet.repository(project)}@${pushedOnA[project].digest}.`,
      );
    }
    expect(machineImageIds(fleet.b)).toEqual(sorted([...fixtureIds, ...FLEET.map((p) => builtOnA[p].imageId)]));
  });

  test('B: bootc-convert pulls the exact images by digest and converts them', () => {
    // As on an agent that has the records but not the images (pruned since, or another runner).
    for (const project of ['kiosk', 'base'] as const) machinePodman(fleet.b, ['rmi', '--force', builtOnA[project].imageId]);
    expect(machineImageIds(fleet.b)).toEqual(fixtureIds);
    const result = nxOn(fleet.b, ['run-many', '-t', 'bootc-convert']);
    expectStatuses(result, { ...forEachProject('bootc-build', 'local cache'), ...forEachProject('bootc-convert', 'ran') });
    expectStagedForBuilder(result, FLEET.map((p) => builtOnA[p].imageId));
    for (const project of FLEET) {
      expect(output(result)).toContain(`Pulling ${fleet.repository(project)}@${pushedOnA[project].digest}`);
      expect(idOnMachine(fleet.b, `${fleet.repository(project)}:latest`)).toBe(builtOnA[project].imageId);
      expectConvertedFrom(fleet.b, project, builtOnA[project].imageId);
    }
    // Pulled by digest: the image as A built it, under A's ID, and nothing else.
    expect(machineImageIds(fleet.b)).toEqual(sorted([...fixtureIds, ...FLEET.map((p) => builtOnA[p].imageId)]));
  });

  test('B: a change to kiosk only, pulled from A, builds kiosk on base\'s exact image pulled by digest', () => {
    writeFile(fleet.a.workspace, marker('kiosk'), 'kiosk v2\n');
    commitAll(fleet.a.workspace, 'kiosk: marker v2');
    git(fleet.b.workspace, ['pull', '--quiet', '--ff-only']);
    // As on an agent that never had them: the kiosk image, then the base it is built on.
    for (const project of ['kiosk', 'base'] as const) machinePodman(fleet.b, ['rmi', '--force', builtOnA[project].imageId]);
    expect(machineImageIds(fleet.b)).toEqual(fixtureIds);

    const result = nxOn(fleet.b, ['run', 'kiosk:bootc-build']);
    expectStatuses(result, { 'base:bootc-build': 'local cache', 'kiosk:bootc-build': 'ran' });
    expect(output(result)).toContain(`Pulling ${fleet.repository('base')}@${pushedOnA.base.digest}`);
    const kiosk = imageJson(fleet.b, 'kiosk');
    expect(kiosk.imageId).not.toBe(builtOnA.kiosk.imageId);
    expect(kiosk.baseImages).toEqual([{ ref: `${fleet.repository('base')}:latest`, project: 'base', imageId: builtOnA.base.imageId }]);
    const layers = (ref: string): string[] => JSON.parse(machinePodman(fleet.b, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref]));
    const baseLayers = layers(builtOnA.base.imageId);
    expect(layers(kiosk.imageId).slice(0, baseLayers.length)).toEqual(baseLayers);
    const cat = (path: string) => machinePodman(fleet.b, ['run', '--rm', '--network=none', kiosk.imageId, 'cat', path]);
    expect(cat('/usr/share/kiosk/marker')).toBe('kiosk v2');
    expect(cat('/usr/share/base/marker')).toBe('base v1');
  });

  test('B: without archive and without push.json, a push after a build cache hit fails and says how to get the image back', () => {
    writeFile(fleet.a.workspace, marker('kiosk'), 'kiosk v3\n');
    commitAll(fleet.a.workspace, 'kiosk: marker v3');
    expectStatuses(nxOn(fleet.a, ['run', 'kiosk:bootc-build']), { 'base:bootc-build': 'local cache', 'kiosk:bootc-build': 'ran' });
    const v3 = imageJson(fleet.a, 'kiosk');
    git(fleet.b.workspace, ['pull', '--quiet', '--ff-only']);
    // A fresh checkout: no outputs at all, so no push.json that could name the image.
    rmSync(join(fleet.b.workspace, 'dist'), { recursive: true, force: true });
    const before = machineImageIds(fleet.b);

    const failed = nx(fleet.b.workspace, ['run', 'kiosk:bootc-push', '--outputStyle=static'], fleet.b.env);
    if (failed.status === 0) throw new Error(`Expected the push to fail:\n${describeFailure(failed)}`);
    const text = output(failed);
    expect(statuses(failed)).toMatchObject({ 'base:bootc-build': 'local cache', 'kiosk:bootc-build': 'remote cache' });
    expect(text).toContain(`The image ${v3.imageId.slice(0, 12)} recorded in dist/images/kiosk/image.json is not in podman's storage`);
    expect(text).toContain('nx run kiosk:bootc-build --skip-nx-cache');
    expect(text).toContain('set archive: true on bootc-build');
    expect(exists(fleet.b.workspace, 'dist/images/kiosk/push.json')).toBe(false);
    expect(machineImageIds(fleet.b)).toEqual(before);
    expect(registryDigest(`${fleet.repository('kiosk')}:latest`)).toBe(pushedOnA.kiosk.digest);

    // The advice, followed on B with the remote cache in place: the rebuild (base included, at this
    // later commit: new revision labels, new IDs) replaces B's entries, and the push then works.
    const rebuilt = nx(fleet.b.workspace, ['run', 'kiosk:bootc-build', '--skip-nx-cache', '--outputStyle=static'], fleet.b.env);
    if (rebuilt.status !== 0) throw new Error(`Expected the rebuild to pass:\n${describeFailure(rebuilt)}`);
    const kiosk = imageJson(fleet.b, 'kiosk');
    expect(machineHasImage(fleet.b, kiosk.imageId)).toBe(true);
    const pushed = nx(fleet.b.workspace, ['run', 'kiosk:bootc-push', '--outputStyle=static'], fleet.b.env);
    if (pushed.status !== 0) throw new Error(`Expected the push to pass:\n${describeFailure(pushed)}`);
    expect(statuses(pushed)).toMatchObject({ 'kiosk:bootc-build': 'local cache', 'kiosk:bootc-push': 'ran' });
    expect(imageJson(fleet.b, 'kiosk')).toEqual(kiosk);
    expect(pushJson(fleet.b, 'kiosk').imageId).toBe(kiosk.imageId);
  });

  // Issue 16, "a cache nobody can poison": a pull request's job reads the remote cache with a
  // read-only token. It gets the protected branch's results as hits and cannot store its own.
  test('a pull-request run with the read-only token gets remote cache hits and stores nothing', () => {
    // The protected branch's run (the read-write token) stores its results.
    expectStatuses(nxOn(fleet.b, ['run-many', '-t', 'bootc-lint']), forEachProject('bootc-lint', 'ran'));
    // B's checkout, with the pull request's token, fresh: no local cache, no outputs.
    const pr: Machine = { ...fleet.b, env: { ...fleet.b.env, ...(remoteCache as NxRemoteCache).readOnlyEnv } };
    for (const dir of ['.nx/cache', '.nx/workspace-data', 'dist']) rmSync(join(pr.workspace, dir), { recursive: true, force: true });
    expectStatuses(nxOn(pr, ['run-many', '-t', 'bootc-lint']), forEachProject('bootc-lint', 'remote cache'));

    // The pull request's own change: its tasks run, and nothing reaches the remote cache.
    writeFile(pr.workspace, marker('kiosk'), 'kiosk from a pull request\n');
    commitAll(pr.workspace, 'kiosk: a pull request');
    const before = (remoteCache as NxRemoteCache).entries();
    const ran = nxOn(pr, ['run', 'kiosk:bootc-lint']);
    expectStatuses(ran, { 'kiosk:bootc-lint': 'ran' });
    expect((remoteCache as NxRemoteCache).entries()).toEqual(before);
    expect(readFileSync((remoteCache as NxRemoteCache).log, 'utf8')).toMatch(/^PUT \/v1\/cache\/\S+ 403$/m);
    git(pr.workspace, ['reset', '--quiet', '--hard', 'HEAD~1']);
  });
});
