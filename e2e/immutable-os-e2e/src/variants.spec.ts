import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { parse } from 'yaml';
import { readJson, readText, updateJson, writeFile } from './utils/files';
import { commitAll, workTreeChanges } from './utils/git';
import { affectedProjects, nx, nxOk } from './utils/nx';
import { imageIdsNamed, podman, removeImages, runInImage } from './utils/podman';
import { startRegistry, type Registry } from './utils/registry';
import { describeFailure, output, runOk, type RunResult } from './utils/run';
import { taskStatusMap } from './utils/task-status';

// Issue 13, "OS families": a family of 2 flavors × 3 streams declared as variants of one
// Containerfile.in (nvidia with -DNVIDIA), and a derived family (dx) built FROM the base family's
// variant of the same flavor and stream, matched by its image reference (repository and tag).
// Precision and recall of builder runs (bootc-build tasks that ran, in a run of all of them) for:
// the shared file (all), a fragment used only under `#if defined(NVIDIA)` (the nvidia variants
// and their dx), one pin bump in image-versions.yml (the variants on that base and their dx), an
// added axis value (only the new cells). Real podman, real cpp, the offline base pushed to a real
// registry under two tags, pinned by digest with nx g immutable-os:update-pins (skopeo).
const { repoRoot, tempRoot } = readE2eContext();
const workspace = specWorkspace('variants');
const suffix = randomBytes(4).toString('hex');
const BASE_IMAGE = 'localhost/bootc-mini:latest';

const BASE_FILE = [
  `ARG BASE_IMAGE=${BASE_IMAGE}`,
  'FROM ${BASE_IMAGE}',
  'ARG STREAM',
  'LABEL containers.bootc=1',
  'RUN mkdir -p /usr/share/family && echo "${STREAM}" > /usr/share/family/stream',
  '#include "shared.inc"',
  '#if defined(NVIDIA)',
  '#include "nvidia.inc"',
  '#endif',
  'RUN bootc container lint',
  '',
].join('\n');

const DX_FILE = ['ARG FLAVOR', 'ARG STREAM', `FROM localhost/fam-base-\${FLAVOR}-${suffix}:\${STREAM}`, 'RUN echo dx > /usr/share/family/dx', 'RUN bootc container lint', ''].join('\n');

function fragment(name: string, version: string): string {
  return `RUN echo "${name} ${version}" > /usr/share/family/${name}\n`;
}

let registry: Registry;
// Stream s1 builds on the registry's mini:one, the others on mini:two; both pinned in image-versions.yml.
function baseMatrix(streams: string[]) {
  return {
    name: 'base-{flavor}-{stream}',
    image: `localhost/fam-base-{flavor}-${suffix}`,
    tags: ['{stream}'],
    buildArgs: { STREAM: '{stream}' },
    options: { 'bootc-build': { tlsVerify: false } },
    axes: {
      flavor: { main: {}, nvidia: { cppFlags: ['-DNVIDIA'] } },
      stream: Object.fromEntries(streams.map((s) => [s, { buildArgs: { BASE_IMAGE: `${registry.host}/mini-${suffix}:${s === 's1' ? 'one' : 'two'}` } }])),
    },
  };
}

const DX_MATRIX = {
  name: 'dx-{flavor}-{stream}',
  image: `localhost/fam-dx-{flavor}-${suffix}`,
  tags: ['{stream}'],
  buildArgs: { FLAVOR: '{flavor}', STREAM: '{stream}' },
  axes: { flavor: ['main', 'nvidia'], stream: ['s1'] },
};

const cells = (family: string, flavors: string[], streams: string[]) => flavors.flatMap((f) => streams.map((s) => `${family}-${f}-${s}`));
const BASE = cells('base', ['main', 'nvidia'], ['s1', 's2', 's3']);
const DX = cells('dx', ['main', 'nvidia'], ['s1']);

function run(args: readonly string[]): RunResult {
  const result = nx(workspace, [...args, '--outputStyle=static']);
  if (result.status !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${describeFailure(result)}`);
  return result;
}

/** The variants whose bootc-build ran (the builder ran) in a run of every bootc-build, sorted. */
function builderRuns(): string[] {
  const statuses = taskStatusMap(output(run(['run-many', '-t', 'bootc-build'])));
  return Object.entries(statuses)
    .filter(([task, status]) => task.endsWith(':bootc-build') && status === 'ran')
    .map(([task]) => task.replace(/:bootc-build$/, ''))
    .sort();
}

function read(ref: string, file: string): string {
  return runInImage(ref, ['sh', '-c', `cat /usr/share/family/${file} 2>/dev/null || echo none`]);
}

beforeAll(async () => {
  registry = await startRegistry(join(tempRoot, `registry-variants-${suffix}`));
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 });
  for (const tag of ['one', 'two']) podman(['push', '--tls-verify=false', BASE_IMAGE, `${registry.host}/mini-${suffix}:${tag}`]);
  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  for (const [family, file, matrix] of [
    ['base', BASE_FILE, baseMatrix(['s1', 's2', 's3'])],
    ['dx', DX_FILE, DX_MATRIX],
  ] as const) {
    nxOk(workspace, ['g', 'immutable-os:image', family, '--base', BASE_IMAGE, '--no-interactive']);
    rmSync(join(workspace, `images/${family}/Containerfile`));
    writeFile(workspace, `images/${family}/Containerfile.in`, file);
    updateJson(workspace, `images/${family}/project.json`, (json) => ({ ...json, metadata: { 'immutable-os': { variants: matrix } } }));
  }
  writeFile(workspace, 'images/base/shared.inc', fragment('shared', 'v1'));
  writeFile(workspace, 'images/base/nvidia.inc', fragment('nvidia', 'v1'));
  nxOk(workspace, ['g', 'immutable-os:update-pins', `--add=one=${registry.host}/mini-${suffix}:one`, `--add=two=${registry.host}/mini-${suffix}:two`, '--tlsVerify=false', '--no-interactive']);
  commitAll(workspace, 'Two families: base (2 flavors × 3 streams) and dx FROM it');
}, 5 * 60 * 1000);

afterAll(async () => {
  const left = removeImages(imageIdsNamed(suffix).reverse());
  if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
  await registry?.stop();
}, 5 * 60 * 1000);

describe('variants', () => {
  test('every cell is a project with its own targets; dx variants depend on the base variant of their flavor and stream', () => {
    const projects = JSON.parse(nxOk(workspace, ['show', 'projects', '--json']).stdout) as string[];
    expect(projects.sort()).toEqual(['base', ...BASE, 'dx', ...DX].sort());
    const graph = JSON.parse(nxOk(workspace, ['graph', '--file=stdout']).stdout) as { graph: { dependencies: Record<string, Array<{ target: string; type: string }>> } };
    const deps = (name: string) => graph.graph.dependencies[name].map((d) => d.target).sort();
    expect(deps('dx-nvidia-s1')).toEqual(['base-nvidia-s1', 'dx']);
    expect(deps('dx-main-s1')).toEqual(['base-main-s1', 'dx']);
    expect(deps('base-nvidia-s2')).toEqual(['base']);
    const shown = JSON.parse(nxOk(workspace, ['show', 'project', 'base-nvidia-s2', '--json']).stdout) as { root: string; tags: string[]; targets: Record<string, { options: Record<string, unknown> }> };
    expect(shown.root).toBe('images/base/.variants/base-nvidia-s2');
    expect(shown.tags).toEqual(['os-image', 'family:base', 'flavor:nvidia', 'stream:s2']);
    expect(shown.targets['bootc-build'].options).toMatchObject({ cppFlags: ['-DNVIDIA'], buildArgs: { STREAM: 's2' }, tags: ['s2'] });
  });

  test('each variant lints clean and builds its own image; dx builds on the base variant it names', () => {
    run(['run-many', '-t', 'bootc-lint']);
    expect(builderRuns()).toEqual([...BASE, ...DX].sort());
    expect(read(`localhost/fam-base-nvidia-${suffix}:s2`, 'stream')).toBe('s2');
    expect(read(`localhost/fam-base-nvidia-${suffix}:s2`, 'nvidia')).toBe('nvidia v1');
    expect(read(`localhost/fam-base-main-${suffix}:s3`, 'nvidia')).toBe('none');
    expect(read(`localhost/fam-dx-nvidia-${suffix}:s1`, 'nvidia')).toBe('nvidia v1');
    const record = readJson(workspace, 'dist/images/dx-nvidia-s1/image.json');
    expect(record.baseImages).toContainEqual(expect.objectContaining({ project: 'base-nvidia-s1' }));
    expect(record.containerfile).toBe('images/dx/Containerfile.in');
    expect(builderRuns()).toEqual([]);
  });

  test('a fragment included only under #if defined(NVIDIA): the nvidia variants and their dx rebuild, nothing else', () => {
    writeFile(workspace, 'images/base/nvidia.inc', fragment('nvidia', 'v2'));
    commitAll(workspace, 'nvidia fragment v2');
    expect(builderRuns()).toEqual(['base-nvidia-s1', 'base-nvidia-s2', 'base-nvidia-s3', 'dx-nvidia-s1']);
    expect(read(`localhost/fam-dx-nvidia-${suffix}:s1`, 'nvidia')).toBe('nvidia v2');
  });

  test('the shared file: every variant of both families rebuilds', () => {
    writeFile(workspace, 'images/base/Containerfile.in', BASE_FILE.replace('RUN bootc container lint', 'RUN echo v2 > /usr/share/family/base\nRUN bootc container lint'));
    commitAll(workspace, 'base Containerfile.in v2');
    expect(affectedProjects(workspace)).toEqual(['base', ...BASE, ...DX].sort());
    expect(builderRuns()).toEqual([...BASE, ...DX].sort());
  });

  test('one pin bump: the variants on that base and their dx rebuild on the new digest, nothing else', () => {
    const pinsBefore = parse(readText(workspace, 'image-versions.yml')).images as Array<{ name: string; digest: string }>;
    // A new image under mini:one in the registry; mini:two does not move.
    const bumped = `${registry.host}/mini-${suffix}:one`;
    writeFile(workspace, '../bump-' + suffix + '/Containerfile', `FROM ${BASE_IMAGE}\nRUN mkdir -p /usr/share/family && echo bumped > /usr/share/family/bumped\n`);
    podman(['build', '--tag', bumped, join(workspace, '..', `bump-${suffix}`)]);
    podman(['push', '--tls-verify=false', bumped]);
    nxOk(workspace, ['g', 'immutable-os:update-pins', '--tlsVerify=false', '--no-interactive']);
    const pinsAfter = parse(readText(workspace, 'image-versions.yml')).images as Array<{ name: string; digest: string }>;
    expect(pinsAfter.find((p) => p.name === 'two')?.digest).toBe(pinsBefore.find((p) => p.name === 'two')?.digest);
    expect(pinsAfter.find((p) => p.name === 'one')?.digest).not.toBe(pinsBefore.find((p) => p.name === 'one')?.digest);
    commitAll(workspace, 'pin bump: mini:one');
    expect(builderRuns()).toEqual(['base-main-s1', 'base-nvidia-s1', 'dx-main-s1', 'dx-nvidia-s1']);
    expect(read(`localhost/fam-dx-nvidia-${suffix}:s1`, 'bumped')).toBe('bumped');
    expect(read(`localhost/fam-base-main-${suffix}:s2`, 'bumped')).toBe('none');
    const record = readJson(workspace, 'dist/images/base-main-s1/image.json');
    expect(record.baseImages[0].ref).toBe(`${bumped}@${pinsAfter.find((p) => p.name === 'one')?.digest}`);
    // Nothing moved since: the lock file is not touched.
    nxOk(workspace, ['g', 'immutable-os:update-pins', '--tlsVerify=false', '--no-interactive']);
    expect(workTreeChanges(workspace)).toBe('');
  });

  test('an added axis value (nx g immutable-os:variants): only the new cells build, every other variant is a cache hit', () => {
    nxOk(workspace, ['g', 'immutable-os:variants', 'base', '--axis=stream=s4', '--no-interactive']);
    expect(readJson(workspace, 'images/base/project.json').metadata['immutable-os'].variants.axes.stream.s4).toEqual({});
    commitAll(workspace, 'base: stream s4');
    expect(builderRuns()).toEqual(['base-main-s4', 'base-nvidia-s4']);
    expect(read(`localhost/fam-base-main-${suffix}:s4`, 'stream')).toBe('s4');
  });

  test('a bad matrix fails naming the project.json, the key and the value', () => {
    updateJson(workspace, 'images/dx/project.json', (json) => ({ ...json, metadata: { 'immutable-os': { variants: { ...DX_MATRIX, exclude: [{ flavour: 'main' }] } } } }));
    const failed = nx(workspace, ['show', 'projects']);
    expect(failed.status).not.toBe(0);
    expect(output(failed)).toContain('images/dx/project.json: metadata["immutable-os"].variants.exclude[0].flavour: "flavour" is not an axis of this matrix (flavor, stream).');
    updateJson(workspace, 'images/dx/project.json', (json) => ({ ...json, metadata: { 'immutable-os': { variants: DX_MATRIX } } }));
  });
});
