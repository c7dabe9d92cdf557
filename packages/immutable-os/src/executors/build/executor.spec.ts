import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { fakeId, installFakeEngines, type FakeEngines } from '../../testing/fake-engine';
import { createTestWorkspace, executorContext, imageRecord, writeImageRecord, type TestWorkspace } from '../../testing/test-workspace';
import type { ImageRecord } from '../../utils/image-record';
import buildExecutor from './executor';

const FEDORA = 'quay.io/fedora/fedora-bootc:42';
const FEDORA_ID = fakeId('fedora-bootc');
const BUILT_ID = fakeId('edge-node build');
const EDGE_CONTAINERFILE = `FROM ${FEDORA}\nRUN bootc container lint\n`;

describe('bootc-build executor', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  let log: jest.SpyInstance;

  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({
      'images/edge-node/Containerfile': EDGE_CONTAINERFILE,
      'images/flavor/Containerfile': 'ARG BASE=localhost/edge-node:latest\nFROM ${BASE}\nRUN touch /etc/flavor\n',
    });
    fake = installFakeEngines({
      versions: { podman: '5.2.1' },
      state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID }, buildImageId: BUILT_ID },
    });
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    log.mockRestore();
    fake.restore();
    ws.cleanup();
  });

  const context = (projectName = 'edge-node'): ExecutorContext =>
    executorContext(ws.root, projectName, { 'edge-node': { root: 'images/edge-node' }, flavor: { root: 'images/flavor' } }, { dependencies: { flavor: ['edge-node'] } });
  const record = (project = 'edge-node'): ImageRecord => JSON.parse(ws.read(`dist/images/${project}/image.json`));
  const argv = () => fake.calls().map((c) => c.args);
  const build = () => fake.calls().find((c) => c.args[0] === 'build');
  const leftovers = () => readdirSync(join(ws.root, 'dist/images')).filter((name) => name.startsWith('.'));

  describe('reproducible image IDs: the commit\'s time stamps the image', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, env: { ...process.env, GIT_COMMITTER_DATE: '2026-03-04T05:06:07Z', GIT_AUTHOR_DATE: '2026-03-04T05:06:07Z' } });
    const commit = () => {
      git('init', '--quiet');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'fleet');
    };
    const EPOCH = String(Date.parse('2026-03-04T05:06:07Z') / 1000);
    // The build reads the commit with git, which the fake's PATH then has to hold.
    beforeEach(() => {
      fake.restore();
      fake = installFakeEngines({ versions: { podman: '5.2.1' }, hostPrograms: ['git'], state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID }, buildImageId: BUILT_ID } });
    });
    const flag = (name: string) => build()!.args[build()!.args.indexOf(name) + 1];

    test('in git: --timestamp is HEAD\'s commit time, and the created label, the record and {date} follow it', async () => {
      commit();
      await buildExecutor({ tags: ['{date}'] }, context());
      expect(flag('--timestamp')).toBe(EPOCH);
      expect(build()!.args).toContain('org.opencontainers.image.created=2026-03-04T05:06:07Z');
      expect(record()).toMatchObject({ created: '2026-03-04T05:06:07Z', refs: ['localhost/edge-node:20260304'] });
      expect(record()).not.toHaveProperty('builtAt');
    });

    test('two builds of one commit write byte-identical records (dependents hash image.json)', async () => {
      commit();
      await buildExecutor({}, context());
      const first = ws.read('dist/images/edge-node/image.json');
      await buildExecutor({}, context());
      expect(ws.read('dist/images/edge-node/image.json')).toBe(first);
    });

    test('SOURCE_DATE_EPOCH set by the user wins over the commit', async () => {
      commit();
      process.env.SOURCE_DATE_EPOCH = '1700000000';
      try {
        await buildExecutor({}, context());
      } finally {
        delete process.env.SOURCE_DATE_EPOCH;
      }
      expect(flag('--timestamp')).toBe('1700000000');
      expect(record().created).toBe('2023-11-14T22:13:20Z');
    });

    test('docker gets SOURCE_DATE_EPOCH as a build arg (BuildKit\'s convention)', async () => {
      commit();
      fake.restore();
      fake = installFakeEngines({ versions: { docker: '27.0.3' }, hostPrograms: ['git'], state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID } } });
      await buildExecutor({ engine: 'docker' }, context());
      expect(build()!.args).toContain(`SOURCE_DATE_EPOCH=${EPOCH}`);
      expect(build()!.args).not.toContain('--timestamp');
    });
  });

  test('builds and records the image in dist/images/<project>/image.json', async () => {
    expect(await buildExecutor({ tags: ['latest', '1.0'], labels: { team: 'os' } }, context())).toEqual({ success: true });

    const iidfile = build()?.args[build()!.args.indexOf('--iidfile') + 1] as string;
    expect(iidfile).toMatch(/\/immutable-os-build-\w+\/iid$/);
    expect(existsSync(dirname(iidfile))).toBe(false);
    expect(argv()).toEqual([
      ['--version'],
      [
        'build',
        '--file',
        join(ws.root, 'images/edge-node/Containerfile'),
        '--tag',
        'localhost/edge-node:latest',
        '--tag',
        'localhost/edge-node:1.0',
        '--label',
        'org.opencontainers.image.title=edge-node',
        '--label',
        expect.stringMatching(/^org\.opencontainers\.image\.created=\d{4}-\d\d-\d\dT/),
        '--label',
        'team=os',
        '--label',
        'containers.bootc=1',
        '--pull=missing',
        '--iidfile',
        iidfile,
        join(ws.root, 'images/edge-node'),
      ],
      ['image', 'inspect', '--format', '{{.Id}}', FEDORA],
    ]);
    const written = record();
    expect(written).toEqual({
      project: 'edge-node',
      image: 'localhost/edge-node',
      refs: ['localhost/edge-node:latest', 'localhost/edge-node:1.0'],
      imageId: BUILT_ID,
      engine: 'podman',
      engineVersion: '5.2.1',
      platforms: [],
      containerfile: 'images/edge-node/Containerfile',
      containerfileSha256: createHash('sha256').update(EDGE_CONTAINERFILE).digest('hex'),
      baseImages: [{ ref: FEDORA, imageId: FEDORA_ID }],
      labels: {
        'org.opencontainers.image.title': 'edge-node',
        'org.opencontainers.image.created': written.created,
        team: 'os',
        'containers.bootc': '1',
      },
      // No git here: the clock, and no --timestamp (such a build is not reproducible).
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(readdirSync(join(ws.root, 'dist/images/edge-node'))).toEqual(['image.json']);
    expect(log).toHaveBeenCalledWith(`Built localhost/edge-node:latest, localhost/edge-node:1.0 (${BUILT_ID.slice(0, 12)}) with podman 5.2.1.`);
  });

  test('buildah, several platforms: built without --iidfile (buildah refuses it for a list), the manifest list\'s ID read from its listing', async () => {
    fake.restore();
    fake = installFakeEngines({ versions: { buildah: '1.28.2' }, state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID }, buildImageId: BUILT_ID } });
    await buildExecutor({ engine: 'buildah', platform: ['linux/amd64', 'linux/arm64'] }, context());
    expect(build()!.args).not.toContain('--iidfile');
    expect(build()!.args).toEqual(expect.arrayContaining(['--manifest', 'localhost/edge-node:latest', '--platform', 'linux/amd64,linux/arm64']));
    expect(record()).toMatchObject({ imageId: BUILT_ID, engine: 'buildah', platforms: ['linux/amd64', 'linux/arm64'] });
  });

  test('archive: true saves the image into the staging folder, and image.json names the archive', async () => {
    await buildExecutor({ archive: true }, context());
    const save = argv().find((a) => a[0] === 'save') as string[];
    expect(save.slice(0, 4)).toEqual(['save', '--format', 'oci-archive', '--output']);
    expect(save[4]).toMatch(new RegExp(`^${join(ws.root, 'dist/images')}/\\.edge-node\\.tmp-\\w+/image\\.oci\\.tar$`));
    expect(save[5]).toBe(BUILT_ID);
    expect(record().archive).toBe('image.oci.tar');
    expect(ws.read('dist/images/edge-node/image.oci.tar')).toBe(`fake-oci-archive ${BUILT_ID}\n`);
    expect(readdirSync(join(ws.root, 'dist/images/edge-node')).sort()).toEqual(['image.json', 'image.oci.tar']);
    expect(leftovers()).toEqual([]);
  });

  test('a failing build leaves the previous image.json untouched; the error has the exit code and the end of stderr', async () => {
    const previous = writeImageRecord(ws.root, imageRecord('edge-node', fakeId('previous')));
    const before = readFileSync(previous);
    const stderr = Array.from({ length: 25 }, (_, i) => `STEP ${i + 1}`).join('\n') + '\nError: building at STEP "RUN bootc container lint": exit status 1';
    fake.update({ rules: [{ args: ['build'], exitCode: 2, stderr }] });

    const error = (await buildExecutor({}, context()).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/^podman build --file \S+ --tag localhost\/edge-node:latest .* failed with exit code 2\.\nLast lines of its output:\n {2}STEP 7\n/);
    expect(error.message).toMatch(/ {2}Error: building at STEP "RUN bootc container lint": exit status 1$/);
    expect(error.message).not.toContain('STEP 6\n');
    expect(readFileSync(previous)).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  test('a flavor is built on the exact image its workspace base recorded, by ID', async () => {
    const BASE_ID = fakeId('edge-node recorded');
    writeImageRecord(ws.root, imageRecord('edge-node', BASE_ID));
    fake.update({ images: [FEDORA_ID, BASE_ID], tags: { [FEDORA]: FEDORA_ID, 'localhost/edge-node:latest': fakeId('an older edge-node') } });

    await buildExecutor({ pull: 'always' }, context('flavor'));

    const call = build()!;
    expect(call.args[2]).not.toBe(join(ws.root, 'images/flavor/Containerfile'));
    expect(call.containerfile).toBe(`ARG BASE=localhost/edge-node:latest\nFROM ${BASE_ID}\nRUN touch /etc/flavor\n`);
    // An ID cannot be pulled: "always" becomes "newer" for the external bases.
    expect(call.args).toContain('--pull=newer');
    expect(argv()).toContainEqual(['tag', BASE_ID, 'localhost/edge-node:latest']);
    expect(record('flavor').baseImages).toEqual([{ ref: 'localhost/edge-node:latest', project: 'edge-node', imageId: BASE_ID }]);
    expect(record('flavor').containerfile).toBe('images/flavor/Containerfile');
  });

  test('inside git, the revision label and {shortSha} come from the commit', async () => {
    fake.restore();
    fake = installFakeEngines({ versions: { podman: '5.2.1' }, state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID }, buildImageId: BUILT_ID }, hostPrograms: ['git'] });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Spec', '-c', 'user.email=spec@example.com', ...args], { cwd: ws.root, encoding: 'utf8' }).trim();
    git('init', '--quiet');
    git('add', '.');
    git('commit', '--quiet', '-m', 'first');
    git('remote', 'add', 'origin', 'https://bot:TOKEN123@github.com/acme/os.git');
    const sha = git('rev-parse', 'HEAD');

    await buildExecutor({ tags: ['{shortSha}'] }, context());
    expect(record().refs).toEqual([`localhost/edge-node:${sha.slice(0, 7)}`]);
    expect(record().labels).toMatchObject({ 'org.opencontainers.image.revision': sha, 'org.opencontainers.image.source': 'https://github.com/acme/os.git' });
    expect(JSON.stringify(fake.calls())).not.toContain('TOKEN123');
  });

  test('docker IDs lose their sha256: prefix', async () => {
    fake.restore();
    fake = installFakeEngines({ versions: { docker: '27.1.0' }, state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID }, buildImageId: BUILT_ID } });
    await buildExecutor({ engine: 'docker' }, context());
    expect(record()).toMatchObject({ imageId: BUILT_ID, engine: 'docker', engineVersion: '27.1.0', baseImages: [{ ref: FEDORA, imageId: FEDORA_ID }] });
  });

  describe('a Containerfile.in (cpp, as podman and buildah run it)', () => {
    const IN = ['FROM quay.io/fedora/fedora-bootc:42', '#if defined(NVIDIA)', '#include "nvidia.inc"', '#endif', 'RUN bootc container lint', ''].join('\n');
    const family = (): ExecutorContext => executorContext(ws.root, 'family', { family: { root: 'images/family' } });
    const engines = (versions: Record<string, string>) => {
      fake.restore();
      fake = installFakeEngines({ versions, hostPrograms: ['cpp'], state: { images: [FEDORA_ID], tags: { [FEDORA]: FEDORA_ID }, buildImageId: BUILT_ID } });
    };
    beforeEach(() => ws.write({ 'images/family/Containerfile.in': IN, 'images/family/nvidia.inc': 'RUN dnf -y install nvidia-driver\n' }));
    const builtLines = () => (build()!.containerfile ?? '').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('# '));

    test('podman gets the .in file itself and --cpp-flag=<flag> per flag; the record hashes the preprocessed text', async () => {
      engines({ podman: '5.2.1' });
      await buildExecutor({ cppFlags: ['-DNVIDIA'] }, family());
      const args = build()!.args;
      expect(args.slice(0, 4)).toEqual(['build', '--file', join(ws.root, 'images/family/Containerfile.in'), '--cpp-flag=-DNVIDIA']);
      expect(record('family')).toMatchObject({ containerfile: 'images/family/Containerfile.in' });
      const preprocessed = execFileSync('cpp', ['-E', '-iquote', join(ws.root, 'images/family'), '-traditional', '-undef', '-DNVIDIA', '-'], { cwd: ws.root, input: IN, encoding: 'utf8' });
      expect(record('family').containerfileSha256).toBe(createHash('sha256').update(preprocessed).digest('hex'));
    });

    test('docker, which has no preprocessor, gets a copy preprocessed with cpp -E and the same flags, and no --cpp-flag', async () => {
      engines({ docker: '27.1.0' });
      await buildExecutor({ engine: 'docker', cppFlags: ['-DNVIDIA'] }, family());
      const args = build()!.args;
      expect(args[2]).not.toBe(join(ws.root, 'images/family/Containerfile.in'));
      expect(args.some((a) => a.startsWith('--cpp-flag'))).toBe(false);
      expect(builtLines()).toEqual(['FROM quay.io/fedora/fedora-bootc:42', 'RUN dnf -y install nvidia-driver', 'RUN bootc container lint']);
    });

    test('without the define, docker\'s copy leaves the #if block out', async () => {
      engines({ docker: '27.1.0' });
      await buildExecutor({ engine: 'docker' }, family());
      expect(builtLines()).toEqual(['FROM quay.io/fedora/fedora-bootc:42', 'RUN bootc container lint']);
    });

    test('cppFlags on a plain Containerfile, or a flag that is no define, are refused before anything runs', async () => {
      engines({ podman: '5.2.1' });
      await expect(buildExecutor({ cppFlags: ['-DNVIDIA'] }, context())).rejects.toThrow(
        'cppFlags: images/edge-node/Containerfile is not a Containerfile.in, so the engine does not run cpp and the flags -DNVIDIA would do nothing. Rename it to images/edge-node/Containerfile.in or remove cppFlags.',
      );
      await expect(buildExecutor({ cppFlags: ['-include/etc/passwd'] }, family())).rejects.toThrow('cppFlags: "-include/etc/passwd" is not a cpp define; use -DNAME, -DNAME=value or -UNAME');
      expect(fake.calls().filter((c) => c.args[0] === 'build')).toEqual([]);
    });
  });

  describe('bootcLint: bootc container lint in the built image, one report with bootc-lint\'s findings', () => {
    const report = () => JSON.parse(ws.read('dist/images/edge-node/lint.json'));
    const lintRun = (answer: { exitCode?: number; stdout: string; stderr?: string }) => fake.update({ rules: [{ args: ['run'], ...answer }] });
    const printed = () => log.mock.calls.map((c) => String(c[0])).join('\n');
    const VAR_RUN = { exitCode: 1, stdout: 'Failed lint: var-run: Not a symlink: var/run\nChecks passed: 12\nChecks skipped: 1', stderr: 'error: Linting: Checks failed: 1' };

    test('off by default: no run, no lint.json', async () => {
      await buildExecutor({}, context());
      expect(argv().filter((a) => a[0] === 'run')).toEqual([]);
      expect(existsSync(join(ws.root, 'dist/images/edge-node/lint.json'))).toBe(false);
    });

    test('passing: runs in the built image by ID, writes lint.json next to image.json and prints the merged report', async () => {
      expect(await buildExecutor({ bootcLint: true }, context())).toEqual({ success: true });
      expect(argv().filter((a) => a[0] === 'run')).toEqual([['run', '--rm', '--network=none', '--pull=never', '--entrypoint', 'bootc', BUILT_ID, 'container', 'lint']]);
      expect(record().imageId).toBe(BUILT_ID);
      const lint = report();
      expect(lint).toMatchObject({ project: 'edge-node', bootcContainerLint: { mode: 'on', runs: [{ status: 'passed', format: 'v1.1.5+' }] } });
      expect(Object.keys(lint)).toEqual(['project', 'findings', 'errors', 'warnings', 'bootcContainerLint']);
      expect(lint.findings.filter((f: { rule: string }) => f.rule === 'bootc-container-lint')).toEqual([]);
      expect(printed()).toMatch(/edge-node/);
    });

    test('a warning is reported and passes; with "strict" (--fatal-warnings) it fails the build, naming the lint', async () => {
      const warning = { stdout: 'Lint warning: var-log: Found non-empty logfiles:\n  /var/log/dnf.log\n\nChecks passed: 12\nChecks skipped: 1\nWarnings: 1' };
      lintRun(warning);
      expect(await buildExecutor({ bootcLint: true }, context())).toEqual({ success: true });
      expect(report().findings).toContainEqual({
        rule: 'bootc-container-lint',
        severity: 'warning',
        file: 'images/edge-node/Containerfile',
        line: 1,
        message: 'Found non-empty logfiles:\n  /var/log/dnf.log',
        fix: expect.stringContaining('bootcLint field'),
        bootcLint: 'var-log',
      });
      lintRun({ ...warning, exitCode: 1, stderr: 'error: Linting: Checks failed: 1' });
      await expect(buildExecutor({ bootcLint: 'strict', bootcLintSkip: ['nonempty-boot'] }, context())).rejects.toThrow(/bootc container lint failed in the built image \(\w{12}\): var-log\./);
      expect(argv().filter((a) => a[0] === 'run').at(-1)).toEqual(['run', '--rm', '--network=none', '--pull=never', '--entrypoint', 'bootc', BUILT_ID, 'container', 'lint', '--fatal-warnings', '--skip', 'nonempty-boot']);
    });

    test('a fatal lint fails the build: lint.json holds it, no image.json (not even the last build\'s), the build\'s tags removed', async () => {
      await buildExecutor({}, context());
      expect(existsSync(join(ws.root, 'dist/images/edge-node/image.json'))).toBe(true);
      lintRun(VAR_RUN);
      const error = await buildExecutor({ bootcLint: true, tags: ['latest', '1.0'] }, context()).catch((e: Error) => e);
      expect((error as Error).message).toBe(
        `bootc container lint failed in the built image (${BUILT_ID.slice(0, 12)}): var-run. The report is dist/images/edge-node/lint.json; no image.json was recorded and the build's tags (localhost/edge-node:latest, localhost/edge-node:1.0) were removed, so nothing pushes, converts or builds on it. Fix what the lints say, or skip one with bootcLintSkip.`,
      );
      expect(readdirSync(join(ws.root, 'dist/images/edge-node'))).toEqual(['lint.json']);
      expect(report()).toMatchObject({ errors: expect.any(Number), bootcContainerLint: { mode: 'on', runs: [{ status: 'failed' }] } });
      expect(report().findings).toContainEqual(expect.objectContaining({ rule: 'bootc-container-lint', severity: 'error', bootcLint: 'var-run', message: 'Not a symlink: var/run' }));
      expect(argv().at(-1)).toEqual(['untag', BUILT_ID, 'localhost/edge-node:latest', 'localhost/edge-node:1.0']);
      expect(fake.state().tags).not.toHaveProperty('localhost/edge-node:latest');
      expect(leftovers()).toEqual([]);
    });

    test('an image without bootc: skipped with a note, the build passes, the report says so', async () => {
      lintRun({ exitCode: 127, stdout: '', stderr: 'Error: crun: executable file `bootc` not found in $PATH: No such file or directory' });
      expect(await buildExecutor({ bootcLint: 'strict' }, context())).toEqual({ success: true });
      expect(printed()).toContain("bootc container lint skipped: the image has no bootc on its PATH; the report holds bootc-lint's static findings only.");
      expect(report().bootcContainerLint).toEqual({ mode: 'strict', runs: [{ status: 'skipped', reason: 'the image has no bootc on its PATH' }] });
      expect(record().imageId).toBe(BUILT_ID);
    });
  });
});
