import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { exists, readJson, updateJson, writeFile } from './utils/files';
import { commitAll, git } from './utils/git';
import { nx, nxOk } from './utils/nx';
import { imageExists, imageId, imageIdsNamed, removeImages, runInImage } from './utils/podman';
import { startRegistry, type Registry } from './utils/registry';
import { describeFailure, output, runOk, type RunResult } from './utils/run';
import { stripAnsi, taskStatusMap, type TaskStatus } from './utils/task-status';

// Issue 12, "Images that are really there": a fleet whose images were removed from podman's
// storage (what `podman system prune -a` does to a developer machine or a reused CI runner) while
// Nx's cache still has their records. After any run with bootc-build tasks, the plugin's
// postTasksExecution hook either brings every recorded image back exactly (its archive, or the
// registry by the digest push.json recorded) or fails the run naming the missing images and the
// command that rebuilds them; that command, run once, keeps the next ordinary runs green. Every
// step removes the fleet's own images only: podman's storage is shared with the other specs (and
// bootc-mini, the external base, cannot be pulled back here). The steps build on each other.
const { repoRoot, tempRoot } = readE2eContext();
const workspace = specWorkspace('recovery');
const suffix = randomBytes(4).toString('hex');
const BASE_IMAGE = 'localhost/bootc-mini:latest';
const FLEET = ['edge-node', 'kiosk'] as const;
type Project = (typeof FLEET)[number];
const BUILD_ALL = ['run-many', '-t', 'bootc-build'];

let registry: Registry | undefined;
const builtIds = new Set<string>();

interface ImageJson {
  imageId: string;
  refs: string[];
  labels: Record<string, string>;
  baseImages: Array<{ ref: string; imageId?: string; project?: string }>;
}

function repository(project: string): string {
  return `${(registry as Registry).host}/acme/${project}-${suffix}`;
}

function latest(project: Project): string {
  return `${repository(project)}:latest`;
}

function records(): Record<Project, ImageJson> {
  const all = Object.fromEntries(FLEET.map((p) => [p, readJson<ImageJson>(workspace, `dist/images/${p}/image.json`)])) as Record<Project, ImageJson>;
  for (const record of Object.values(all)) builtIds.add(record.imageId);
  return all;
}

/** Removes the fleet's images from podman's storage, as a prune does: records and Nx's cache stay. */
function pruneFleet(recorded: Record<Project, ImageJson>): void {
  const left = removeImages([recorded.kiosk.imageId, recorded['edge-node'].imageId]);
  if (left.length > 0) throw new Error(`could not remove ${left.join(', ')}`);
  for (const project of FLEET) expect(imageExists(recorded[project].imageId)).toBe(false);
}

function run(args: readonly string[], env: Record<string, string> = {}): RunResult {
  return nx(workspace, [...args, '--outputStyle=static'], env);
}

function expectTasks(result: RunResult, status: TaskStatus): void {
  const actual = taskStatusMap(output(result));
  const expected = Object.fromEntries(FLEET.map((p) => [`${p}:bootc-build`, status]));
  const picked = Object.fromEntries(FLEET.map((p) => [`${p}:bootc-build`, actual[`${p}:bootc-build`]]));
  if (JSON.stringify(picked) !== JSON.stringify(expected)) throw new Error(`Expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)} from:\n${describeFailure(result)}`);
}

function expectGreen(result: RunResult): void {
  if (result.status !== 0) throw new Error(`Expected a green run:\n${describeFailure(result)}`);
}

/** The rebuild command a failed run printed (the advice under test), as nx arguments. */
function advisedCommand(result: RunResult): string[] {
  const commands = [...stripAnsi(output(result)).matchAll(/^\s+nx (run(?:-many)? .*--skip-nx-cache)\s*$/gm)].map((m) => m[1]);
  if (commands.length !== 1) throw new Error(`Expected one rebuild command in the output, found ${JSON.stringify(commands)}:\n${describeFailure(result)}`);
  return commands[0].split(' ');
}

/** Commits a file no target reads: the tasks keep their hashes, but a rebuild gets the new commit's revision and time, hence new image IDs. */
function commitUnrelatedChange(text: string): void {
  writeFile(workspace, 'docs/notes.md', `${text}\n`);
  commitAll(workspace, `Notes: ${text}`);
}

function setArchive(archive: boolean): void {
  for (const project of FLEET) {
    updateJson(workspace, `images/${project}/project.json`, (json) => ({
      ...json,
      targets: { ...json.targets, 'bootc-build': { ...json.targets?.['bootc-build'], options: { ...json.targets?.['bootc-build']?.options, archive } } },
    }));
  }
  commitAll(workspace, `bootc-build: archive ${archive}`);
}

/** After a prune, an ordinary run is green, from the cache, and says where each image came back from. */
function expectRestored(recorded: Record<Project, ImageJson>, source: (project: Project) => string): void {
  const restored = run(BUILD_ALL);
  expectGreen(restored);
  expectTasks(restored, 'cache');
  for (const project of FLEET) {
    expect(stripAnsi(output(restored))).toContain(`immutable-os: brought ${project}'s image ${recorded[project].imageId.slice(0, 12)} back into podman's storage from ${source(project)}`);
  }
  expect(records()).toEqual(recorded);
  expectFleetImages(recorded);
}

/** The next two ordinary runs are green cache hits that keep the given records. */
function expectTwoGreenRuns(recorded: Record<Project, ImageJson>, env: Record<string, string> = {}): void {
  for (const round of [1, 2]) {
    const next = run(BUILD_ALL, env);
    expectGreen(next);
    expectTasks(next, 'cache');
    expect({ round, records: records() }).toEqual({ round, records: recorded });
  }
  expectFleetImages(recorded);
}

/** kiosk's image is built FROM edge-node's, the exact one recorded, with both rootfs markers inside. */
function expectFleetImages(recorded: Record<Project, ImageJson>): void {
  for (const project of FLEET) {
    expect(imageExists(recorded[project].imageId)).toBe(true);
    expect(imageId(latest(project))).toBe(recorded[project].imageId);
  }
  expect(recorded.kiosk.baseImages).toEqual([{ ref: latest('edge-node'), project: 'edge-node', imageId: recorded['edge-node'].imageId }]);
  expect(runInImage(latest('kiosk'), ['cat', '/usr/share/edge-node/marker'])).toBe('edge-node rootfs');
  expect(runInImage(latest('kiosk'), ['cat', '/usr/share/kiosk/marker'])).toBe('kiosk rootfs');
}

beforeAll(async () => {
  registry = await startRegistry(join(tempRoot, `registry-recovery-${suffix}`));
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 });
  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'edge-node', '--base', BASE_IMAGE, '--image', repository('edge-node'), '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'kiosk', '--from', 'edge-node', '--image', repository('kiosk'), '--no-interactive']);
  for (const project of FLEET) writeFile(workspace, `images/${project}/rootfs/usr/share/${project}/marker`, `${project} rootfs\n`);
  commitAll(workspace, 'A fleet: edge-node on bootc-mini, kiosk FROM edge-node');
}, 5 * 60 * 1000);

afterAll(async () => {
  try {
    nx(workspace, ['daemon', '--stop']);
    const left = removeImages([...builtIds, ...imageIdsNamed(suffix)].reverse());
    if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
  } finally {
    await registry?.stop();
  }
}, 5 * 60 * 1000);

describe('recorded images that are gone from the storage', () => {
  let first: Record<Project, ImageJson>;
  let rebuilt: Record<Project, ImageJson>;

  test('after a prune, run-many does not report the cache hits as a success: it fails naming every missing image', () => {
    expectGreen(run(BUILD_ALL));
    first = records();
    // A later commit with the same inputs: the cache serves the first records, a rebuild would give new IDs.
    commitUnrelatedChange('after the first build');
    pruneFleet(first);

    const failed = run(BUILD_ALL);
    expectTasks(failed, 'cache');
    expect(failed.status).toBe(1);
    const text = stripAnsi(output(failed));
    expect(text).toContain('immutable-os: the images of 2 tasks that bootc-build recorded are not there, so this run fails although Nx reported them as done:');
    for (const project of FLEET) {
      expect(text).toContain(
        `- ${project}:bootc-build: not in podman's storage, and neither dist/images/${project}/image.oci.tar nor a push.json of image ${first[project].imageId.slice(0, 12)} can bring it back.`,
      );
    }
    expect(advisedCommand(failed)).toEqual(['run-many', '-t', 'bootc-build', '-p', 'edge-node,kiosk', '--skip-nx-cache']);
    // The summary Nx printed comes first, the error after it.
    expect(text.indexOf('Successfully ran target bootc-build')).toBeLessThan(text.indexOf('immutable-os: the images'));
  });

  test('the command it gives, run once, rebuilds them, and the next two ordinary runs are green cache hits of the new records', () => {
    const failed = run(BUILD_ALL);
    expect(failed.status).toBe(1);
    const rebuild = run(advisedCommand(failed));
    expectGreen(rebuild);
    expectTasks(rebuild, 'ran');
    rebuilt = records();
    const head = git(workspace, ['rev-parse', 'HEAD']).stdout.trim();
    for (const project of FLEET) {
      expect(rebuilt[project].imageId).not.toBe(first[project].imageId);
      expect(rebuilt[project].labels['org.opencontainers.image.revision']).toBe(head);
    }
    expectTwoGreenRuns(rebuilt);
  });

  test('pushed images come back from the registry by the digest push.json recorded, without being asked', () => {
    expectGreen(run(['run-many', '-t', 'bootc-push', '--tlsVerify=false']));
    pruneFleet(rebuilt);
    expectRestored(rebuilt, (project) => `${repository(project)}@sha256:`);
  });

  test('with archive: true, cache hits bring the images back from image.oci.tar, without being asked', () => {
    setArchive(true);
    expectGreen(run(BUILD_ALL));
    const archived = records();
    pruneFleet(archived);
    expectRestored(archived, (project) => `dist/images/${project}/image.oci.tar.`);
  });

  test('a flavor built on a base whose image is lost fails with the advice to rebuild the base; following it makes the flavor build', () => {
    setArchive(false);
    expectGreen(run(BUILD_ALL));
    const before = records();
    for (const project of FLEET) rmSync(join(workspace, `dist/images/${project}/push.json`), { force: true });
    commitUnrelatedChange('before the kiosk change');
    pruneFleet(before);
    // kiosk changes: its build runs, on edge-node's record, whose image is gone.
    writeFile(workspace, 'images/kiosk/rootfs/usr/share/kiosk/changed', 'yes\n');
    commitAll(workspace, 'kiosk: a new file');
    const failed = nx(workspace, ['run', 'kiosk:bootc-build', '--excludeTaskDependencies', '--outputStyle=static']);
    expect(failed.status).toBe(1);
    const text = stripAnsi(output(failed));
    expect(text).toContain(`The image ${before['edge-node'].imageId.slice(0, 12)} recorded in dist/images/edge-node/image.json is not in podman's storage`);
    const advice = /Rebuild it with nx (run \S+ --skip-nx-cache)/.exec(text);
    expect(advice?.[1]).toBe('run edge-node:bootc-build --skip-nx-cache');
    expectGreen(run((advice as RegExpExecArray)[1].split(' ')));
    const flavor = run(['run', 'kiosk:bootc-build', '--excludeTaskDependencies']);
    expectGreen(flavor);
    expectGreen(run(BUILD_ALL));
    const after = records();
    expect(runInImage(latest('kiosk'), ['cat', '/usr/share/kiosk/changed'])).toBe('yes');
    expectFleetImages(after);
  });

  test('with the Nx daemon on (users’ default), the failure still reaches the terminal and the rebuild command still replaces the cache entries', () => {
    const daemon = { NX_DAEMON: 'true' };
    const before = records();
    for (const project of FLEET) rmSync(join(workspace, `dist/images/${project}/push.json`), { force: true });
    commitUnrelatedChange('before the daemon runs');
    pruneFleet(before);
    const failed = run(BUILD_ALL, daemon);
    expect(failed.status).toBe(1);
    expectTasks(failed, 'cache');
    expect(stripAnsi(output(failed))).toContain('immutable-os: the images of 2 tasks that bootc-build recorded are not there');
    expectGreen(run(advisedCommand(failed), daemon));
    const rebuiltByDaemonRun = records();
    for (const project of FLEET) expect(rebuiltByDaemonRun[project].imageId).not.toBe(before[project].imageId);
    expectTwoGreenRuns(rebuiltByDaemonRun, daemon);
    expect(exists(workspace, 'dist/images/kiosk/image.json')).toBe(true);
  });
});
