import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { readJson, updateJson } from './utils/files';
import { commitAll } from './utils/git';
import type { ImageJson } from './utils/image-json';
import { nx, nxOk } from './utils/nx';
import { podman, removeImages } from './utils/podman';
import { addBeforeLint } from './utils/project-edits';
import { startRegistry, type Registry } from './utils/registry';
import { describeFailure, output, run, runOk } from './utils/run';
import { expectTasks } from './utils/task-status';

// A multi-platform fleet for real: an arm64 test base (Debian's busybox-static:arm64, its RUN steps
// under qemu-user-static through binfmt_misc, which tools/ci/setup-host.sh sets up) and the amd64
// one in a manifest list; a base project built for linux/amd64 and linux/arm64 on it, a kiosk FROM
// that base on the same platforms, the lists pushed with every image to the tests' registry and
// read back there with skopeo, and the kiosk's arm64 image converted with targetArch.
const { repoRoot, tempRoot } = readE2eContext();
const workspace = specWorkspace('multiarch');
const suffix = randomBytes(4).toString('hex');
const BASE_AMD64 = 'localhost/bootc-mini:latest';
const BASE_ARM64 = 'localhost/bootc-mini:arm64';
const BASE_LIST = `localhost/bootc-mini-multi-${suffix}:latest`;
const BUILDER_IMAGE = 'localhost/bib-standin:latest';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const ARCHES = { amd64: 'x86_64', arm64: 'aarch64' } as const;
type Arch = keyof typeof ARCHES;
const OPTIONS = { cwd: tempRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };

let registry: Registry | undefined;
const builtIds = new Set<string>();

const repository = (project: string) => `${(registry as Registry).host}/acme/${project}-multi-${suffix}`;
const latest = (project: string) => `${repository(project)}:latest`;

function record(project: string): ImageJson {
  const value = readJson<ImageJson>(workspace, `dist/images/${project}/image.json`);
  builtIds.add(value.imageId);
  return value;
}

interface ManifestList {
  mediaType?: string;
  manifests: Array<{ digest: string; platform: { os: string; architecture: string } }>;
}

/** Each platform's image in a local manifest list: ID, layers and architecture, by Go's arch name; the images of a list built here are removed after. */
function localPlatforms(list: string, builtHere = true): Record<Arch, { id: string; layers: string[]; arch: string }> {
  const { manifests } = JSON.parse(podman(['manifest', 'inspect', list])) as ManifestList;
  const repo = list.replace(/:[^:/@]+$/, '');
  return Object.fromEntries(
    manifests.map(({ digest, platform }) => {
      const [id, arch, layers] = podman(['image', 'inspect', '--format', '{{.Id}} {{.Architecture}} {{json .RootFS.Layers}}', `${repo}@${digest}`]).split(' ');
      if (builtHere) builtIds.add(id);
      return [platform.architecture, { id, arch, layers: JSON.parse(layers) }];
    }),
  ) as Record<Arch, { id: string; layers: string[]; arch: string }>;
}

function skopeoRaw(ref: string): { text: string; json: ManifestList & { config?: { digest: string } } } {
  const text = runOk('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`], OPTIONS).stdout;
  return { text, json: JSON.parse(text) };
}

beforeAll(async () => {
  registry = await startRegistry(join(tempRoot, `multiarch-registry-${suffix}`));
  const fixtures = join(repoRoot, 'tools', 'fixtures');
  runOk('node', [join(fixtures, 'make-base-image.mjs')], { ...OPTIONS, cwd: repoRoot });
  runOk('node', [join(fixtures, 'make-base-image.mjs'), '--tag', BASE_ARM64, '--arch', 'arm64'], { ...OPTIONS, cwd: repoRoot });
  runOk('node', [join(fixtures, 'make-builder-image.mjs')], { ...OPTIONS, cwd: repoRoot });
  // The multi-platform base, as a registry would serve it: one list, an image per platform.
  podman(['manifest', 'create', BASE_LIST]);
  for (const image of [BASE_AMD64, BASE_ARM64]) podman(['manifest', 'add', BASE_LIST, `containers-storage:${image}`]);

  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'base', '--base', BASE_LIST, '--image', repository('base'), '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'kiosk', '--from', 'base', '--image', repository('kiosk'), '--no-interactive']);
  // Each platform's RUN steps run on that platform (emulated for arm64): they record what they ran on.
  addBeforeLint(workspace, 'base', ['RUN mkdir -p /usr/share/base && uname -m > /usr/share/base/built-on']);
  addBeforeLint(workspace, 'kiosk', ['RUN mkdir -p /usr/share/kiosk && uname -m > /usr/share/kiosk/built-on && cat /usr/share/base/built-on > /usr/share/kiosk/base-built-on']);
  updateJson(workspace, 'nx.json', (json) => ({
    ...json,
    targetDefaults: { ...json.targetDefaults, 'bootc-build': { options: { platform: PLATFORMS } }, 'bootc-convert': { options: { builderImage: BUILDER_IMAGE } } },
  }));
  commitAll(workspace, 'A base and a kiosk, each for linux/amd64 and linux/arm64');
}, 10 * 60 * 1000);

afterAll(async () => {
  try {
    for (const list of [latest('kiosk'), latest('base'), BASE_LIST]) run('podman', ['manifest', 'rm', list], OPTIONS);
    const left = removeImages([...builtIds].reverse());
    if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
  } finally {
    await registry?.stop();
  }
}, 5 * 60 * 1000);

describe('multi-platform builds: linux/amd64 and emulated linux/arm64', () => {
  test('the base and the kiosk build a manifest list each; every platform\'s image ran its steps on that platform, the kiosk\'s on the base\'s image of the same platform', () => {
    const result = nxOk(workspace, ['run-many', '-t', 'bootc-build', '--outputStyle=static']);
    expectTasks(result, { 'base:bootc-build': 'ran', 'kiosk:bootc-build': 'ran' });
    const base = record('base');
    const kiosk = record('kiosk');
    expect(base.platforms).toEqual(PLATFORMS);
    expect(kiosk.platforms).toEqual(PLATFORMS);
    // The record names the list: its first ref is the list, by that ID.
    expect(podman(['manifest', 'exists', latest('base')])).toBe('');
    expect(kiosk.baseImages).toEqual([{ ref: latest('base'), project: 'base', imageId: base.imageId }]);

    const bases = localPlatforms(latest('base'));
    const kiosks = localPlatforms(latest('kiosk'));
    const mini = localPlatforms(BASE_LIST, false);
    for (const arch of ['amd64', 'arm64'] as const) {
      expect(bases[arch].arch).toBe(arch);
      expect(kiosks[arch].arch).toBe(arch);
      // Exact per-platform bases: each image starts with the layers of the same platform's base image.
      expect(bases[arch].layers.slice(0, mini[arch].layers.length)).toEqual(mini[arch].layers);
      expect(kiosks[arch].layers.slice(0, bases[arch].layers.length)).toEqual(bases[arch].layers);
      const cat = podman(['run', '--rm', '--network=none', '--arch', arch, kiosks[arch].id, 'cat', '/usr/share/kiosk/built-on', '/usr/share/kiosk/base-built-on']);
      expect(cat.split('\n')).toEqual([ARCHES[arch], ARCHES[arch]]);
    }
    expect(bases.amd64.id).not.toBe(bases.arm64.id);
  });

  test('bootc-push pushes each list with every image (manifest push --all); the registry serves both platforms, by digest and architecture', () => {
    const result = nxOk(workspace, ['run-many', '-t', 'bootc-push', '--tlsVerify=false', '--outputStyle=static']);
    expectTasks(result, { 'base:bootc-push': 'ran', 'kiosk:bootc-push': 'ran' });
    for (const project of ['base', 'kiosk']) {
      const pushed = readJson<{ digest: string }>(workspace, `dist/images/${project}/push.json`);
      const list = skopeoRaw(latest(project));
      // push.json's digest is the list's, as the registry serves it.
      expect(`sha256:${createHash('sha256').update(list.text).digest('hex')}`).toBe(pushed.digest);
      expect(list.json.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(PLATFORMS);
      const local = localPlatforms(latest(project));
      for (const { digest, platform } of list.json.manifests) {
        // Each platform's manifest names the very image built here: its config is the image ID.
        const image = skopeoRaw(`${repository(project)}@${digest}`).json;
        expect(image.config?.digest).toBe(`sha256:${local[platform.architecture as Arch].id}`);
        const config = JSON.parse(runOk('skopeo', ['inspect', '--config', '--tls-verify=false', `docker://${repository(project)}@${digest}`], OPTIONS).stdout);
        expect(config.architecture).toBe(platform.architecture);
      }
    }
  });

  test('bootc-convert with targetArch arm64 converts the kiosk\'s arm64 image; the list keeps its name', () => {
    const kiosks = localPlatforms(latest('kiosk'));
    const result = nxOk(workspace, ['run', 'kiosk:bootc-convert', '--targetArch=arm64', '--outputStyle=static']);
    expectTasks(result, { 'kiosk:bootc-build': 'cache', 'kiosk:bootc-convert': 'ran' });
    expect(output(result)).toContain(`Converting the linux/arm64 image ${kiosks.arm64.id.slice(0, 12)} of the manifest list ${latest('kiosk')}, which names it while the builder runs.`);
    expect(output(result)).toMatch(/podman run .* --target-arch arm64/);
    const artifacts = readJson<{ imageId: string; manifestListId: string; platform: string; targetArch: string }>(workspace, 'dist/disks/kiosk/artifacts.json');
    expect(artifacts).toMatchObject({ imageId: kiosks.arm64.id, manifestListId: record('kiosk').imageId, platform: 'linux/arm64', targetArch: 'arm64' });
    expect(podman(['manifest', 'exists', latest('kiosk')])).toBe('');
    expect(podman(['image', 'inspect', '--format', '{{.Id}}', latest('kiosk')])).not.toBe(kiosks.arm64.id);
  });

  test('without targetArch the conversion is refused, naming the platforms (a disk must not depend on the machine that made it)', () => {
    const before = readJson(workspace, 'dist/disks/kiosk/artifacts.json');
    const result = nx(workspace, ['run', 'kiosk:bootc-convert', '--outputStyle=static']);
    if (result.status === 0 || !output(result).includes("targetArch: kiosk was built for linux/amd64, linux/arm64 (a manifest list), and bootc-convert converts one platform's image: set targetArch to one of amd64, arm64.")) {
      throw new Error(`Expected the targetArch refusal:\n${describeFailure(result)}`);
    }
    expect(readJson(workspace, 'dist/disks/kiosk/artifacts.json')).toEqual(before);
    expect(podman(['manifest', 'exists', latest('kiosk')])).toBe('');
  });
});
