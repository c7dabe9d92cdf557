import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { exists, listFiles, readJson, readText, updateJson, writeFile } from './utils/files';
import { commitAll } from './utils/git';
import { nx, nxOk, spawnNx, type SpawnedNx } from './utils/nx';
import { imageId, imageIdsNamed, podman, removeImages } from './utils/podman';
import { describeFailure, output, run, runOk, type RunResult } from './utils/run';
import { signalGroup, sleep } from './utils/server-process';
import { standinLine } from './utils/standin-disk';
import { expectTasks } from './utils/task-status';

// bootc-convert with the real nx CLI and real rootful podman, running the bootc-image-builder
// stand-in (tools/fixtures/bib-standin) that checks the real builder's contract. The steps build on
// each other in this file's own workspace, in the order written.
const { repoRoot, tempRoot } = readE2eContext();
const workspace = specWorkspace('convert');
// In project and image names: podman's storage and containers are shared by everything on this machine.
const suffix = randomBytes(4).toString('hex');
const P = `edge-${suffix}`;
const PLAIN = `plain-${suffix}`;
const REPOSITORY_PART = `convert-e2e-${suffix}`;
const IMAGE = `localhost/${REPOSITORY_PART}/edge`;
// Offline, the builder is the stand-in (tools/fixtures/bib-standin, written from the builder's source)
// and the base the tests' bootc-mini. On a machine that can pull them, E2E_BUILDER_IMAGE (e.g.
// quay.io/centos-bootc/bootc-image-builder:latest, pulled as root first) and E2E_BASE_IMAGE (a real
// bootc base, e.g. quay.io/fedora/fedora-bootc:44) run this suite against the real builder; the
// checks of what only the stand-in writes (its file contents, its test hooks) are then skipped.
const REAL_BUILDER = process.env.E2E_BUILDER_IMAGE;
const BASE_IMAGE = process.env.E2E_BASE_IMAGE ?? 'localhost/bootc-mini:latest';
const BUILDER_IMAGE = REAL_BUILDER ?? 'localhost/bib-standin:latest';
const IMAGE_BUILDER_IMAGE = process.env.E2E_IMAGE_BUILDER_IMAGE ?? 'localhost/image-builder-standin:latest';
const standinOnly = REAL_BUILDER ? test.skip : test;
const DISKS = `dist/disks/${P}`;
const CONFIG = `images/${P}/config.toml`;
const CONFIG_JSON = `images/${P}/config.json`;
const CONTAINER_PREFIX = `immutable-os-convert-${P}-`;
const VALID_TYPES = ['qcow2', 'raw', 'ami', 'vmdk', 'vhd', 'gce', 'ova', 'pxe-tar-xz', 'bootc-installer', 'anaconda-iso', 'iso'];

const builtIds = new Set<string>();
let originalConfig = '';

interface ArtifactsJson {
  project: string;
  image: string;
  imageId: string;
  builderBackend: string;
  builderImage: string;
  config: string | null;
  rootfs: string | null;
  convertedAt: string;
  artifacts: Array<{ type: string; path: string; size: number; sha256: string; manifest: string | null }>;
}

function convert(args: string[] = [], env: Record<string, string> = {}): RunResult {
  return nx(workspace, ['run', `${P}:bootc-convert`, ...args, '--outputStyle=static'], env);
}

function convertOk(args: string[] = [], env: Record<string, string> = {}): RunResult {
  const result = convert(args, env);
  if (result.status !== 0) throw new Error(describeFailure(result));
  return result;
}

function expectFailure(result: RunResult, ...messages: Array<string | RegExp>): void {
  if (result.status === 0 || result.status === null) throw new Error(`Expected nx to exit non-zero:\n${describeFailure(result)}`);
  for (const message of messages) {
    const found = typeof message === 'string' ? output(result).includes(message) : message.test(output(result));
    if (!found) throw new Error(`Expected ${typeof message === 'string' ? JSON.stringify(message) : message} in the output of:\n${describeFailure(result)}`);
  }
}

function imageRecord(project = P): { imageId: string } {
  const record = readJson<{ imageId: string }>(workspace, `dist/images/${project}/image.json`);
  builtIds.add(record.imageId);
  return record;
}

function artifactsJson(): ArtifactsJson {
  return readJson<ArtifactsJson>(workspace, `${DISKS}/artifacts.json`);
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(join(workspace, path))).digest('hex');
}

// Every file of the output folder with its checksum: what "byte-identical" is compared on.
function checksums(): Record<string, string> {
  return Object.fromEntries(listFiles(workspace, DISKS).map((file) => [file, sha256File(file)]));
}

function leftoverStaging(): string[] {
  return readdirSync(join(workspace, 'dist/disks')).filter((entry) => entry.includes('.tmp-'));
}

/** Names of the builder containers podman created since `since` (its event log, so --rm'd ones count too). */
function builderContainersSince(since: Date, prefix = CONTAINER_PREFIX): string[] {
  return podman(['events', '--stream=false', '--since', since.toISOString(), '--filter', 'event=create', '--filter', 'type=container', '--format', '{{.Name}}'])
    .split('\n')
    .filter((name) => name.startsWith(prefix))
    .sort();
}

function builderContainersPresent(): string[] {
  return podman(['ps', '--all', '--format', '{{.Names}}'])
    .split('\n')
    .filter((name) => name.startsWith(CONTAINER_PREFIX));
}

/** Asserts each listed artifact is a file of the stated size whose sha256 is the one listed, written from `imageId`. */
function expectArtifactsMatchFiles(artifacts: ArtifactsJson, imageIdValue: string): void {
  for (const artifact of artifacts.artifacts) {
    expect({ path: artifact.path, size: statSync(join(workspace, artifact.path)).size, sha256: sha256File(artifact.path) }).toEqual({
      path: artifact.path,
      size: artifact.size,
      sha256: artifact.sha256,
    });
    // The stand-in's line names the type and the image ID it converted (in a disk, at the start of its BIOS boot partition).
    if (!REAL_BUILDER) expect(standinLine(join(workspace, artifact.path))).toMatch(new RegExp(`^bib-standin ${artifact.type} ${imageIdValue} `));
    expect(artifact.manifest).not.toBeNull();
    if (!REAL_BUILDER) expect(readJson(workspace, artifact.manifest as string)).toMatchObject({ standin: true, image: imageIdValue });
  }
}

function expectOwner(uid: number, gid: number): void {
  const entries = [DISKS, ...readdirSync(join(workspace, DISKS), { recursive: true }).map((e) => join(DISKS, String(e)))];
  const owners = entries.map((entry) => {
    const { uid: u, gid: g } = statSync(join(workspace, entry));
    return `${entry} ${u}:${g}`;
  });
  expect(owners).toEqual(entries.map((entry) => `${entry} ${uid}:${gid}`));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function setConfig(content: string): void {
  writeFile(workspace, CONFIG, content);
}

// Inserts `lines` before the final `RUN bootc container lint` of the project's Containerfile.
function addBeforeLint(lines: string[]): void {
  const path = `images/${P}/Containerfile`;
  const content = readText(workspace, path);
  const lint = content.lastIndexOf('RUN bootc container lint');
  if (lint === -1) throw new Error(`${path} has no "RUN bootc container lint" line to insert before:\n${content}`);
  writeFile(workspace, path, `${content.slice(0, lint)}${lines.join('\n')}\n\n${content.slice(lint)}`);
}

// The nx CLI in a process group of its own, as a terminal runs it: Ctrl-C reaches the whole group.
function spawnConvert(): SpawnedNx {
  return spawnNx(workspace, ['run', `${P}:bootc-convert`, '--outputStyle=static']);
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined, context: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`Timed out after ${timeoutMs / 1000}s waiting for ${what}.\n${context()}`);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000}s`)), ms))),
  ]);
}

beforeAll(() => {
  const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
  if (!process.env.E2E_BASE_IMAGE) runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], fixture);
  if (!REAL_BUILDER) runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-builder-image.mjs')], fixture);

  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', P, '--base', BASE_IMAGE, '--image', IMAGE, '--no-interactive']);
  updateJson(workspace, 'nx.json', (json) => ({
    ...json,
    targetDefaults: { ...json.targetDefaults, 'bootc-convert': { options: { builderImage: BUILDER_IMAGE } } },
  }));
  commitAll(workspace, `${P} on bootc-mini, converted with the stand-in builder`);
  originalConfig = readText(workspace, CONFIG);
}, 5 * 60 * 1000);

afterAll(() => {
  for (const name of builderContainersPresent()) run('podman', ['rm', '--force', name], { cwd: tempRoot, env: childEnv() });
  // Every build of these projects, also those a later build untagged (bootc-build labels each with its project's name).
  const labelled = [P, PLAIN].flatMap((project) =>
    podman(['images', '--all', '--no-trunc', '--filter', `label=org.opencontainers.image.title=${project}`, '--format', '{{.ID}}'])
      .split('\n')
      .filter(Boolean)
      .map((id) => id.replace(/^sha256:/, '')),
  );
  // Newest first: the images built on an earlier one go before it.
  const left = removeImages([...builtIds, ...labelled, ...imageIdsNamed(REPOSITORY_PART)].reverse());
  if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
}, 5 * 60 * 1000);

describe('bootc-convert with podman and the bootc-image-builder stand-in', () => {
  test('builds the image first, then writes qcow2/disk.qcow2 and artifacts.json with its size and sha256', () => {
    const since = new Date();
    const result = convertOk();
    expectTasks(result, { [`${P}:bootc-build`]: 'ran', [`${P}:bootc-convert`]: 'ran' });
    expect(builderContainersSince(since)).toEqual([expect.stringMatching(new RegExp(`^${CONTAINER_PREFIX}\\d+-0$`))]);

    const { imageId: built } = imageRecord();
    expect(listFiles(workspace, DISKS)).toEqual([`${DISKS}/artifacts.json`, `${DISKS}/manifest-qcow2.json`, `${DISKS}/qcow2/disk.qcow2`]);
    const artifacts = artifactsJson();
    expect(artifacts).toEqual({
      project: P,
      image: `${IMAGE}:latest`,
      imageId: built,
      builderBackend: 'bootc-image-builder',
      builderImage: BUILDER_IMAGE,
      builderImageId: imageId(BUILDER_IMAGE),
      // A local image pulled from no registry still has a manifest digest in podman's storage.
      builderImageDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      installerImage: null,
      config: CONFIG,
      // Declared by the image: the generator writes rootfs/usr/lib/bootc/install/80-rootfs.toml.
      rootfs: 'xfs',
      targetArch: null,
      convertedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      artifacts: [
        {
          type: 'qcow2',
          path: `${DISKS}/qcow2/disk.qcow2`,
          size: statSync(join(workspace, DISKS, 'qcow2/disk.qcow2')).size,
          sha256: sha256File(`${DISKS}/qcow2/disk.qcow2`),
          manifest: `${DISKS}/manifest-qcow2.json`,
        },
      ],
    });
    expect(artifacts.artifacts[0].size).toBeGreaterThan(0);
    expectArtifactsMatchFiles(artifacts, built);
    expect(imageId(`${IMAGE}:latest`)).toBe(built);
    expectOwner(process.getuid?.() ?? 0, process.getgid?.() ?? 0);
    expect(leftoverStaging()).toEqual([]);
  });

  test('a second unchanged run is a cache hit: no builder container, artifacts.json byte-identical', () => {
    const before = readText(workspace, `${DISKS}/artifacts.json`);
    const disks = checksums();
    const since = new Date();
    const result = convertOk();
    expectTasks(result, { [`${P}:bootc-build`]: 'cache', [`${P}:bootc-convert`]: 'cache' });
    expect(builderContainersSince(since)).toEqual([]);
    expect(readText(workspace, `${DISKS}/artifacts.json`)).toBe(before);
    expect(checksums()).toEqual(disks);
  });

  test('--types=qcow2,iso makes two builder runs (disk and ISO apart): qcow2/disk.qcow2 and iso/install.iso', () => {
    const since = new Date();
    const result = convertOk(['--types=qcow2,iso']);
    expectTasks(result, { [`${P}:bootc-build`]: 'cache', [`${P}:bootc-convert`]: 'ran' });
    expect(builderContainersSince(since)).toEqual([expect.stringMatching(/-0$/), expect.stringMatching(/-1$/)]);
    expect(output(result)).toContain(`Running bootc-image-builder (${BUILDER_IMAGE}) for qcow2:`);
    expect(output(result)).toContain(`Running bootc-image-builder (${BUILDER_IMAGE}) for iso:`);

    expect(listFiles(workspace, DISKS)).toEqual(
      ['artifacts.json', 'iso/install.iso', 'manifest-iso.json', 'manifest-qcow2.json', 'qcow2/disk.qcow2'].map((f) => `${DISKS}/${f}`),
    );
    const artifacts = artifactsJson();
    expect(artifacts.artifacts.map((a) => [a.type, a.path, a.manifest])).toEqual([
      ['qcow2', `${DISKS}/qcow2/disk.qcow2`, `${DISKS}/manifest-qcow2.json`],
      ['iso', `${DISKS}/iso/install.iso`, `${DISKS}/manifest-iso.json`],
    ]);
    expectArtifactsMatchFiles(artifacts, imageRecord().imageId);
  });

  test('--types=raw,ami (same builder path) makes two builder runs: raw/disk.raw and ami/disk.raw', () => {
    const since = new Date();
    const result = convertOk(['--types=raw,ami']);
    expectTasks(result, { [`${P}:bootc-convert`]: 'ran' });
    expect(builderContainersSince(since)).toHaveLength(2);
    expect(listFiles(workspace, DISKS)).toEqual(
      ['ami/disk.raw', 'artifacts.json', 'manifest-ami.json', 'manifest-raw.json', 'raw/disk.raw'].map((f) => `${DISKS}/${f}`),
    );
    const artifacts = artifactsJson();
    expect(artifacts.artifacts.map((a) => [a.type, a.path])).toEqual([
      ['raw', `${DISKS}/raw/disk.raw`],
      ['ami', `${DISKS}/ami/disk.raw`],
    ]);
    expectArtifactsMatchFiles(artifacts, imageRecord().imageId);
    // Each file is the one its own run wrote (the stand-in names the type in it), not one copied to both.
    expect(artifacts.artifacts[0].sha256).not.toBe(artifacts.artifacts[1].sha256);
  });

  // The builder names every disk of a run after its first --type (gce first would give qcow2/image.qcow2).
  test('--types=gce,qcow2: one run, led by qcow2, so the disk is qcow2/disk.qcow2 beside gce/image.tar.gz', () => {
    const since = new Date();
    const result = convertOk(['--types=gce,qcow2']);
    expect(builderContainersSince(since)).toHaveLength(1);
    expect(output(result)).toContain(`Running bootc-image-builder (${BUILDER_IMAGE}) for qcow2, gce:`);
    expect(listFiles(workspace, DISKS)).toEqual(['artifacts.json', 'gce/image.tar.gz', 'manifest-qcow2-gce.json', 'qcow2/disk.qcow2'].map((f) => `${DISKS}/${f}`));
    expectArtifactsMatchFiles(artifactsJson(), imageRecord().imageId);
  });

  test('--types=ova alone: the builder writes archive/image.ova, bootc-convert puts it at ova/disk.ova', () => {
    const since = new Date();
    convertOk(['--types=ova']);
    expect(builderContainersSince(since)).toHaveLength(1);
    expect(listFiles(workspace, DISKS)).toEqual(['artifacts.json', 'manifest-ova.json', 'ova/disk.ova'].map((f) => `${DISKS}/${f}`));
    expectArtifactsMatchFiles(artifactsJson(), imageRecord().imageId);
  });

  // pxe-tar-xz needs a kernel (bootc-mini has one) and an initramfs with the dracut modules
  // ostree, dmsquash-live and livenet: a flavor that adds them (the stand-in reads usr/lib/dracut/modules.d).
  test('--types=pxe-tar-xz,qcow2 on a flavor with the live-boot dracut modules: pxe-tar-xz/pxe.tar.xz from a run of its own', () => {
    const flavor = `pxe-${suffix}`;
    nxOk(workspace, ['g', 'immutable-os:image', flavor, '--from', P, '--image', `localhost/${REPOSITORY_PART}/pxe`, '--no-interactive']);
    const containerfile = `images/${flavor}/Containerfile`;
    const content = readText(workspace, containerfile);
    const lint = content.lastIndexOf('RUN bootc container lint');
    writeFile(workspace, containerfile, `${content.slice(0, lint)}RUN mkdir -p /usr/lib/dracut/modules.d/90ostree /usr/lib/dracut/modules.d/90dmsquash-live /usr/lib/dracut/modules.d/90livenet\n\n${content.slice(lint)}`);
    commitAll(workspace, `${flavor}: live-boot dracut modules`);
    const since = new Date();
    const result = nx(workspace, ['run', `${flavor}:bootc-convert`, '--types=pxe-tar-xz,qcow2', '--outputStyle=static']);
    if (result.status !== 0) throw new Error(describeFailure(result));
    expect(builderContainersSince(since, `immutable-os-convert-${flavor}-`)).toHaveLength(2);
    expect(listFiles(workspace, `dist/disks/${flavor}`)).toEqual(
      ['artifacts.json', 'manifest-pxe-tar-xz.json', 'manifest-qcow2.json', 'pxe-tar-xz/pxe.tar.xz', 'qcow2/disk.qcow2'].map((f) => `dist/disks/${flavor}/${f}`),
    );
    imageRecord(flavor);
  });

  // The stand-in's qcow2 is a real disk of the image's filesystem (tools/fixtures/bib-standin/README.md):
  // a flavor adds a boot script and a karg in its rootfs/, and bootc-test boots its disk under UEFI
  // and BIOS to bootc-mini's "system is up" line (tools/fixtures/bootc-mini/README.md) with the
  // flavor's marker.
  standinOnly('a flavor\'s qcow2 boots in qemu (UEFI with OVMF, and BIOS) to "system is up", running the flavor\'s own boot script', () => {
    const flavor = `boot-${suffix}`;
    nxOk(workspace, ['g', 'immutable-os:image', flavor, '--from', P, '--image', `localhost/${REPOSITORY_PART}/boot`, '--no-interactive']);
    writeFile(workspace, `images/${flavor}/rootfs/etc/boot.d/50-marker.sh`, `echo "convert-e2e: ${flavor} marker from its rootfs"\n`);
    // A kargs.d file reaches the disk's kernel command line; this one powers the VM off once it is up.
    writeFile(workspace, `images/${flavor}/rootfs/usr/lib/bootc/kargs.d/50-poweroff.toml`, 'kargs = ["bootc-mini.poweroff"]\n');
    commitAll(workspace, `${flavor}: a boot script and a karg`);
    const result = nx(workspace, ['run', `${flavor}:bootc-convert`, '--types=qcow2', '--outputStyle=static']);
    if (result.status !== 0) throw new Error(describeFailure(result));
    imageRecord(flavor);
    for (const firmware of ['uefi', 'bios'] as const) {
      const booted = nx(workspace, [
        'run', `${flavor}:bootc-test`, `--firmware=${firmware}`, '--excludeTaskDependencies', '--skip-nx-cache', '--memory=512', '--cpus=1', '--timeout=300',
        '--expect=^bootc-mini: system is up$', '--fail=Kernel panic,bootc-mini: FAILED,bootc-mini initramfs: FAILED,UEFI Interactive Shell,No bootable device', '--outputStyle=static',
      ]);
      if (booted.status !== 0) throw new Error(`${flavor}'s qcow2 did not boot under ${firmware}:\n${describeFailure(booted)}`);
      const report = readJson<{ accel: string; durationMs: number; firmware: string }>(workspace, `dist/tests/${flavor}/result.json`);
      console.log(`[e2e] ${flavor}'s qcow2 booted under ${firmware} (${report.accel}) in ${(report.durationMs / 1000).toFixed(1)}s`);
      expect(report.firmware).toBe(firmware);
      const serial = readText(workspace, `dist/tests/${flavor}/console.log`);
      expect(serial).toContain(`convert-e2e: ${flavor} marker from its rootfs`);
      expect(serial).toMatch(/bootc-mini: kernel \S+, cmdline: .*root=UUID=\S+ rw boot=UUID=\S+ bootc-mini\.poweroff rw console=tty0 console=ttyS0/);
      expect(serial).not.toContain('bootc-mini: FAILED');
      expect(serial).toMatch(/^bootc-mini: system is up\r?$/m);
    }
  }, 8 * 60 * 1000);

  // Reproducible image IDs: the same commit rebuilds the same image and a byte-identical image.json,
  // which is what the flavors' builds and conversions hash.
  test('a --skip-nx-cache rebuild of the unchanged base gives the same image, and its flavor neither rebuilds nor re-converts', () => {
    const flavor = `pxe-${suffix}`;
    const rebuildBase = () => {
      const rebuilt = nx(workspace, ['run', `${P}:bootc-build`, '--skip-nx-cache', '--outputStyle=static']);
      if (rebuilt.status !== 0) throw new Error(describeFailure(rebuilt));
      return readText(workspace, `dist/images/${P}/image.json`);
    };
    const convertFlavor = () => {
      const result = nx(workspace, ['run', `${flavor}:bootc-convert`, '--types=pxe-tar-xz,qcow2', '--outputStyle=static']);
      if (result.status !== 0) throw new Error(describeFailure(result));
      return result;
    };
    // The base record was written at an earlier commit (its revision label differs): first at this one.
    const first = rebuildBase();
    convertFlavor();
    expect(rebuildBase()).toBe(first);
    const since = new Date();
    expectTasks(convertFlavor(), { [`${flavor}:bootc-build`]: 'cache', [`${flavor}:bootc-convert`]: 'cache' });
    expect(builderContainersSince(since, `immutable-os-convert-${flavor}-`)).toEqual([]);
  });

  test('builderBackend image-builder converts end to end: one run a type, its disk.<ext> at our names, its manifests kept', () => {
    const since = new Date();
    const result = convertOk(['--builderBackend=image-builder', `--builderImage=${IMAGE_BUILDER_IMAGE}`, '--types=qcow2,ova']);
    expect(builderContainersSince(since)).toHaveLength(2);
    expect(output(result)).toContain(`Running image-builder (${IMAGE_BUILDER_IMAGE}) for qcow2:`);
    expect(output(result)).toContain(`Running image-builder (${IMAGE_BUILDER_IMAGE}) for ova:`);
    expect(listFiles(workspace, DISKS)).toEqual(['artifacts.json', 'manifest-ova.json', 'manifest-qcow2.json', 'ova/disk.ova', 'qcow2/disk.qcow2'].map((f) => `${DISKS}/${f}`));
    const artifacts = artifactsJson();
    expect(artifacts).toMatchObject({ builderBackend: 'image-builder', builderImage: IMAGE_BUILDER_IMAGE });
    for (const artifact of artifacts.artifacts) expect(standinLine(join(workspace, artifact.path))).toMatch(new RegExp(`^bib-standin ${artifact.type} ${imageRecord().imageId} `));
  });

  test('a committed Containerfile change rebuilds the image and converts it again; artifacts.json has the new image ID', () => {
    const old = imageRecord().imageId;
    addBeforeLint(['RUN mkdir -p /usr/share/convert-e2e && echo v2 > /usr/share/convert-e2e/marker']);
    commitAll(workspace, `${P}: marker v2`);
    const since = new Date();
    const result = convertOk();
    expectTasks(result, { [`${P}:bootc-build`]: 'ran', [`${P}:bootc-convert`]: 'ran' });
    expect(builderContainersSince(since)).toHaveLength(1);
    const fresh = imageRecord().imageId;
    expect(fresh).not.toBe(old);
    const artifacts = artifactsJson();
    expect(artifacts.imageId).toBe(fresh);
    expect(artifacts.artifacts.map((a) => a.type)).toEqual(['qcow2']);
    expectArtifactsMatchFiles(artifacts, fresh);
  });

  test('run as root through sudo (SUDO_UID/SUDO_GID), the outputs belong to the invoking user', () => {
    const result = convertOk(['--skip-nx-cache'], { SUDO_UID: '4242', SUDO_GID: '4343' });
    expect(output(result)).toContain('--chown 4242:4343');
    expectOwner(4242, 4343);
  });

  test('--dryRun runs no builder, changes nothing and prints a podman command that works when pasted', () => {
    const disks = checksums();
    const since = new Date();
    const result = convertOk(['--dryRun']);
    expect(builderContainersSince(since)).toEqual([]);
    expect(checksums()).toEqual(disks);
    expect(output(result)).toContain('Dry run: config valid, 1 builder run for qcow2; nothing was run.');

    // Pasted as printed: the mkdir line, then the podman line.
    const lines = output(result).split('\n').filter((line) => line.startsWith('podman run ') || line.startsWith('mkdir -p '));
    expect(lines).toHaveLength(2);
    const pasted = join(workspace, `${DISKS}-dry-run`, 'run-0');
    expect(lines[0]).toBe(`mkdir -p ${pasted}`);
    expect(/ -v (\S+):\/output /.exec(lines[1])?.[1]).toBe(pasted);
    const ran = runOk('bash', ['-c', lines.join('\n')], { cwd: workspace, env: childEnv(), timeoutMs: 5 * 60 * 1000 });
    expect(readdirSync(join(pasted, 'qcow2'))).toEqual(['disk.qcow2']);
    if (!REAL_BUILDER) {
      expect(output(ran)).toContain('bib-standin: done: qcow2');
      expect(standinLine(join(pasted, 'qcow2/disk.qcow2'))).toMatch(new RegExp(`^bib-standin qcow2 ${imageRecord().imageId} `));
      expect(JSON.parse(readFileSync(join(pasted, 'manifest-qcow2.json'), 'utf8'))).toMatchObject({ standin: true });
    }
    rmSync(join(workspace, `${DISKS}-dry-run`), { recursive: true, force: true });
  });

  standinOnly('Ctrl-C during a builder run stops nx and the builder container and leaves the previous output as it was', async () => {
    const disks = checksums();
    setConfig(`${originalConfig}\n# bib-standin: sleep=60\n`);
    let nxRun: SpawnedNx | undefined;
    try {
      const spawned = spawnConvert();
      nxRun = spawned;
      const container = await waitFor(
        `a running ${CONTAINER_PREFIX}... container`,
        3 * 60 * 1000,
        () => podman(['ps', '--format', '{{.Names}}']).split('\n').find((name) => name.startsWith(CONTAINER_PREFIX)),
        spawned.text,
      );
      // nx shows a task's output when it ends: the container's log says where the stand-in is.
      const logs = () => output(run('podman', ['logs', container], { cwd: tempRoot, env: childEnv(), timeoutMs: 30_000 }));
      await waitFor('the stand-in to reach its sleep', 60 * 1000, () => (logs().includes('sleeping 60 s') ? true : undefined), () => `${logs()}\n${spawned.text()}`);
      const interrupted = Date.now();
      process.kill(-spawned.pid, 'SIGINT');
      const ended = await withTimeout(spawned.exited, 60 * 1000, 'nx ending after SIGINT');
      const seconds = (Date.now() - interrupted) / 1000;
      console.log(`[e2e] nx ended ${seconds.toFixed(1)}s after SIGINT (code ${ended.code}, signal ${ended.signal}); builder container ${container}`);
      if (ended.code === 0) throw new Error(`nx exited 0 after SIGINT:\n${spawned.text()}`);
      expect(builderContainersPresent()).toEqual([]);
      expect(checksums()).toEqual(disks);
      expect(leftoverStaging()).toEqual([]);
    } finally {
      // On a failed step: no nx left behind to finish the conversion later.
      if (nxRun) signalGroup(nxRun.pid, 'SIGKILL');
      setConfig(originalConfig);
    }
  }, 6 * 60 * 1000);

  standinOnly('a failing builder leaves the previous output intact; the error names the command, its exit code and its stderr', () => {
    const disks = checksums();
    setConfig(`${originalConfig}\n# bib-standin: fail\n`);
    try {
      const since = new Date();
      const result = convert();
      expectFailure(
        result,
        `podman run --rm --privileged --pull=newer`,
        `${BUILDER_IMAGE} build --type qcow2`,
        'failed with exit code 1.',
        'Last lines of its output:',
        'bib-standin: error: failing on purpose after 1 file(s) (test hook)',
      );
      expect(builderContainersSince(since)).toHaveLength(1);
      expect(builderContainersPresent()).toEqual([]);
      expect(checksums()).toEqual(disks);
      expect(leftoverStaging()).toEqual([]);
    } finally {
      setConfig(originalConfig);
    }
  });

  // The builder image is a moving tag (:latest by default): its ID in root's storage is an input of
  // bootc-convert, so disks made by an older builder are not served once a newer one is there.
  test('the builder image moved under its tag: re-converts; the same builder again: a cache hit', () => {
    const tag = `localhost/${REPOSITORY_PART}/builder:latest`;
    const context = mkdtempSync(join(tempRoot, 'builder-'));
    const buildBuilder = (release: string) => {
      writeFileSync(join(context, 'Containerfile'), `FROM ${BUILDER_IMAGE}\nLABEL io.immutable-os.e2e.builder-release=${release}\n`);
      podman(['build', '--quiet', '--tag', tag, context]);
      const id = imageId(tag);
      builtIds.add(id);
      return id;
    };
    const useBuilder = (image: string) =>
      updateJson(workspace, 'nx.json', (json) => ({ ...json, targetDefaults: { ...json.targetDefaults, 'bootc-convert': { options: { builderImage: image } } } }));
    try {
      const first = buildBuilder('1');
      useBuilder(tag);
      expectTasks(convertOk(), { [`${P}:bootc-convert`]: 'ran' });
      expect(readJson(workspace, `${DISKS}/artifacts.json`)).toMatchObject({ builderImage: tag, builderImageId: first });
      expectTasks(convertOk(), { [`${P}:bootc-convert`]: 'cache' });

      const second = buildBuilder('2');
      expect(second).not.toBe(first);
      expectTasks(convertOk(), { [`${P}:bootc-convert`]: 'ran' });
      expect(readJson(workspace, `${DISKS}/artifacts.json`)).toMatchObject({ builderImage: tag, builderImageId: second });
      expectTasks(convertOk(), { [`${P}:bootc-convert`]: 'cache' });
    } finally {
      useBuilder(BUILDER_IMAGE);
      rmSync(context, { recursive: true, force: true });
    }
    convertOk();
  });

  describe('bad input fails before any builder run, with a message naming the file, key and line, and changes nothing', () => {
    let disks: Record<string, string>;
    beforeAll(() => {
      disks = checksums();
    });
    afterEach(() => {
      setConfig(originalConfig);
      rmSync(join(workspace, CONFIG_JSON), { force: true });
    });

    const expectRefused = (result: RunResult, since: Date, ...messages: Array<string | RegExp>) => {
      expectFailure(result, ...messages);
      expect(builderContainersSince(since)).toEqual([]);
      expect(checksums()).toEqual(disks);
      expect(leftoverStaging()).toEqual([]);
    };

    test.each([
      {
        name: 'a TOML syntax error (line:column)',
        config: '[[customizations.user]]\nname = "admin"\n[customizations.kernel\nappend = "quiet"\n',
        // The reason and column are smol-toml's own words, which vary between its versions.
        message: new RegExp(`${escape(CONFIG)}:3:\\d+: ${escape(CONFIG)} is not valid TOML: \\S`),
      },
      {
        name: 'a user without a name',
        config: '[[customizations.user]]\npassword = "secret"\ngroups = ["wheel"]\n',
        message: `${CONFIG}:1: customizations.user[0].name is required`,
      },
      {
        name: '/var/home as a filesystem mountpoint',
        config: '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n\n[[customizations.filesystem]]\nmountpoint = "/var/home"\nminsize = "5 GiB"\n',
        message: `${CONFIG}:6: customizations.filesystem[1].mountpoint "/var/home" cannot be a separate filesystem: bootc keeps /var/home in /var; allowed: "/", "/boot" or a folder under /var other than`,
      },
      {
        name: 'filesystem and disk customizations together',
        config:
          '[[customizations.filesystem]]\nmountpoint = "/"\nminsize = "10 GiB"\n\n' +
          '[[customizations.disk.partitions]]\ntype = "plain"\nmountpoint = "/var/data"\nfs_type = "xfs"\nminsize = "1 GiB"\n',
        message: `${CONFIG}:5: customizations.disk cannot be combined with customizations.filesystem`,
      },
      {
        name: 'a file under /usr',
        config: '[[customizations.files]]\npath = "/usr/lib/motd"\ndata = "hello"\n',
        message: `${CONFIG}:2: customizations.files[0].path "/usr/lib/motd" is outside the folders customizations.files may write: allowed under /etc, /root, /usr/local/bin, /usr/local/sbin`,
      },
      {
        name: 'kickstart contents together with a user, for an ISO',
        config: '[[customizations.user]]\nname = "admin"\n\n[customizations.installer.kickstart]\ncontents = "text --non-interactive"\n',
        args: ['--types=anaconda-iso'],
        message: `${CONFIG}:5: customizations.installer.kickstart.contents cannot be combined with customizations.user or customizations.group`,
      },
      {
        name: 'an invalid ISO volume_id, for an ISO',
        config: '[customizations.iso]\nvolume_id = "My Install Disk"\n',
        args: ['--types=anaconda-iso'],
        message: `${CONFIG}:2: customizations.iso.volume_id must use only letters, digits, "_" and "-", got "My Install Disk"`,
      },
      {
        // The real key is installer.bootloader.grub2.menu-timeout; the builder's decoder refuses this one.
        name: 'installer.menu-timeout',
        config: '[customizations.installer]\nmenu-timeout = 5\n',
        message: new RegExp(`${escape(CONFIG)}:2: customizations\\.installer\\.menu-timeout .*installer\\.bootloader\\.grub2\\.menu-timeout`),
      },
      {
        name: 'an unknown key',
        config: '[customizations.kernel]\nappend = "quiet"\nappned = "x"\n',
        message: `${CONFIG}:3: customizations.kernel.appned is not a key bootc-image-builder accepts; allowed keys here: name, append`,
      },
    ])('config.toml with $name', ({ config, message, args }: { config: string; message: string | RegExp; args?: string[] }) => {
      setConfig(config);
      const since = new Date();
      expectRefused(convert(args), since, `${CONFIG} is not a valid bootc-image-builder config:`, message);
    });

    // What the builder accepts and ignores for bootc images converts, with a warning saying so.
    test('config.toml with hostname under [customizations]: converts, warning that the builder ignores it', () => {
      setConfig(`${originalConfig}\n[customizations]\nhostname = "x"\n`);
      const result = convert(['--skip-nx-cache']);
      if (result.status !== 0) throw new Error(describeFailure(result));
      expect(output(result)).toMatch(/warning: .*config\.toml:\d+: customizations\.hostname .*ignore/);
      disks = checksums();
    });

    test('config.json (no config.toml) with a user without a name', () => {
      rmSync(join(workspace, CONFIG));
      writeFile(workspace, CONFIG_JSON, '{\n  "customizations": {\n    "user": [\n      { "password": "secret" }\n    ]\n  }\n}\n');
      const since = new Date();
      expectRefused(convert(), since, `${CONFIG_JSON} is not a valid bootc-image-builder config:`, `${CONFIG_JSON}:4: customizations.user[0].name is required`);
    });

    test('--types=floppy: the message lists the valid types', () => {
      const since = new Date();
      const result = convert(['--types=floppy']);
      expectRefused(result, since, 'floppy');
      const line = output(result).split('\n').find((l) => l.includes('floppy') && VALID_TYPES.every((t) => l.includes(t)));
      if (!line) throw new Error(`Expected a message naming "floppy" and every valid type (${VALID_TYPES.join(', ')}):\n${describeFailure(result)}`);
    });

    test('--containerStorage other than /var/lib/containers/storage: refused in preflight, naming osbuild/bootc-image-builder#984 and the fix', () => {
      const since = new Date();
      expectRefused(
        convert(['--containerStorage=/srv/containers/storage']),
        since,
        'containerStorage: "/srv/containers/storage": bootc-image-builder reads only /var/lib/containers/storage.',
        'fails with "database configuration mismatch" (https://github.com/osbuild/bootc-image-builder/issues/984)',
        'Remove the option',
      );
    });

    // The offline base, like Fedora's, declares no root filesystem: without the generated declaration
    // the builder would stop ("missing required info: DefaultRootFs"); bootc-convert stops first.
    test('an image that declares no root filesystem and no rootfs option: refused before the builder, naming both fixes', () => {
      const declaration = `images/${P}/rootfs/usr/lib/bootc/install/80-rootfs.toml`;
      const kept = readText(workspace, declaration);
      rmSync(join(workspace, declaration));
      try {
        const built = convert(['--types=qcow2', '--skip-nx-cache']);
        expectFailure(built, 'declares no root filesystem', 'missing required info: DefaultRootFs', 'rootfs/usr/lib/bootc/install/80-rootfs.toml', 'or set rootfs (xfs, ext4 or btrfs)');
        expect(checksums()).toEqual(disks);
        expect(leftoverStaging()).toEqual([]);
        // The option stands in for the declaration.
        const since = new Date();
        const withOption = convert(['--types=qcow2', '--rootfs=ext4', '--skip-nx-cache']);
        if (withOption.status !== 0) throw new Error(describeFailure(withOption));
        expect(builderContainersSince(since)).toHaveLength(1);
        expect(artifactsJson().rootfs).toBe('ext4');
      } finally {
        writeFile(workspace, declaration, kept);
      }
      convertOk(['--types=qcow2']);
      disks = checksums();
    });

    // bootc-build labels every image it makes containers.bootc=1, so an unlabelled image reaches
    // bootc-convert only through a record written by another build: this one is written by hand, for
    // an image built FROM scratch without the label, and the build task is left out.
    test('an image without the label containers.bootc=1: refused as not a bootc image', () => {
      const context = mkdtempSync(join(tempRoot, 'plain-'));
      writeFileSync(join(context, 'Containerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n');
      writeFileSync(join(context, 'hello.txt'), 'not a bootc image\n');
      const ref = `localhost/${REPOSITORY_PART}/plain:latest`;
      podman(['build', '--quiet', '--tag', ref, context]);
      const plainId = imageId(ref);
      builtIds.add(plainId);
      expect(podman(['image', 'inspect', '--format', '{{index .Config.Labels "containers.bootc"}}', plainId])).toMatch(/^(<no value>)?$/);

      nxOk(workspace, ['g', 'immutable-os:image', PLAIN, '--base', ref, '--image', `localhost/${REPOSITORY_PART}/plain`, '--no-interactive']);
      writeFile(
        workspace,
        `dist/images/${PLAIN}/image.json`,
        `${JSON.stringify({
          project: PLAIN,
          image: `localhost/${REPOSITORY_PART}/plain`,
          refs: [ref],
          imageId: plainId,
          engine: 'podman',
          engineVersion: podman(['version', '--format', '{{.Client.Version}}']),
          platforms: [],
          containerfile: `images/${PLAIN}/Containerfile`,
          containerfileSha256: createHash('sha256').update(readText(workspace, `images/${PLAIN}/Containerfile`)).digest('hex'),
          baseImages: [],
          labels: {},
          created: new Date().toISOString(),
        })}\n`,
      );
      const since = new Date();
      const result = nx(workspace, ['run', `${PLAIN}:bootc-convert`, '--excludeTaskDependencies', '--outputStyle=static']);
      expectRefused(
        result,
        since,
        `The image ${ref} has no label containers.bootc=1 (found none): bootc-image-builder only converts bootc images. Build FROM a bootc base, or add LABEL containers.bootc=1.`,
      );
      expect(exists(workspace, `dist/disks/${PLAIN}`)).toBe(false);
      rmSync(context, { recursive: true, force: true });
    });
  });
});
