import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { readJson, updateJson, writeFile } from './utils/files';
import { commitAll } from './utils/git';
import { affectedProjects, nx, nxOk } from './utils/nx';
import { imageIdsNamed, removeImages, runInImage } from './utils/podman';
import { describeFailure, output, runOk, type RunResult } from './utils/run';
import { stripAnsi, taskStatusMap } from './utils/task-status';

// Issue 13, "OS families", first part: Containerfile.in. Two images of one family built from
// Containerfile.in files that share fragments through cpp's #include, one of them with
// -DNVIDIA (podman's --cpp-flag). bootc-lint, the graph and bootc-build read the same resolved
// text, so a change to a fragment used only under `#if defined(NVIDIA)` affects and rebuilds the
// NVIDIA image only, and one used by both rebuilds both. Real podman, real cpp, the offline base.
const { repoRoot } = readE2eContext();
const workspace = specWorkspace('families');
const suffix = randomBytes(4).toString('hex');
const BASE_IMAGE = 'localhost/bootc-mini:latest';
const FAMILY = ['main', 'nvidia'] as const;
type Member = (typeof FAMILY)[number];

function repository(member: Member): string {
  return `localhost/family-${member}-${suffix}`;
}

// The two members' file: the same text; the NVIDIA member builds it with -DNVIDIA.
const CONTAINERFILE_IN = [
  `ARG BASE_IMAGE=${BASE_IMAGE}`,
  'FROM ${BASE_IMAGE}',
  'LABEL containers.bootc=1',
  '#include "shared/family/common.inc"',
  '#if defined(NVIDIA)',
  '#include "shared/family/nvidia.inc"',
  '#endif',
  'RUN bootc container lint',
  '',
].join('\n');

function fragment(name: string, version: string): string {
  return `RUN mkdir -p /usr/share/family && echo "${name} ${version}" > /usr/share/family/${name}\n`;
}

function run(args: readonly string[]): RunResult {
  const result = nx(workspace, [...args, '--outputStyle=static']);
  if (result.status !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${describeFailure(result)}`);
  return result;
}

function builds(result: RunResult): Record<string, string> {
  const statuses = taskStatusMap(output(result));
  return Object.fromEntries(FAMILY.map((m) => [m, statuses[`${m}:bootc-build`]]));
}

function affected(): string[] {
  return affectedProjects(workspace);
}

function read(member: Member, file: string): string {
  return runInImage(`${repository(member)}:latest`, ['sh', '-c', `cat /usr/share/family/${file} 2>/dev/null || echo none`]);
}

beforeAll(() => {
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 });
  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  for (const member of FAMILY) {
    nxOk(workspace, ['g', 'immutable-os:image', member, '--base', BASE_IMAGE, '--image', repository(member), '--no-interactive']);
    rmSync(join(workspace, `images/${member}/Containerfile`));
    writeFile(workspace, `images/${member}/Containerfile.in`, CONTAINERFILE_IN);
  }
  updateJson(workspace, 'images/nvidia/project.json', (json) => ({ ...json, targets: { ...json.targets, 'bootc-build': { options: { cppFlags: ['-DNVIDIA'] } } } }));
  writeFile(workspace, 'shared/family/common.inc', fragment('common', 'v1'));
  writeFile(workspace, 'shared/family/nvidia.inc', fragment('nvidia', 'v1'));
  commitAll(workspace, 'A family of two from Containerfile.in: main, and nvidia with -DNVIDIA');
}, 5 * 60 * 1000);

afterAll(() => {
  const left = removeImages(imageIdsNamed(suffix).reverse());
  if (left.length > 0) console.warn(`[e2e] could not remove these test images: ${left.join(', ')}`);
}, 5 * 60 * 1000);

describe('a family from Containerfile.in', () => {
  test('each member builds what cpp makes of the file with its own flags; bootc-lint passes on both', () => {
    run(['run-many', '-t', 'bootc-lint']);
    expect(builds(run(['run-many', '-t', 'bootc-build']))).toEqual({ main: 'ran', nvidia: 'ran' });
    expect([read('main', 'common'), read('main', 'nvidia')]).toEqual(['common v1', 'none']);
    expect([read('nvidia', 'common'), read('nvidia', 'nvidia')]).toEqual(['common v1', 'nvidia v1']);
    expect(readJson(workspace, 'dist/images/nvidia/image.json').containerfile).toBe('images/nvidia/Containerfile.in');
  });

  test('a fragment included only under #if defined(NVIDIA): only the NVIDIA member is affected and rebuilt', () => {
    writeFile(workspace, 'shared/family/nvidia.inc', fragment('nvidia', 'v2'));
    commitAll(workspace, 'nvidia fragment v2');
    expect(affected()).toEqual(['nvidia']);
    expect(builds(run(['affected', '-t', 'bootc-build', '--base=HEAD~1', '--head=HEAD']))).toEqual({ main: undefined, nvidia: 'ran' });
    expect(builds(run(['run-many', '-t', 'bootc-build']))).toEqual({ main: 'cache', nvidia: 'cache' });
    expect(read('nvidia', 'nvidia')).toBe('nvidia v2');
  });

  test('a fragment both include: both are affected and rebuilt', () => {
    writeFile(workspace, 'shared/family/common.inc', fragment('common', 'v2'));
    commitAll(workspace, 'common fragment v2');
    expect(affected()).toEqual(['main', 'nvidia']);
    expect(builds(run(['affected', '-t', 'bootc-build', '--base=HEAD~1', '--head=HEAD']))).toEqual({ main: 'ran', nvidia: 'ran' });
    expect([read('main', 'common'), read('nvidia', 'common')]).toEqual(['common v2', 'common v2']);
  });

  test('a missing #include fails lint and build with cpp\'s message naming the file, and changes nothing', () => {
    const before = readJson(workspace, 'dist/images/main/image.json');
    writeFile(workspace, 'images/main/Containerfile.in', `${CONTAINERFILE_IN}#include "shared/family/gone.inc"\n`);
    for (const target of ['bootc-lint', 'bootc-build']) {
      const failed = nx(workspace, ['run', `main:${target}`, '--outputStyle=static']);
      expect(failed.status).not.toBe(0);
      expect(stripAnsi(output(failed))).toMatch(/images\/main\/Containerfile\.in: cpp failed \(exit code 1\):\s+images\/main\/Containerfile\.in:\d+:\d+: fatal error: shared\/family\/gone\.inc: No such file or directory/);
    }
    expect(readJson(workspace, 'dist/images/main/image.json')).toEqual(before);
    writeFile(workspace, 'images/main/Containerfile.in', CONTAINERFILE_IN);
  });
});
