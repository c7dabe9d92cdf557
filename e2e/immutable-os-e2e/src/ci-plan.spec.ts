import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readText, updateJson, writeFile } from './utils/files';
import { commitAll } from './utils/git';
import { nx, nxOk } from './utils/nx';
import { describeFailure, output, runOk } from './utils/run';

// The command the generated pipeline computes its matrix with (`immutable-os ci-plan`, the
// package's bin), run in a real workspace after real commits: a base on bootc-mini, two flavors
// FROM it, and an ARM-marked flavor FROM flavor-a. It lists exactly the affected image projects, in
// waves that respect FROM order, with each project's runner and platforms.
const workspace = specWorkspace('ci-plan');
const suffix = randomBytes(4).toString('hex');

interface Plan {
  affected: string[];
  waves: Array<Array<{ project: string; runner: string[]; platforms: string[] }>>;
  depth: number;
}

function plan(args: string[] = ['--base=HEAD~1', '--head=HEAD']): Plan {
  const bin = join(workspace, 'node_modules', '.bin', 'immutable-os');
  return JSON.parse(runOk(bin, ['ci-plan', ...args], { cwd: workspace, env: childEnv({ NX_DAEMON: 'false' }), timeoutMs: 120_000 }).stdout) as Plan;
}

const waves = (p: Plan) => p.waves.map((w) => w.map((e) => e.project));
const marker = (project: string, text: string) => writeFile(workspace, `images/${project}/rootfs/usr/share/${project}/marker`, `${text}\n`);

beforeAll(() => {
  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'base', '--base', 'localhost/bootc-mini:latest', '--image', `localhost/plan-${suffix}/base`, '--no-interactive']);
  for (const flavor of ['flavor-a', 'flavor-b']) nxOk(workspace, ['g', 'immutable-os:image', flavor, '--from', 'base', '--image', `localhost/plan-${suffix}/${flavor}`, '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', 'arm', '--from', 'flavor-a', '--image', `localhost/plan-${suffix}/arm`, '--no-interactive']);
  updateJson(workspace, 'images/arm/project.json', (json) => ({
    ...json,
    metadata: { ...json.metadata, 'immutable-os': { ...json.metadata?.['immutable-os'], ci: { runner: 'ubuntu-24.04-arm' } } },
    targets: { ...json.targets, 'bootc-build': { options: { platforms: ['linux/arm64'] } } },
  }));
  commitAll(workspace, 'base, flavor-a and flavor-b FROM it, arm FROM flavor-a on ARM runners');
}, 5 * 60 * 1000);

describe('immutable-os ci-plan', () => {
  test('--all: every image in FROM order; the workspace needs three wave jobs', () => {
    const all = plan(['--all']);
    expect(waves(all)).toEqual([['base'], ['flavor-a', 'flavor-b'], ['arm']]);
    expect(all.depth).toBe(3);
    expect(all.waves[2]).toEqual([{ project: 'arm', runner: ['ubuntu-24.04-arm'], platforms: ['linux/arm64'] }]);
  });

  test('--gitlab-child: the GitLab child pipeline, a job per project needing the jobs of its bases, on its runner tags', () => {
    const bin = join(workspace, 'node_modules', '.bin', 'immutable-os');
    runOk(bin, ['ci-plan', '--all', '--gitlab-child=child.yml'], { cwd: workspace, env: childEnv({ NX_DAEMON: 'false' }), timeoutMs: 120_000 });
    const child = parse(readFileSync(join(workspace, 'child.yml'), 'utf8'));
    expect(Object.keys(child)).toEqual(['include', 'os-image:base', 'os-image:flavor-a', 'os-image:flavor-b', 'os-image:arm']);
    expect(child['os-image:arm']).toEqual({ extends: '.os-image', variables: { PROJECT: 'arm' }, needs: ['os-image:flavor-a'], tags: ['ubuntu-24.04-arm'] });
    expect(child['os-image:flavor-b'].needs).toEqual(['os-image:base']);
    expect(child['os-image:base'].needs).toEqual([]);
  });

  test('a change to the base: all four, base first, arm after flavor-a', () => {
    marker('base', 'base v2');
    commitAll(workspace, 'base v2');
    const p = plan();
    expect(p.affected).toEqual(['arm', 'base', 'flavor-a', 'flavor-b']);
    expect(waves(p)).toEqual([['base'], ['flavor-a', 'flavor-b'], ['arm']]);
  });

  test('a change to flavor-a: flavor-a, then arm; base and flavor-b are not listed', () => {
    marker('flavor-a', 'flavor-a v2');
    commitAll(workspace, 'flavor-a v2');
    expect(waves(plan())).toEqual([['flavor-a'], ['arm']]);
  });

  test('a change to flavor-b only: one wave of one', () => {
    marker('flavor-b', 'flavor-b v2');
    commitAll(workspace, 'flavor-b v2');
    expect(waves(plan())).toEqual([['flavor-b']]);
  });

  test('a commit that touches no image: no wave, and the GitHub outputs say so', () => {
    writeFile(workspace, 'docs/notes.md', 'notes\n');
    commitAll(workspace, 'docs only');
    expect(plan()).toMatchObject({ affected: [], waves: [] });
    const outputFile = join(workspace, 'github-output.txt');
    writeFileSync(outputFile, '');
    const bin = join(workspace, 'node_modules', '.bin', 'immutable-os');
    runOk(bin, ['ci-plan', '--base=HEAD~1', '--head=HEAD', '--github-output', '--wave-jobs=3'], { cwd: workspace, env: childEnv({ NX_DAEMON: 'false', GITHUB_OUTPUT: outputFile }), timeoutMs: 120_000 });
    expect(readFileSync(outputFile, 'utf8')).toBe('any=false\naffected=[]\nwaves=[]\nwave0=[]\nwave1=[]\nwave2=[]\n');
  });
});

describe('the generated pipeline stays true (nx sync, nx sync:check)', () => {
  const WORKFLOW = '.github/workflows/os-images.yml';

  test('a pipeline with fewer wave jobs than the FROM chain is out of sync; nx sync gives it the waves the workspace needs', () => {
    nxOk(workspace, ['g', 'immutable-os:ci', '--provider=github', '--fanOut', '--waves=2', '--no-interactive']);
    commitAll(workspace, 'CI: fan-out with two waves');
    const stale = nx(workspace, ['sync:check']);
    if (stale.status === 0) throw new Error(`Expected nx sync:check to fail: arm is three images deep:\n${describeFailure(stale)}`);
    expect(output(stale)).toContain('The CI pipeline is not what nx g immutable-os:ci writes for this workspace now: run nx sync to rewrite it');
    nxOk(workspace, ['sync']);
    expect(readText(workspace, WORKFLOW)).toContain('--wave-jobs=3');
    expect(readText(workspace, WORKFLOW)).toContain('  wave-2:');
    commitAll(workspace, 'nx sync');
    nxOk(workspace, ['sync:check']);
  });

  test('a hand edit fails nx sync:check, naming the line; nx sync writes the generated pipeline again', () => {
    const generated = readText(workspace, WORKFLOW);
    writeFile(workspace, WORKFLOW, generated.replace('--default-runner=ubuntu-24.04', '--default-runner=my-runner'));
    const edited = nx(workspace, ['sync:check']);
    if (edited.status === 0) throw new Error(`Expected nx sync:check to fail on a hand edit:\n${describeFailure(edited)}`);
    expect(output(edited)).toMatch(/\.github\/workflows\/os-images\.yml:\d+: the file has ".*--default-runner=my-runner.*", the generator writes ".*--default-runner=ubuntu-24\.04.*"/);
    nxOk(workspace, ['sync']);
    expect(readText(workspace, WORKFLOW)).toBe(generated);
  });
});
