import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { allowTraversal, chownTree, lookUpUser, NO_SUDO_USER, ROOTLESS_USER, runAs, type User } from './utils/as-user';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { exists, readJson, updateJson } from './utils/files';
import { commitAll } from './utils/git';
import { nxOk } from './utils/nx';
import { imageExists, podman, removeImages } from './utils/podman';
import { describeFailure, output, runOk, type RunResult } from './utils/run';
import { taskStatusMap } from './utils/task-status';

// Rootless podman, as on a workstation: an ordinary user (tools/ci/setup-host.sh makes it, with
// subordinate ID ranges and sudo rights for podman alone) builds a kiosk into their own storage and
// converts it with the real nx CLI; bootc-convert copies the exact image into root's storage through
// sudo itself, and the outputs are the user's. A user without sudo rights is told so.
const { repoRoot, tempRoot } = readE2eContext();
const suffix = randomBytes(4).toString('hex');
const BASE_IMAGE = 'localhost/bootc-mini:latest';
const BUILDER_IMAGE = 'localhost/bib-standin:latest';
const KIOSK = 'kiosk';
const IMAGE = `localhost/rootless-e2e-${suffix}/kiosk`;
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

const workspace = specWorkspace('rootless');
const user = lookUpUser(ROOTLESS_USER);
const noSudo = lookUpUser(NO_SUDO_USER);
const undo: Array<() => void> = [];
let builtId: string | undefined;

/** The workspace's nx as `who`, its cache in the workspace (as nx.ts runs it for root). */
function nxAs(who: User, root: string, args: string[]): RunResult {
  return runAs(who, join(root, 'node_modules', '.bin', 'nx'), [...args, '--outputStyle=static'], { cwd: root, env: { ...NX_ENV, NX_CACHE_DIRECTORY: join(root, '.nx', 'cache') } });
}

function okOrThrow(result: RunResult): RunResult {
  if (result.status !== 0) throw new Error(describeFailure(result));
  return result;
}

function userPodman(who: User, args: string[]): RunResult {
  return runAs(who, 'podman', args, { cwd: who.home });
}

beforeAll(() => {
  const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], fixture);
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-builder-image.mjs')], fixture);

  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', KIOSK, '--base', BASE_IMAGE, '--image', IMAGE, '--no-interactive']);
  updateJson(workspace, 'nx.json', (json) => ({ ...json, targetDefaults: { ...json.targetDefaults, 'bootc-convert': { options: { builderImage: BUILDER_IMAGE } } } }));
  commitAll(workspace, `${KIOSK} on bootc-mini, built rootless and converted through sudo`);

  // The user reaches the workspace and the template's node_modules it links to; the workspace is theirs.
  undo.push(allowTraversal(tempRoot));
  chownTree(workspace, user);

  // The base in the user's own storage, as `podman pull` as that user would bring it.
  const dir = mkdtempSync(join(tmpdir(), 'ios-rootless-'));
  undo.push(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  podman(['save', '--quiet', '--format', 'oci-archive', '--output', join(dir, 'base.tar'), BASE_IMAGE]);
  chmodSync(join(dir, 'base.tar'), 0o644);
  okOrThrow(userPodman(user, ['load', '--quiet', '--input', join(dir, 'base.tar')]));
}, 10 * 60 * 1000);

afterAll(() => {
  try {
    if (builtId) {
      userPodman(user, ['rmi', '--force', builtId]);
      const left = removeImages([builtId]);
      if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
    }
    userPodman(user, ['rmi', '--force', BASE_IMAGE]);
  } finally {
    for (const step of undo.reverse()) step();
  }
}, 5 * 60 * 1000);

describe('rootless podman: built by an ordinary user, converted through sudo', () => {
  test('bootc-build as the user builds into their rootless storage, not root\'s', () => {
    expect(userPodman(user, ['info', '--format', '{{.Host.Security.Rootless}}']).stdout.trim()).toBe('true');
    const result = okOrThrow(nxAs(user, workspace, ['run', `${KIOSK}:bootc-build`]));
    expect(taskStatusMap(output(result))).toEqual({ [`${KIOSK}:bootc-build`]: 'ran' });
    const record = readJson<{ imageId: string; engine: string }>(workspace, `dist/images/${KIOSK}/image.json`);
    builtId = record.imageId;
    expect(record.engine).toBe('podman');
    expect(userPodman(user, ['image', 'inspect', '--format', '{{.Id}}', `${IMAGE}:latest`]).stdout.trim()).toBe(builtId);
    expect(imageExists(builtId)).toBe(false);
    expect(statSync(join(workspace, `dist/images/${KIOSK}/image.json`)).uid).toBe(user.uid);
  });

  test('bootc-convert as the user copies the exact image into root\'s storage through sudo and converts it; the outputs are the user\'s', () => {
    const id = builtId as string;
    const result = okOrThrow(nxAs(user, workspace, ['run', `${KIOSK}:bootc-convert`]));
    expect(taskStatusMap(output(result))).toEqual({ [`${KIOSK}:bootc-build`]: 'cache', [`${KIOSK}:bootc-convert`]: 'ran' });
    expect(output(result)).toContain(`Copying ${id.slice(0, 12)} (${IMAGE}:latest) from podman's rootless storage into root's container storage`);
    expect(output(result)).toMatch(/Running bootc-image-builder \(localhost\/bib-standin:latest\) for qcow2:\nsudo (--non-interactive )?podman run/);
    expect(imageExists(id)).toBe(true);
    const artifacts = readJson<{ imageId: string; artifacts: Array<{ type: string; path: string }> }>(workspace, `dist/disks/${KIOSK}/artifacts.json`);
    expect(artifacts.imageId).toBe(id);
    expect(artifacts.artifacts.map((a) => a.type)).toEqual(['qcow2']);
    const disks = join(workspace, 'dist/disks', KIOSK);
    const entries = [disks, ...readdirSync(disks, { recursive: true }).map((e) => join(disks, String(e)))];
    expect(entries.map((e) => `${e} ${statSync(e).uid}:${statSync(e).gid}`)).toEqual(entries.map((e) => `${e} ${user.uid}:${user.gid}`));
  });

  test('a user without sudo rights is told that sudo needs a password and what to do; nothing is written', () => {
    // Their own copy of the built workspace: the record is there, the conversion is not.
    const theirs = mkdtempSync(join(tempRoot, 'workspaces', 'rootless-nosudo-'));
    undo.push(() => rmSync(theirs, { recursive: true, force: true }));
    cpSync(workspace, theirs, { recursive: true, verbatimSymlinks: true });
    rmSync(join(theirs, 'dist/disks'), { recursive: true, force: true });
    rmSync(join(theirs, '.nx/cache'), { recursive: true, force: true });
    chownTree(theirs, noSudo);
    const result = nxAs(noSudo, theirs, ['run', `${KIOSK}:bootc-convert`, '--excludeTaskDependencies']);
    expect(result.status).not.toBe(0);
    if (!/Could not run podman through sudo \(.*a password is required\)\. sudo needs a password and cannot ask for one here/.test(output(result))) {
      throw new Error(`Expected the sudo failure in:\n${describeFailure(result)}`);
    }
    expect(output(result)).toContain('bootc-image-builder needs rootful podman: run the task as root, or let immutable-os use sudo');
    expect(exists(theirs, `dist/disks/${KIOSK}`)).toBe(false);
  });
});
