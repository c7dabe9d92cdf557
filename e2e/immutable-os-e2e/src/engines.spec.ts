import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { startDockerd, type DockerDaemon } from './utils/dockerd';
import { readE2eContext } from './utils/e2e-context';
import { engineImages, type EngineImages } from './utils/engine-images';
import { exists, listFiles, readJson, readText, updateJson, writeFile } from './utils/files';
import { commitAll, git } from './utils/git';
import { nx, nxOk } from './utils/nx';
import { imageExists, podman, registryDigest, removeImages } from './utils/podman';
import { addBeforeLint, setTargetOptions } from './utils/project-edits';
import { expectOnlyRebuilt, type ImageJson } from './utils/image-json';
import { startRegistry, type Registry } from './utils/registry';
import { describeFailure, output, run, runOk, type RunResult } from './utils/run';
import { taskStatuses, taskStatusMap, expectTasks } from './utils/task-status';

// The fleet of build-push.spec (base on bootc-mini, two flavors FROM base) built, pushed, rebuilt
// when affected and converted with docker (Debian's dockerd 20.10, started here on a private socket,
// its client building through the daemon's BuildKit) and with buildah, through the real nx CLI.
// podman's run of the same steps is build-push.spec and convert.spec. What differs per engine is
// the README's engine table; each row is asserted where the engine's build reaches it.
const { repoRoot, tempRoot } = readE2eContext();
const BASE_IMAGE = 'localhost/bootc-mini:latest';
const BUILDER_IMAGE = 'localhost/bib-standin:latest';
const BASE_ARM64 = 'localhost/bootc-mini:arm64';
const FLEET = ['base', 'flavor-a', 'flavor-b'] as const;
type Project = (typeof FLEET)[number];

let registry: Registry | undefined;
let authRegistry: Registry | undefined;
const AUTH = { username: 'e2e', password: `right-${randomBytes(8).toString('hex')}` };

beforeAll(async () => {
  registry = await startRegistry(join(tempRoot, `engines-registry-${randomBytes(4).toString('hex')}`));
  authRegistry = await startRegistry(join(tempRoot, `engines-auth-registry-${randomBytes(4).toString('hex')}`), AUTH);
  const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], fixture);
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-builder-image.mjs')], fixture);
}, 10 * 60 * 1000);

afterAll(async () => {
  await registry?.stop();
  await authRegistry?.stop();
});

describe.each(['docker', 'buildah'] as const)('the fleet with %s', (engineName) => {
  const workspace = specWorkspace(`engines-${engineName}`);
  const suffix = randomBytes(4).toString('hex');
  const PWNED = `/tmp/pwned-${engineName}-${suffix}`;
  const KIOSK = 'kiosk';
  const MULTI_BASE = `localhost/bootc-mini-multi-${engineName}-${suffix}:latest`;
  let daemon: DockerDaemon | undefined;
  let env: Record<string, string> = {};
  let engine: EngineImages;
  const builtIds = new Set<string>();

  const repository = (project: string) => `${(registry as Registry).host}/acme/${project}-${engineName}-${suffix}`;
  const latest = (project: string) => `${repository(project)}:latest`;
  const marker = (project: string) => `images/${project}/rootfs/usr/share/${project}/marker`;
  // docker pushes to a loopback registry over plain HTTP by itself; podman and buildah are told to.
  const tlsArgs = engineName === 'docker' ? [] : ['--tlsVerify=false'];

  function record(project: string): ImageJson {
    const value = readJson<ImageJson>(workspace, `dist/images/${project}/image.json`);
    builtIds.add(value.imageId);
    return value;
  }

  const records = () => Object.fromEntries(FLEET.map((p) => [p, record(p)])) as Record<Project, ImageJson>;

  function runTasks(args: string[], extra: Record<string, string> = {}): RunResult {
    return nxOk(workspace, [...args, '--outputStyle=static'], { ...env, ...extra });
  }

  function expectFailure(result: RunResult, message: RegExp): void {
    if (result.status === 0 || result.status === null || !message.test(output(result))) {
      throw new Error(`Expected nx to fail with ${message}:\n${describeFailure(result)}`);
    }
  }

  beforeAll(async () => {
    if (engineName === 'docker') {
      daemon = await startDockerd(tempRoot);
      env = daemon.env;
      // docker has its own storage: the base image goes in as a user's `docker load` would bring it.
      const archive = join(tempRoot, `bootc-mini-${suffix}.tar`);
      podman(['save', '--quiet', '--format', 'docker-archive', '--output', archive, BASE_IMAGE]);
      runOk('docker', ['load', '--quiet', '--input', archive], { cwd: tempRoot, env: childEnv(env), timeoutMs: 5 * 60 * 1000 });
      rmSync(archive, { force: true });
    }
    engine = engineImages(engineName, env);

    nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
    nxOk(workspace, ['g', 'immutable-os:image', 'base', '--base', BASE_IMAGE, '--image', repository('base'), '--no-interactive']);
    for (const flavor of ['flavor-a', 'flavor-b', KIOSK]) {
      nxOk(workspace, ['g', 'immutable-os:image', flavor, '--from', 'base', '--image', repository(flavor), '--no-interactive']);
    }
    updateJson(workspace, 'nx.json', (json) => ({
      ...json,
      targetDefaults: { ...json.targetDefaults, 'bootc-build': { options: { engine: engineName } }, 'bootc-convert': { options: { builderImage: BUILDER_IMAGE } } },
    }));
    for (const project of FLEET) writeFile(workspace, marker(project), `${project} v1\n`);
    commitAll(workspace, `An OS fleet built with ${engineName}: base on bootc-mini, flavor-a, flavor-b and kiosk FROM base`);
  }, 10 * 60 * 1000);

  afterAll(async () => {
    try {
      const left = engine?.remove([...builtIds].reverse()) ?? [];
      if (left.length > 0) console.warn(`[e2e] could not remove these ${engineName} test images: ${left.join(', ')}`);
      if (engineName === 'buildah') for (const list of [latest('multi'), MULTI_BASE]) run('buildah', ['manifest', 'rm', list], { cwd: tempRoot, env: childEnv() });
      // What the conversion copied into root podman's storage.
      removeImages([...builtIds].reverse());
    } finally {
      await daemon?.stop();
      rmSync(PWNED, { force: true });
    }
  }, 5 * 60 * 1000);

  test('run-many builds base first, then both flavors on the exact base image, with rootfs/ inside', () => {
    const result = runTasks(['run-many', '-t', 'bootc-build', '--projects=base,flavor-a,flavor-b']);
    expectTasks(result, { 'base:bootc-build': 'ran', 'flavor-a:bootc-build': 'ran', 'flavor-b:bootc-build': 'ran' });
    const order = taskStatuses(output(result)).map((t) => t.task);
    expect(order[0]).toBe('base:bootc-build');
    // auto is not in play: the engine named is the one used, and the log says which and how.
    expect(output(result)).toMatch(engineName === 'docker' ? /with docker 20\.10\.\d+ \(daemon 20\.10\.\d+, its BuildKit\)\./ : /with buildah 1\.\d+\.\d+\./);

    const head = git(workspace, ['rev-parse', 'HEAD']).stdout.trim();
    const all = records();
    for (const project of FLEET) {
      expect(all[project]).toMatchObject({ project, image: repository(project), refs: [latest(project)], engine: engineName, engineVersion: engine.version() });
      expect(engine.id(latest(project))).toBe(all[project].imageId);
      expect(engine.labels(latest(project))).toMatchObject({ 'containers.bootc': '1', 'org.opencontainers.image.title': project, 'org.opencontainers.image.revision': head });
      expect(engine.runIn(latest(project), ['cat', `/usr/share/${project}/marker`])).toBe(`${project} v1`);
    }
    // Base substitution by ID (engine table): the external base as the engine has it, the flavors on the base's very image.
    expect(all.base.baseImages).toEqual([{ ref: BASE_IMAGE, imageId: engine.id(BASE_IMAGE) }]);
    for (const flavor of ['flavor-a', 'flavor-b'] as const) {
      expect(all[flavor].baseImages).toEqual([{ ref: latest('base'), project: 'base', imageId: all.base.imageId }]);
      const baseLayers = engine.layers(latest('base'));
      expect(engine.layers(latest(flavor)).slice(0, baseLayers.length)).toEqual(baseLayers);
      expect(engine.runIn(latest(flavor), ['cat', '/usr/share/base/marker'])).toBe('base v1');
    }
  });

  test('run-many pushes every image; push.json holds the digest the registry serves', () => {
    const built = records();
    const result = runTasks(['run-many', '-t', 'bootc-push', '--projects=base,flavor-a,flavor-b', ...tlsArgs]);
    expectTasks(result, Object.fromEntries(FLEET.flatMap((p) => [[`${p}:bootc-build`, 'cache'], [`${p}:bootc-push`, 'ran']])));
    for (const project of FLEET) {
      const pushed = readJson<{ imageId: string; digest: string }>(workspace, `dist/images/${project}/push.json`);
      expect(pushed).toMatchObject({ imageId: built[project].imageId, digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      expect(registryDigest(latest(project))).toBe(pushed.digest);
    }
  });

  test('affected: a flavor change rebuilds that flavor only, on the cached base; unchanged is all cache', () => {
    const v1 = records();
    writeFile(workspace, marker('flavor-a'), 'flavor-a v2\n');
    commitAll(workspace, 'flavor-a: marker v2');
    const onlyA = runTasks(['affected', '-t', 'bootc-build', '--base=HEAD~1', '--head=HEAD']);
    expect(taskStatusMap(output(onlyA))).toEqual({ 'base:bootc-build': 'cache', 'flavor-a:bootc-build': 'ran' });
    const v2 = records();
    expectOnlyRebuilt(v1, v2, 'flavor-a', 'base');
    expect(engine.runIn(latest('flavor-a'), ['cat', '/usr/share/flavor-a/marker'])).toBe('flavor-a v2');

    const unchanged = runTasks(['run-many', '-t', 'bootc-build', '--projects=base,flavor-a,flavor-b']);
    expect(taskStatusMap(output(unchanged))).toEqual({ 'base:bootc-build': 'cache', 'flavor-a:bootc-build': 'cache', 'flavor-b:bootc-build': 'cache' });
  });

  test('secrets reach RUN --mount=type=secret and stay out of the image (engine table: secrets)', () => {
    const secret = `token-${randomBytes(8).toString('hex')}`;
    setTargetOptions(workspace, 'flavor-b', 'bootc-build', { secrets: ['id=token,env=E2E_BUILD_TOKEN'] });
    addBeforeLint(workspace, 'flavor-b', ['RUN --mount=type=secret,id=token sha256sum /run/secrets/token | cut -d" " -f1 > /usr/share/token-sum']);
    commitAll(workspace, 'flavor-b: use a build secret');
    const result = runTasks(['run', 'flavor-b:bootc-build'], { E2E_BUILD_TOKEN: secret });
    expect(output(result)).not.toContain(secret);
    const sum = runOk('sha256sum', [], { cwd: tempRoot, env: childEnv(), input: secret }).stdout.split(' ')[0];
    expect(engine.runIn(latest('flavor-b'), ['cat', '/usr/share/token-sum'])).toBe(sum);
    expect(engine.runIn(latest('flavor-b'), ['sh', '-c', 'test -e /run/secrets/token && echo present || echo absent'])).toBe('absent');
  });

  // Build contexts (engine table): buildah takes --build-context; docker 20.10's daemon BuildKit has none, and says so before building.
  test(engineName === 'docker' ? 'buildContexts are refused by name, nothing built' : 'a shared build context reaches RUN --mount=type=bind,from=', () => {
    writeFile(workspace, 'shared/build.sh', '#!/bin/sh\nset -eu\necho "shared build v1" > /usr/share/shared-output\n');
    setTargetOptions(workspace, 'flavor-a', 'bootc-build', { buildContexts: { shared: 'shared' } });
    addBeforeLint(workspace, 'flavor-a', ['RUN --mount=type=bind,from=shared,target=/shared sh /shared/build.sh']);
    const before = readText(workspace, 'dist/images/flavor-a/image.json');
    const result = nx(workspace, ['run', 'flavor-a:bootc-build', '--outputStyle=static'], env);
    if (engineName === 'docker') {
      expectFailure(result, /buildContexts: docker 20\.10\.\d+ builds with the daemon's BuildKit \(no buildx\), which has no --build-context\. Install the buildx plugin/);
      expect(readText(workspace, 'dist/images/flavor-a/image.json')).toBe(before);
    } else {
      if (result.status !== 0) throw new Error(describeFailure(result));
      expect(engine.runIn(latest('flavor-a'), ['cat', '/usr/share/shared-output'])).toBe('shared build v1');
    }
    git(workspace, ['checkout', '--', 'images/flavor-a']);
    rmSync(join(workspace, 'shared'), { recursive: true, force: true });
  });

  // Reproducibility (engine table): buildah's --timestamp gives an unchanged commit the same image ID,
  // also built afresh; docker 20.10's BuildKit ignores SOURCE_DATE_EPOCH (buildx's takes it), so its
  // created time is when the steps were built: the same ID from its layer cache, a new one built afresh.
  test(engineName === 'docker' ? 'an unchanged commit rebuilds the same ID from the layer cache only; the created label follows the commit' : 'an unchanged commit rebuilds the same image ID, also with noCache', () => {
    // Built at HEAD first (the last build of base was at an older commit), then again at the same commit.
    runTasks(['run', 'base:bootc-build', '--skip-nx-cache']);
    const before = record('base');
    runTasks(['run', 'base:bootc-build', '--skip-nx-cache']);
    expect(record('base').imageId).toBe(before.imageId);
    runTasks(['run', 'base:bootc-build', '--skip-nx-cache', '--noCache']);
    const fresh = record('base');
    expect(fresh.labels['org.opencontainers.image.created']).toBe(before.labels['org.opencontainers.image.created']);
    expect(engine.labels(fresh.imageId)['org.opencontainers.image.created']).toBe(before.created);
    if (engineName === 'docker') expect(fresh.imageId).not.toBe(before.imageId);
    else expect(fresh.imageId).toBe(before.imageId);
  });

  // Multi-platform (engine table): buildah builds a manifest list on a multi-platform base (multiarch.spec runs podman's); docker is refused before building.
  test(engineName === 'docker' ? 'several platforms are refused by name, nothing built' : 'several platforms build a manifest list, each image on its platform', () => {
    if (engineName === 'docker') {
      const before = readText(workspace, 'dist/images/base/image.json');
      expectFailure(nx(workspace, ['run', 'base:bootc-build', '--platform=linux/amd64,linux/arm64', '--outputStyle=static'], env), /platform: several platforms need a manifest list, which docker build cannot keep locally; use engine podman or buildah/);
      expect(readText(workspace, 'dist/images/base/image.json')).toBe(before);
      return;
    }
    const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
    runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs'), '--tag', BASE_ARM64, '--arch', 'arm64'], fixture);
    runOk('buildah', ['manifest', 'create', MULTI_BASE], fixture);
    for (const image of [BASE_IMAGE, BASE_ARM64]) runOk('buildah', ['manifest', 'add', MULTI_BASE, `containers-storage:${image}`], fixture);
    nxOk(workspace, ['g', 'immutable-os:image', 'multi', '--base', MULTI_BASE, '--image', repository('multi'), '--no-interactive']);
    addBeforeLint(workspace, 'multi', ['RUN uname -m > /usr/lib/built-on']);
    runTasks(['run', 'multi:bootc-build', '--platform=linux/amd64,linux/arm64']);
    expect(record('multi').platforms).toEqual(['linux/amd64', 'linux/arm64']);
    // The record names the list itself, by the ID buildah's listing gives it.
    expect(JSON.parse(runOk('buildah', ['manifest', 'inspect', record('multi').imageId], fixture).stdout).manifests).toHaveLength(2);
    const { manifests } = JSON.parse(runOk('buildah', ['manifest', 'inspect', latest('multi')], fixture).stdout) as { manifests: Array<{ digest: string; platform: { architecture: string } }> };
    expect(manifests.map((m) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    for (const { digest, platform } of manifests) {
      const id = engine.id(`${repository('multi')}@${digest}`);
      builtIds.add(id);
      expect(podman(['run', '--rm', '--network=none', '--arch', platform.architecture, id, 'cat', '/usr/lib/built-on'])).toBe(platform.architecture === 'arm64' ? 'aarch64' : 'x86_64');
    }
  });

  test('shell metacharacters in labels and build args are passed literally', () => {
    const evil = `$(touch ${PWNED}); touch ${PWNED} && \`touch ${PWNED}\` | "quoted" 'single' $HOME`;
    nxOk(workspace, ['g', 'immutable-os:image', 'quoting', '--base', BASE_IMAGE, '--image', repository('quoting'), '--no-interactive']);
    setTargetOptions(workspace, 'quoting', 'bootc-build', { labels: { 'e2e.note': evil }, buildArgs: { NOTE: evil } });
    addBeforeLint(workspace, 'quoting', ['ARG NOTE', `RUN printf '%s' "$NOTE" > /usr/lib/quoting-note`]);
    runTasks(['run', 'quoting:bootc-build']);
    const built = record('quoting');
    expect(engine.labels(built.imageId)['e2e.note']).toBe(evil);
    expect(engine.runIn(latest('quoting'), ['cat', '/usr/lib/quoting-note'])).toBe(evil);
    expect(existsSync(PWNED)).toBe(false);
  });

  test('wrong registry credentials fail clearly without showing the password; the right ones push', () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const image = `${(authRegistry as Registry).host}/acme/private-${engineName}-${suffix}`;
    nxOk(workspace, ['g', 'immutable-os:image', 'private', '--base', BASE_IMAGE, '--image', image, '--no-interactive']);
    setTargetOptions(workspace, 'private', 'bootc-push', { usernameEnv: 'E2E_REGISTRY_USER', passwordEnv: 'E2E_REGISTRY_PASSWORD', ...(engineName === 'docker' ? {} : { tlsVerify: false }) });
    runTasks(['run', 'private:bootc-build']);
    record('private');

    const failed = nx(workspace, ['run', 'private:bootc-push'], { ...env, E2E_REGISTRY_USER: AUTH.username, E2E_REGISTRY_PASSWORD: wrong });
    expectFailure(failed, /refused the credentials/);
    expect(output(failed)).not.toContain(wrong);
    expect(exists(workspace, 'dist/images/private/push.json')).toBe(false);

    const ok = runTasks(['run', 'private:bootc-push'], { E2E_REGISTRY_USER: AUTH.username, E2E_REGISTRY_PASSWORD: AUTH.password });
    expect(output(ok)).not.toContain(AUTH.password);
    expect(readJson<{ digest: string }>(workspace, 'dist/images/private/push.json').digest).toBe(registryDigest(`${image}:latest`, AUTH));
  });

  test(`a ${engineName}-built kiosk converts through the builder stand-in, and artifacts.json records ${engineName}'s image ID`, () => {
    const result = runTasks(['run', `${KIOSK}:bootc-convert`]);
    expectTasks(result, { [`${KIOSK}:bootc-build`]: 'ran', [`${KIOSK}:bootc-convert`]: 'ran' });
    const built = record(KIOSK);
    expect(built.engine).toBe(engineName);
    const artifacts = readJson<{ imageId: string; artifacts: Array<{ type: string; path: string }> }>(workspace, `dist/disks/${KIOSK}/artifacts.json`);
    expect(artifacts.imageId).toBe(engine.id(latest(KIOSK)));
    expect(artifacts.imageId).toBe(built.imageId);
    expect(artifacts.artifacts.map((a) => a.type)).toEqual(['qcow2']);
    expect(listFiles(workspace, `dist/disks/${KIOSK}`)).toContain(`dist/disks/${KIOSK}/qcow2/disk.qcow2`);
    // docker's storage is not the builder's: the exact image was copied into root podman's and checked there.
    if (engineName === 'docker') expect(output(result)).toContain(`Copying ${built.imageId.slice(0, 12)} (${latest(KIOSK)}) from docker's storage into root's container storage`);
    else expect(output(result)).not.toContain(`Copying ${built.imageId.slice(0, 12)}`);
    expect(imageExists(built.imageId)).toBe(true);
  });
});
