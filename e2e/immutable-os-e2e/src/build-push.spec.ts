import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { readE2eContext } from './utils/e2e-context';
import { exists, readJson, readText, writeFile } from './utils/files';
import { commitAll, git } from './utils/git';
import { nx, nxOk } from './utils/nx';
import {
  imageExists,
  imageId,
  imageIdsNamed,
  imageLabels,
  imageLayers,
  imageNames,
  podman,
  registryDigest,
  registryLabels,
  removeImages,
  runInImage,
} from './utils/podman';
import { addBeforeLint, setTargetOptions } from './utils/project-edits';
import { expectOnlyRebuilt, type ImageJson } from './utils/image-json';
import { startRegistry, type Registry } from './utils/registry';
import { childEnv } from './utils/child-env';
import { describeFailure, output, runOk, type RunResult } from './utils/run';
import { findJsonObject } from './utils/json-output';
import { freePort } from './utils/server-process';
import { taskStatuses, taskStatusMap, expectTasks } from './utils/task-status';

// bootc-build and bootc-push driving the real podman against a real registry, in this file's own
// workspace. The steps build on each other in the order written.
const { repoRoot, tempRoot } = readE2eContext();
const workspace = specWorkspace('build-push');
// In every image repository: podman's storage is shared by everything on this machine, so no image
// of an earlier run (or another test) can stand in for one this run should have built.
const suffix = randomBytes(4).toString('hex');
const BASE_IMAGE = 'localhost/bootc-mini:latest';
const FLEET = ['base', 'flavor-a', 'flavor-b'] as const;
type Project = (typeof FLEET)[number];
const PWNED = `/tmp/pwned-${suffix}`;

let registry: Registry | undefined;
let authRegistry: Registry | undefined;
const builtIds = new Set<string>();

function repository(project: string): string {
  return `${(registry as Registry).host}/acme/${project}-${suffix}`;
}

function latest(project: string): string {
  return `${repository(project)}:latest`;
}

function record(project: string): ImageJson {
  const value = readJson<ImageJson>(workspace, `dist/images/${project}/image.json`);
  builtIds.add(value.imageId);
  return value;
}

function records(): Record<Project, ImageJson> {
  return Object.fromEntries(FLEET.map((p) => [p, record(p)])) as Record<Project, ImageJson>;
}

function pushRecord(project: string) {
  return readJson(workspace, `dist/images/${project}/push.json`);
}

function marker(project: string): string {
  return `images/${project}/rootfs/usr/share/${project}/marker`;
}

/** Runs tasks with nx's static output, which names every task it ran or took from the cache. */
function runTasks(args: string[], env: Record<string, string> = {}): RunResult {
  return nxOk(workspace, [...args, '--outputStyle=static'], env);
}

function affected(extra: string[] = []): string[] {
  return nxOk(workspace, ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', ...extra])
    .stdout.split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .sort();
}

/** Asserts a failed nx run: non-zero exit and a message matching `message` in its output. */
function expectFailure(result: RunResult, message: RegExp): void {
  expect(result.status).not.toBe(0);
  expect(result.status).not.toBeNull();
  if (!message.test(output(result))) throw new Error(`Expected ${message} in the output of:\n${describeFailure(result)}`);
}

function gitHead(): string {
  return git(workspace, ['rev-parse', 'HEAD']).stdout.trim();
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

beforeAll(async () => {
  registry = await startRegistry(join(tempRoot, `registry-${suffix}`));
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 });

  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'base', '--base', BASE_IMAGE, '--image', repository('base'), '--no-interactive']);
  for (const flavor of ['flavor-a', 'flavor-b']) {
    nxOk(workspace, ['g', 'immutable-os:image', flavor, '--from', 'base', '--image', repository(flavor), '--no-interactive']);
  }
  for (const project of FLEET) writeFile(workspace, marker(project), `${project} v1\n`);
  commitAll(workspace, 'An OS fleet: base on bootc-mini, flavor-a and flavor-b FROM base');
}, 5 * 60 * 1000);

afterAll(async () => {
  try {
    // Newest first: flavors go before the base they are built on.
    const left = removeImages([...builtIds, ...imageIdsNamed(suffix)].reverse());
    if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
  } finally {
    await registry?.stop();
    await authRegistry?.stop();
    rmSync(PWNED, { force: true });
  }
}, 5 * 60 * 1000);

describe('bootc-build and bootc-push with podman and a registry', () => {
  test('run-many builds base first, then both flavors on the exact base image, with rootfs/ inside', () => {
    const result = runTasks(['run-many', '-t', 'bootc-build']);
    expectTasks(result, { 'base:bootc-build': 'ran', 'flavor-a:bootc-build': 'ran', 'flavor-b:bootc-build': 'ran' });
    const order = taskStatuses(output(result)).map((t) => t.task);
    expect(order[0]).toBe('base:bootc-build');
    expect(order.slice(1).sort()).toEqual(['flavor-a:bootc-build', 'flavor-b:bootc-build']);

    const podmanVersion = /(\d+\.\d+\.\d+)/.exec(podman(['--version']))?.[1];
    const head = gitHead();
    const all = records();
    for (const project of FLEET) {
      const image = all[project];
      expect(image).toMatchObject({
        project,
        image: repository(project),
        refs: [latest(project)],
        imageId: expect.stringMatching(/^[0-9a-f]{64}$/),
        engine: 'podman',
        engineVersion: podmanVersion,
        platforms: [],
        containerfile: `images/${project}/Containerfile`,
        containerfileSha256: sha256(readText(workspace, `images/${project}/Containerfile`)),
        // The commit's time, not the clock's: the same commit builds the same image ID.
        created: new Date(Number(git(workspace, ['log', '-1', '--format=%ct']).stdout.trim()) * 1000).toISOString().replace('.000Z', 'Z'),
      });
      expect(imageId(latest(project))).toBe(image.imageId);
      expect(imageLabels(latest(project))).toMatchObject({
        'containers.bootc': '1',
        'org.opencontainers.image.title': project,
        'org.opencontainers.image.created': image.created,
        'org.opencontainers.image.revision': head,
      });
      expect(runInImage(latest(project), ['cat', `/usr/share/${project}/marker`])).toBe(`${project} v1`);
    }

    expect(all.base.baseImages).toEqual([{ ref: BASE_IMAGE, imageId: imageId(BASE_IMAGE) }]);
    for (const flavor of ['flavor-a', 'flavor-b'] as const) {
      expect(all[flavor].baseImages).toEqual([{ ref: latest('base'), project: 'base', imageId: all.base.imageId }]);
      // Built on the base's image itself: its layers come first.
      expect(imageLayers(latest(flavor)).slice(0, imageLayers(latest('base')).length)).toEqual(imageLayers(latest('base')));
      expect(runInImage(latest(flavor), ['cat', '/usr/share/base/marker'])).toBe('base v1');
    }
  });

  test('run-many pushes every image; push.json holds the digest the registry serves; a second push gives the same digest', () => {
    const built = records();
    const first = runTasks(['run-many', '-t', 'bootc-push', '--tlsVerify=false']);
    expectTasks(first, Object.fromEntries(FLEET.flatMap((p) => [[`${p}:bootc-build`, 'cache'], [`${p}:bootc-push`, 'ran']])));

    const digests: Record<string, string> = {};
    for (const project of FLEET) {
      const pushed = pushRecord(project);
      expect(pushed).toMatchObject({
        project,
        image: repository(project),
        imageId: built[project].imageId,
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        refs: [{ ref: latest(project), digest: pushed.digest }],
      });
      expect(registryDigest(latest(project))).toBe(pushed.digest);
      expect(registryLabels(latest(project))).toMatchObject({ 'containers.bootc': '1', 'org.opencontainers.image.title': project });
      digests[project] = pushed.digest;
    }

    // A changed harmless option: the pushes run again (not from the cache), the builds stay cached.
    const before = Object.fromEntries(FLEET.map((p) => [p, pushRecord(p).pushedAt]));
    const again = runTasks(['run-many', '-t', 'bootc-push', '--tlsVerify=false', '--retries=2']);
    expectTasks(again, Object.fromEntries(FLEET.flatMap((p) => [[`${p}:bootc-build`, 'cache'], [`${p}:bootc-push`, 'ran']])));
    for (const project of FLEET) {
      const pushed = pushRecord(project);
      expect(pushed.pushedAt).not.toBe(before[project]);
      expect(pushed.digest).toBe(digests[project]);
      expect(registryDigest(latest(project))).toBe(digests[project]);
    }
  });

  test('affected: a flavor change rebuilds that flavor only; a base change rebuilds all on the new base; unchanged is all cache', () => {
    const v1 = records();

    writeFile(workspace, marker('flavor-a'), 'flavor-a v2\n');
    commitAll(workspace, 'flavor-a: marker v2');
    expect(affected(['-t', 'bootc-build'])).toEqual(['flavor-a']);
    const onlyA = runTasks(['affected', '-t', 'bootc-build', '--base=HEAD~1', '--head=HEAD']);
    // base is a dependency of the task, so nx lists it: from the cache, not built again.
    expect(taskStatusMap(output(onlyA))).toEqual({ 'base:bootc-build': 'cache', 'flavor-a:bootc-build': 'ran' });
    const v2 = records();
    expectOnlyRebuilt(v1, v2, 'flavor-a', 'base');
    expect(runInImage(latest('flavor-a'), ['cat', '/usr/share/flavor-a/marker'])).toBe('flavor-a v2');

    writeFile(workspace, marker('base'), 'base v2\n');
    commitAll(workspace, 'base: marker v2');
    expect(affected(['-t', 'bootc-build'])).toEqual(['base', 'flavor-a', 'flavor-b']);
    const all = runTasks(['affected', '-t', 'bootc-build', '--base=HEAD~1', '--head=HEAD']);
    expect(taskStatusMap(output(all))).toEqual({ 'base:bootc-build': 'ran', 'flavor-a:bootc-build': 'ran', 'flavor-b:bootc-build': 'ran' });
    const v3 = records();
    expect(v3.base.imageId).not.toBe(v2.base.imageId);
    for (const flavor of ['flavor-a', 'flavor-b'] as const) {
      expect(v3[flavor].imageId).not.toBe(v2[flavor].imageId);
      expect(v3[flavor].baseImages[0]).toEqual({ ref: latest('base'), project: 'base', imageId: v3.base.imageId });
      expect(runInImage(latest(flavor), ['cat', '/usr/share/base/marker'])).toBe('base v2');
    }

    const unchanged = runTasks(['run-many', '-t', 'bootc-build']);
    expect(output(unchanged)).toContain('Nx read the output from the cache instead of running the command for 3 out of 3 tasks');
    expect(taskStatusMap(output(unchanged))).toEqual({
      'base:bootc-build': 'cache',
      'flavor-a:bootc-build': 'cache',
      'flavor-b:bootc-build': 'cache',
    });
    expect(records()).toEqual(v3);
  });

  test('with archive: true a cache hit restores the removed image from image.oci.tar and pushes it', () => {
    setTargetOptions(workspace, 'flavor-a', 'bootc-build', { archive: true });
    expectTasks(runTasks(['run', 'flavor-a:bootc-build']), { 'flavor-a:bootc-build': 'ran' });
    const built = record('flavor-a');
    expect(built.archive).toBe('image.oci.tar');
    expect(statSync(join(workspace, 'dist/images/flavor-a/image.oci.tar')).size).toBeGreaterThan(0);

    // As on a fresh checkout: no outputs on disk, no image in storage; only Nx's cache has them.
    rmSync(join(workspace, 'dist/images/flavor-a'), { recursive: true, force: true });
    podman(['rmi', '--force', built.imageId]);
    expect(imageExists(built.imageId)).toBe(false);

    const pushed = runTasks(['run', 'flavor-a:bootc-push', '--tlsVerify=false']);
    expect(taskStatusMap(output(pushed))).toEqual({ 'base:bootc-build': 'cache', 'flavor-a:bootc-build': 'cache', 'flavor-a:bootc-push': 'ran' });
    expect(output(pushed)).toContain(`Pushed ${latest('flavor-a')}@sha256:`);
    expect(record('flavor-a')).toEqual(built);
    expect(imageExists(built.imageId)).toBe(true);
    expect(imageId(latest('flavor-a'))).toBe(built.imageId);
    expect(pushRecord('flavor-a')).toMatchObject({ imageId: built.imageId, digest: registryDigest(latest('flavor-a')) });
  });

  test('without archive, a push of a removed image fails and says to rebuild with --skip-nx-cache or set archive', () => {
    const built = record('flavor-b');
    // The rebuild on the new base replaced flavor-b's outputs: push.json went with the old image.
    const pushJson = exists(workspace, 'dist/images/flavor-b/push.json');
    podman(['rmi', '--force', built.imageId]);
    // --retries=4: an option no earlier push had, so the push runs instead of coming from the cache.
    const failed = nx(workspace, ['run', 'flavor-b:bootc-push', '--tlsVerify=false', '--retries=4']);
    expectFailure(failed, new RegExp(`The image ${built.imageId.slice(0, 12)} recorded in dist/images/flavor-b/image.json is not in podman's storage`));
    expect(output(failed)).toContain('nx run flavor-b:bootc-build --skip-nx-cache');
    expect(output(failed)).toContain('set archive: true on bootc-build');
    expect(imageExists(built.imageId)).toBe(false);
    expect(exists(workspace, 'dist/images/flavor-b/push.json')).toBe(pushJson);
  });

  test('a shared build script used through a build context: changing it affects and rebuilds the flavor that uses it', () => {
    writeFile(workspace, 'shared/build.sh', '#!/bin/sh\nset -eu\nmkdir -p /usr/share/shared\necho "shared build v1" > /usr/share/shared/build-output\n');
    setTargetOptions(workspace, 'flavor-b', 'bootc-build', { buildContexts: { shared: 'shared' } });
    addBeforeLint(workspace, 'flavor-b', ['RUN --mount=type=bind,from=shared,target=/shared sh /shared/build.sh']);
    commitAll(workspace, 'flavor-b: run the shared build script');
    nxOk(workspace, ['run', 'flavor-b:bootc-build']);
    expect(runInImage(latest('flavor-b'), ['cat', '/usr/share/shared/build-output'])).toBe('shared build v1');

    writeFile(workspace, 'shared/build.sh', readText(workspace, 'shared/build.sh').replace('v1', 'v2'));
    commitAll(workspace, 'shared build script v2');
    const touched = affected();
    expect(touched).toContain('flavor-b');
    expect(touched).not.toContain('flavor-a');
    expect(touched).not.toContain('base');

    const before = record('flavor-b');
    const result = runTasks(['affected', '-t', 'bootc-build', '--base=HEAD~1', '--head=HEAD']);
    expect(taskStatusMap(output(result))).toEqual({ 'base:bootc-build': 'cache', 'flavor-b:bootc-build': 'ran' });
    expect(record('flavor-b').imageId).not.toBe(before.imageId);
  });

  // podman 4.3 (buildah before containers/buildah#5691) keys the layer cache of
  // `RUN --mount=type=bind,from=<build context>` on the instruction text only (buildah issue #5400);
  // bootc-build keys those RUNs on the mounted files, so the rebuild sees the changed script.
  test('the rebuilt image holds the output of the changed shared build script', () => {
    expect(runInImage(latest('flavor-b'), ['cat', '/usr/share/shared/build-output'])).toBe('shared build v2');
  });

  describe('bad build options fail clearly and change nothing', () => {
    let imageJson: string;
    let names: string[];

    beforeAll(() => {
      writeFile(workspace, 'bad/NoFrom.Containerfile', 'LABEL containers.bootc=1\nRUN true\n');
      nxOk(workspace, ['run', 'base:bootc-build']);
      imageJson = readText(workspace, 'dist/images/base/image.json');
      names = imageNames(suffix);
    });

    test.each([
      { args: ['--containerfile=images/nope/Containerfile'], message: /containerfile: images\/nope\/Containerfile does not exist/ },
      { args: ['--containerfile=bad/NoFrom.Containerfile'], message: /bad\/NoFrom\.Containerfile has no FROM instruction/ },
      { args: ['--tags=Bad Tag'], message: /tags: "Bad Tag" is not a valid tag/ },
      { args: ['--tags={nope}'], message: /tags: the tag "\{nope\}" uses the unknown token \{nope\}; available tokens are/ },
      { args: ['--image=UPPER/case'], message: /image "UPPER\/case" is not a valid image reference/ },
      { args: ['--image=acme/Upper'], message: /image "acme\/Upper" is not a valid image reference/ },
      { args: ['--secrets=id=s,src=missing.txt'], message: /secret.*"s".*missing\.txt.*does not exist/ },
    ])('bootc-build $args', ({ args, message }) => {
      const result = nx(workspace, ['run', 'base:bootc-build', ...args]);
      expectFailure(result, message);
      expect(readText(workspace, 'dist/images/base/image.json')).toBe(imageJson);
      expect(imageNames(suffix)).toEqual(names);
    });
  });

  test('a push to an unreachable registry fails after its retries and says the registry could not be reached', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    nxOk(workspace, ['g', 'immutable-os:image', 'offline', '--base', BASE_IMAGE, '--image', `${closed}/x-${suffix}`, '--no-interactive']);
    nxOk(workspace, ['run', 'offline:bootc-build']);
    record('offline');
    const result = nx(workspace, ['run', 'offline:bootc-push', '--tlsVerify=false', '--retries=1']);
    expectFailure(result, /could not be reached/);
    expect(output(result)).toMatch(/after 2 attempts/);
    expect(exists(workspace, 'dist/images/offline/push.json')).toBe(false);
  });

  test('wrong registry credentials fail clearly without showing the password; the right ones push', async () => {
    const username = 'e2e';
    const password = `right-${randomBytes(8).toString('hex')}`;
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    authRegistry = await startRegistry(join(tempRoot, `auth-registry-${suffix}`), { username, password });
    const image = `${authRegistry.host}/acme/private-${suffix}`;
    nxOk(workspace, ['g', 'immutable-os:image', 'private', '--base', BASE_IMAGE, '--image', image, '--no-interactive']);
    setTargetOptions(workspace, 'private', 'bootc-push', { usernameEnv: 'E2E_REGISTRY_USER', passwordEnv: 'E2E_REGISTRY_PASSWORD', tlsVerify: false });
    nxOk(workspace, ['run', 'private:bootc-build']);
    record('private');

    const failed = nx(workspace, ['run', 'private:bootc-push'], { E2E_REGISTRY_USER: username, E2E_REGISTRY_PASSWORD: wrong });
    expectFailure(failed, /refused the credentials/);
    expect(output(failed)).not.toContain(wrong);
    expect(exists(workspace, 'dist/images/private/push.json')).toBe(false);

    const ok = nxOk(workspace, ['run', 'private:bootc-push'], { E2E_REGISTRY_USER: username, E2E_REGISTRY_PASSWORD: password });
    expect(output(ok)).not.toContain(password);
    expect(pushRecord('private').digest).toBe(registryDigest(`${image}:latest`, { username, password }));
  });

  test('shell metacharacters in labels and build args are passed literally; in a tag they are rejected', () => {
    const evil = `$(touch ${PWNED}); touch ${PWNED} && \`touch ${PWNED}\` | "quoted" 'single' $HOME`;
    nxOk(workspace, ['g', 'immutable-os:image', 'quoting', '--base', BASE_IMAGE, '--image', repository('quoting'), '--no-interactive']);
    setTargetOptions(workspace, 'quoting', 'bootc-build', { labels: { 'e2e.note': evil }, buildArgs: { NOTE: evil } });
    addBeforeLint(workspace, 'quoting', ['ARG NOTE', `RUN printf '%s' "$NOTE" > /usr/lib/quoting-note`]);
    nxOk(workspace, ['run', 'quoting:bootc-build']);
    const built = record('quoting');
    expect(imageLabels(built.imageId)['e2e.note']).toBe(evil);
    expect(runInImage(latest('quoting'), ['cat', '/usr/lib/quoting-note'])).toBe(evil);
    expect(existsSync(PWNED)).toBe(false);

    for (const tag of [`$(touch ${PWNED})`, `a;touch ${PWNED}`, `\`touch ${PWNED}\``]) {
      const result = nx(workspace, ['run', 'quoting:bootc-build', `--tags=${tag}`]);
      expect(output(result)).toContain(`tags: "${tag}" is not a valid tag`);
      expect(result.status).not.toBe(0);
      expect(existsSync(PWNED)).toBe(false);
    }
    expect(record('quoting')).toEqual(built);
  });

  // Issue 14 item 5, the image's own linter: bootc-build's bootcLint runs `bootc container lint` in
  // the built image (the bootc-mini stand-in, which follows bootc's lints.rs), and bootc-lint sees
  // the same mistake in the Containerfile. One project for both: a real /var/run directory.
  describe('a real /var/run directory: bootc container lint in the image (bootcLint) and bootc-lint agree', () => {
    const project = 'var-run-dir';
    const LINT_JSON = `dist/images/${project}/lint.json`;

    beforeAll(() => {
      nxOk(workspace, ['g', 'immutable-os:image', project, '--base', BASE_IMAGE, '--image', repository(project), '--no-interactive']);
      // No `RUN bootc container lint` step: it would fail the engine's build before bootcLint runs.
      // `test -L` first: the base must have /var/run -> ../run, or the test proves nothing.
      writeFile(workspace, `images/${project}/Containerfile`, `FROM ${BASE_IMAGE}\nLABEL containers.bootc=1\nRUN test -L /var/run && rm -f /var/run && mkdir -p /var/run/x\n`);
      setTargetOptions(workspace, project, 'bootc-build', { bootcLint: true });
    });

    test('bootc-build fails through the var-run lint: lint.json holds the finding, no image.json, the tag removed; a rerun is no cache hit', () => {
      for (const attempt of [1, 2]) {
        const result = nx(workspace, ['run', `${project}:bootc-build`, '--outputStyle=static']);
        expectFailure(result, /bootc container lint failed in the built image \(\w{12}\): var-run\./);
        expect(output(result)).toContain('Not a symlink: var/run');
        if (attempt === 2) expect(output(result)).not.toMatch(/existing outputs match the cache|\[local cache\]/);
      }
      const report = readJson<{ project: string; findings: Array<Record<string, unknown>>; errors: number; bootcContainerLint: unknown }>(workspace, LINT_JSON);
      expect(report.project).toBe(project);
      expect(report.findings).toContainEqual({
        rule: 'bootc-container-lint',
        severity: 'error',
        file: `images/${project}/Containerfile`,
        line: 1,
        message: 'Not a symlink: var/run',
        fix: expect.any(String),
        bootcLint: 'var-run',
      });
      expect(report.errors).toBeGreaterThanOrEqual(1);
      expect(report.bootcContainerLint).toEqual({ mode: 'on', runs: [{ status: 'failed', format: 'v1.1.5+' }] });
      expect(exists(workspace, `dist/images/${project}/image.json`)).toBe(false);
      expect(imageExists(latest(project))).toBe(false);
    });

    test('with bootcLintSkip: [var-run] the build passes and records the image with its report', () => {
      const result = nx(workspace, ['run', `${project}:bootc-build`, '--bootcLintSkip=var-run', '--outputStyle=static']);
      if (result.status !== 0) throw new Error(describeFailure(result));
      expect(readJson<{ bootcContainerLint: unknown }>(workspace, LINT_JSON).bootcContainerLint).toEqual({ mode: 'on', runs: [{ status: 'passed', format: 'v1.1.5+' }] });
      expect(record(project).imageId).toBe(imageId(latest(project)));
    });

    // bootc-lint's static rule for the same mistake (var-run-symlink, the lint engineer's).
    test('bootc-lint fails with a var-run-symlink finding at the RUN line', () => {
      const result = nx(workspace, ['run', `${project}:bootc-lint`, '--format=json']);
      expect(result.status).not.toBe(0);
      const report = findJsonObject(result.stdout);
      expect(report.findings).toContainEqual(expect.objectContaining({ rule: 'var-run-symlink', severity: 'error', file: `images/${project}/Containerfile`, line: 3 }));
    });
  });
});
