import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { createTestWorkspace, executorContext, type TestWorkspace } from '../../../testing/test-workspace';
import schema from '../schema.json';
import type { BuildExecutorSchema } from '../schema';
import { BOOTC_LINT_VALUES, normalizeOptions, parseSecret, PULL_POLICIES } from './normalize-options';

const CONTAINERFILE = 'FROM quay.io/fedora/fedora-bootc:42\n';

describe('normalizeOptions (bootc-build)', () => {
  let ws: TestWorkspace;
  let context: ExecutorContext;
  const SECRET_VALUE = 'sup3r-s3cret-value';

  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({
      'images/edge-node/Containerfile': CONTAINERFILE,
      'images/edge-node/x/file': '',
      'images/plain/Containerfile': CONTAINERFILE,
      'images/bad-meta/Containerfile': CONTAINERFILE,
      'images/no-file/README.md': '',
      'shared/build.sh': '',
      'build_files/a': '',
      'secrets/token': 'not read by normalizeOptions',
    });
    process.env.IMMUTABLE_OS_SPEC_SECRET = SECRET_VALUE;
    delete process.env.IMMUTABLE_OS_SPEC_UNSET;
    context = contextFor('edge-node');
  });
  afterEach(() => {
    delete process.env.IMMUTABLE_OS_SPEC_SECRET;
    ws.cleanup();
  });

  function contextFor(projectName: string): ExecutorContext {
    return executorContext(ws.root, projectName, {
      'edge-node': { root: 'images/edge-node', metadata: { 'immutable-os': { image: 'ghcr.io/acme/edge-node', tags: ['{shortSha}', 'latest'] } } },
      plain: { root: 'images/plain' },
      'bad-meta': { root: 'images/bad-meta', metadata: { 'immutable-os': { image: 'ghcr.io/acme/Edge' } } },
      'no-file': { root: 'images/no-file' },
    });
  }

  test('defaults: localhost/<project>, latest, the project folder', () => {
    expect(normalizeOptions({}, contextFor('plain'))).toEqual({
      projectName: 'plain',
      projectRoot: 'images/plain',
      workspaceRoot: ws.root,
      engine: 'auto',
      spec: {
        containerfile: join(ws.root, 'images/plain/Containerfile'),
        file: 'images/plain/Containerfile',
        preprocessed: false,
        cppFlags: [],
        source: CONTAINERFILE,
        content: CONTAINERFILE,
        context: join(ws.root, 'images/plain'),
        buildArgs: {},
      },
      containerfile: join(ws.root, 'images/plain/Containerfile'),
      containerfileContent: CONTAINERFILE,
      context: join(ws.root, 'images/plain'),
      image: 'localhost/plain',
      tagTemplates: ['latest'],
      buildArgs: {},
      pinnedBases: {},
      labels: {},
      platforms: [],
      target: undefined,
      pull: 'missing',
      tlsVerify: true,
      noCache: false,
      secrets: [],
      cacheFrom: [],
      cacheTo: [],
      buildContexts: [],
      archive: false,
      extraArgs: [],
      bootcLint: 'off',
      bootcLintSkip: [],
    });
  });

  test.each<[BuildExecutorSchema['bootcLint'] | 'true' | 'false', string]>([
    [undefined, 'off'],
    [false, 'off'],
    [true, 'on'],
    ['strict', 'strict'],
    // From the command line: --bootcLint=true
    ['true', 'on'],
    ['false', 'off'],
  ])('bootcLint %p is %p', (value, mode) => {
    expect(normalizeOptions({ bootcLint: value as BuildExecutorSchema['bootcLint'] }, context).bootcLint).toBe(mode);
  });

  test('bootcLint: the values agree with schema.json; bootcLintSkip is split like the other lists', () => {
    expect(schema.properties.bootcLint.enum).toEqual(BOOTC_LINT_VALUES.map(([value]) => value));
    expect(schema.properties.bootcLint.default).toBe(false);
    expect(normalizeOptions({ bootcLint: true, bootcLintSkip: 'nonempty-boot,var-log' as never }, context).bootcLintSkip).toEqual(['nonempty-boot', 'var-log']);
  });

  test('the defaults agree with schema.json', () => {
    const n = normalizeOptions({}, contextFor('plain'));
    const p = schema.properties;
    expect([n.engine, n.pull, n.noCache, n.archive]).toEqual([p.engine.default, p.pull.default, p.noCache.default, p.archive.default]);
    expect([n.buildArgs, n.labels, n.platforms, n.secrets, n.cacheFrom, n.cacheTo, n.extraArgs]).toEqual([
      p.buildArgs.default,
      p.labels.default,
      p.platform.default,
      p.secrets.default,
      p.cacheFrom.default,
      p.cacheTo.default,
      p.extraArgs.default,
    ]);
    // No default in the schema: the project root's first of Containerfile, Containerfile.in, Dockerfile, Dockerfile.in.
    expect((p.containerfile as { default?: string }).default).toBeUndefined();
    expect(n.containerfile).toBe(join(ws.root, 'images/plain/Containerfile'));
    expect(p.pull.enum).toEqual([...PULL_POLICIES]);
  });

  test('image and tags default to metadata["immutable-os"]; options win over it', () => {
    expect(normalizeOptions({}, context)).toMatchObject({ image: 'ghcr.io/acme/edge-node', tagTemplates: ['{shortSha}', 'latest'] });
    expect(normalizeOptions({ image: 'registry.example:5000/edge', tags: ['v1'] }, context)).toMatchObject({
      image: 'registry.example:5000/edge',
      tagTemplates: ['v1'],
    });
    expect(normalizeOptions({ tags: [] }, context).tagTemplates).toEqual(['{shortSha}', 'latest']);
  });

  test('lists given as one comma-separated string (from the command line) are split', () => {
    const n = normalizeOptions({ tags: 'a, b,a' as unknown as string[], platform: 'linux/amd64,linux/arm64' as unknown as string[] }, context);
    expect(n.tagTemplates).toEqual(['a', 'b']);
    expect(n.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test('{projectRoot} and {workspaceRoot} tokens, everything else relative to the workspace root', () => {
    const n = normalizeOptions(
      {
        containerfile: '{projectRoot}/Containerfile',
        context: '{workspaceRoot}/shared',
        buildContexts: { ctx: 'build_files', own: '{projectRoot}/x' },
        secrets: ['id=token,src={workspaceRoot}/secrets/token', 'id=plain,src=secrets/token', 'id=key,env=IMMUTABLE_OS_SPEC_SECRET'],
      },
      context,
    );
    expect(n.containerfile).toBe(join(ws.root, 'images/edge-node/Containerfile'));
    expect(n.context).toBe(join(ws.root, 'shared'));
    expect(n.buildContexts).toEqual([
      { name: 'ctx', path: join(ws.root, 'build_files') },
      { name: 'own', path: join(ws.root, 'images/edge-node/x') },
    ]);
    expect(n.secrets).toEqual([
      { id: 'token', source: { file: join(ws.root, 'secrets/token') } },
      { id: 'plain', source: { file: join(ws.root, 'secrets/token') } },
      { id: 'key', source: { env: 'IMMUTABLE_OS_SPEC_SECRET' } },
    ]);
    expect(JSON.stringify(n)).not.toContain(SECRET_VALUE);
  });

  test('paths resolve against context.root even when the current folder is elsewhere', () => {
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'immutable-os-cwd-')));
    const saved = process.cwd();
    process.chdir(elsewhere);
    try {
      const n = normalizeOptions({ context: 'shared', buildContexts: { ctx: 'build_files' }, secrets: ['id=t,src=secrets/token'] }, context);
      expect(n.context).toBe(join(ws.root, 'shared'));
      expect(n.containerfile).toBe(join(ws.root, 'images/edge-node/Containerfile'));
      expect(n.buildContexts[0].path).toBe(join(ws.root, 'build_files'));
      expect(n.secrets[0].source).toEqual({ file: join(ws.root, 'secrets/token') });
    } finally {
      process.chdir(saved);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('keeps the other options as given', () => {
    const n = normalizeOptions(
      {
        engine: 'buildah',
        buildArgs: { FEDORA_VERSION: '42', _X: '$(id) `x`' },
        labels: { 'com.acme/team': 'platform' },
        platform: ['linux/arm64/v8'],
        target: 'final',
        pull: 'newer',
        noCache: true,
        cacheFrom: ['ghcr.io/acme/cache'],
        cacheTo: ['ghcr.io/acme/cache'],
        archive: true,
        extraArgs: ['--squash'],
      },
      context,
    );
    expect(n).toMatchObject({
      engine: 'buildah',
      buildArgs: { FEDORA_VERSION: '42', _X: '$(id) `x`' },
      labels: { 'com.acme/team': 'platform' },
      platforms: ['linux/arm64/v8'],
      target: 'final',
      pull: 'newer',
      noCache: true,
      cacheFrom: ['ghcr.io/acme/cache'],
      cacheTo: ['ghcr.io/acme/cache'],
      archive: true,
      extraArgs: ['--squash'],
    });
  });

  test.each<[string, BuildExecutorSchema, string | RegExp, string?]>([
    [
      'missing Containerfile',
      { containerfile: 'images/edge-node/Nope' },
      'containerfile: images/edge-node/Nope does not exist. Create it (nx g immutable-os:image writes one) or point the containerfile option at it.',
    ],
    ['missing default Containerfile', {}, 'containerfile: images/no-file/Containerfile does not exist.', 'no-file'],
    ['a folder as Containerfile', { containerfile: 'shared' }, 'containerfile: shared does not exist.'],
    ['unknown path token', { containerfile: '{projectDir}/Containerfile' }, 'containerfile: "{projectDir}/Containerfile" uses the unknown token {projectDir}; paths accept {workspaceRoot} and {projectRoot}.'],
    [
      'missing context folder',
      { context: 'nowhere' },
      'context: the folder nowhere does not exist. Paths are relative to the workspace root; {projectRoot} and {workspaceRoot} are accepted.',
    ],
    ['a file as context', { context: 'shared/build.sh' }, 'context: the folder shared/build.sh does not exist.'],
    ['missing build context folder', { buildContexts: { ctx: '{projectRoot}/gone' } }, 'buildContexts.ctx: the folder images/edge-node/gone does not exist.'],
    ['bad build context name', { buildContexts: { 'my ctx': 'shared' } }, 'buildContexts: "my ctx" is not a valid context name'],
    ['uppercase image', { image: 'ghcr.io/acme/Edge-Node' }, 'image "ghcr.io/acme/Edge-Node" is not a valid image reference: the repository "acme/Edge-Node" is not valid'],
    ['image with a tag', { image: 'ghcr.io/acme/edge-node:1.0' }, 'image "ghcr.io/acme/edge-node:1.0" must be a repository without a tag or digest (e.g. "ghcr.io/acme/edge-node"); set tags with the tags option.'],
    ['invalid metadata image', {}, 'metadata["immutable-os"].image of bad-meta "ghcr.io/acme/Edge" is not a valid image reference', 'bad-meta'],
    ['unknown tag token', { tags: ['latest', '{branch}'] }, 'tags: the tag "{branch}" uses the unknown token {branch}; available tokens are {projectName}, {sha}, {shortSha}, {date}, {version}.'],
    ['invalid literal tag', { tags: ['-rc1'] }, 'tags: "-rc1" is not a valid tag: use up to 128 letters'],
    ['only release tags', { tags: ['{version}', 'v{version}'] }, 'tags: {version}, v{version} all name {version}, which only bootc-push expands; add a tag the build can write, e.g. latest.'],
    ['tag with a colon', { tags: ['v1:2'] }, 'tags: "v1:2" is not a valid tag'],
    ['bad platform', { platform: ['amd64'] }, 'platform: "amd64" is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.'],
    ['uppercase platform', { platform: ['Linux/AMD64'] }, 'platform: "Linux/AMD64" is not os/arch[/variant]'],
    ['bad pull', { pull: 'sometimes' as never }, 'pull: "sometimes" is not a pull policy; use missing, always, never, newer.'],
    ['bad engine', { engine: 'kaniko' as never }, 'engine: "kaniko" is not an engine; use auto, podman, docker, buildah.'],
    ['bad buildArgs key', { buildArgs: { 'FEDORA-VERSION': '42' } }, 'buildArgs: "FEDORA-VERSION" is not a build arg name (letters, digits, _).'],
    ['buildArgs key starting with a digit', { buildArgs: { '1X': '42' } }, 'buildArgs: "1X" is not a build arg name'],
    ['buildArgs value that is no string', { buildArgs: { X: 42 as never } }, 'buildArgs.X: expected a string, got 42 (number).'],
    ['newline in a label value', { labels: { note: 'line one\nline two' } }, 'labels.note: the value contains a newline or NUL byte, which the engine cannot pass on; remove it.'],
    ['newline in a build arg value', { buildArgs: { X: 'a\r\nb' } }, 'buildArgs.X: the value contains a newline or NUL byte'],
    ['bad label key', { labels: { 'has space': 'x' } }, 'labels: "has space" is not a label key'],
    ['secret source file missing', { secrets: ['id=token,src=secrets/missing'] }, 'secrets: the source file of secret "token" (secrets/missing) does not exist. Create it or fix src=.'],
    ['secret env var unset', { secrets: ['id=key,env=IMMUTABLE_OS_SPEC_UNSET'] }, 'secrets: the secret "key" reads the environment variable IMMUTABLE_OS_SPEC_UNSET, which is not set.'],
    ['secret without a source', { secrets: ['id=token'] }, 'secrets: "id=token" is not of the form id=NAME,src=PATH or id=NAME,env=VARIABLE (type=file or type=env optional).'],
    ['secret without an id', { secrets: ['src=secrets/token'] }, 'secrets: "src=secrets/token" is not of the form'],
    ['secret with src and env', { secrets: ['id=t,src=secrets/token,env=IMMUTABLE_OS_SPEC_SECRET'] }, 'is not of the form id=NAME,src=PATH or id=NAME,env=VARIABLE'],
    ['secret with an unknown field', { secrets: ['id=t,src=secrets/token,mode=0400'] }, 'secrets: "id=t,src=secrets/token,mode=0400" is not of the form'],
    ['secret that is a bare word', { secrets: ['token'] }, 'secrets: "token" is not of the form'],
    ['cacheFrom with a tag', { cacheFrom: ['ghcr.io/acme/cache:1'] }, 'cacheFrom "ghcr.io/acme/cache:1" must be a repository without a tag or digest'],
    ['invalid cacheTo', { cacheTo: ['type=registry,ref=x'] }, 'cacheTo "type=registry,ref=x" is not a valid image reference'],
    [
      'bootcLint neither a boolean nor "strict"',
      { bootcLint: 'yes' as never },
      'bootcLint: expected false, true or "strict", got "yes". true runs `bootc container lint` in the built image and fails the build on its fatal lints; "strict" fails on its warnings too (--fatal-warnings).',
    ],
    ['bootcLint a number', { bootcLint: 1 as never }, 'bootcLint: expected false, true or "strict", got 1 (number).'],
    ['bootcLintSkip without bootcLint', { bootcLintSkip: ['var-log'] }, 'bootcLintSkip: var-log would skip lints of a bootc container lint that does not run; set bootcLint to true (or "strict"), or remove bootcLintSkip.'],
    ['bootcLintSkip not a lint name', { bootcLint: true, bootcLintSkip: ['--fatal-warnings'] }, 'bootcLintSkip: "--fatal-warnings" is not a bootc lint name (lowercase letters, digits, "-", e.g. nonempty-boot); `bootc container lint --list` in the image lists them.'],
  ])('%s', (_name, options, message, ...project) => {
    // A rest parameter: jest would take a fourth declared parameter for a done callback in 3-element rows.
    expect(() => normalizeOptions(options, project[0] ? contextFor(project[0]) : context)).toThrow(message);
  });

  test('no project: says how to run it', () => {
    expect(() => normalizeOptions({}, { ...context, projectName: undefined })).toThrow('bootc-build must run for a project (nx run <project>:bootc-build).');
  });

  test('errors about a secret name where it comes from, never its value', () => {
    const roots = { workspaceRoot: ws.root, projectRoot: 'images/edge-node' };
    expect(parseSecret('id=key,env=IMMUTABLE_OS_SPEC_SECRET', roots)).toEqual({ id: 'key', source: { env: 'IMMUTABLE_OS_SPEC_SECRET' } });
    expect(parseSecret('type=file,id=key,source=secrets/token', roots)).toEqual({ id: 'key', source: { file: join(ws.root, 'secrets/token') } });
    expect(parseSecret('type=env,id=key,src=IMMUTABLE_OS_SPEC_SECRET', roots)).toEqual({ id: 'key', source: { env: 'IMMUTABLE_OS_SPEC_SECRET' } });
    for (const spec of [
      'id=key,env=IMMUTABLE_OS_SPEC_SECRET,x=1',
      'env=IMMUTABLE_OS_SPEC_SECRET',
      'id=k,env=IMMUTABLE_OS_SPEC_SECRET,src=a',
      'type=env,id=k,env=IMMUTABLE_OS_SPEC_SECRET,src=IMMUTABLE_OS_SPEC_SECRET',
      'type=ssh,id=k,src=a',
      'type=env,id=k',
    ]) {
      expect(() => parseSecret(spec, roots)).toThrow(/^secrets: /);
      expect(() => parseSecret(spec, roots)).not.toThrow(SECRET_VALUE);
    }
  });
});
