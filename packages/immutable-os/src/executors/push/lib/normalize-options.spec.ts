import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { createTestWorkspace, executorContext, type TestWorkspace } from '../../../testing/test-workspace';
import schema from '../schema.json';
import type { PushExecutorSchema } from '../schema';
import { normalizeOptions } from './normalize-options';

const PASSWORD = 'Pa55-w0rd!$(id)';
const TOKEN_LIKE_PASSWORD = 'ghp_AbCdEf0123456789';
const env = { REGISTRY_USER: 'ci-bot', REGISTRY_PASSWORD: PASSWORD, EMPTY: '' };

describe('normalizeOptions (bootc-push)', () => {
  let ws: TestWorkspace;
  let context: ExecutorContext;
  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({ 'keys/cosign.key': 'key', 'images/edge-node/keys/own.key': 'key' });
    context = executorContext(ws.root, 'edge-node', { 'edge-node': { root: 'images/edge-node' } }, { targetName: 'bootc-push' });
  });
  afterEach(() => ws.cleanup());

  test('defaults agree with schema.json', () => {
    const n = normalizeOptions({}, context, env);
    expect(n).toEqual({
      projectName: 'edge-node',
      engine: 'auto',
      tlsVerify: true,
      retries: 3,
      credentials: undefined,
      signBySigstoreKey: undefined,
      signBy: undefined,
      extraArgs: [],
    });
    const p = schema.properties;
    expect([n.engine, n.tlsVerify, n.retries, n.extraArgs]).toEqual([p.engine.default, p.tlsVerify.default, p.retries.default, p.extraArgs.default]);
  });

  test('reads the credentials from the named variables', () => {
    const n = normalizeOptions({ usernameEnv: 'REGISTRY_USER', passwordEnv: 'REGISTRY_PASSWORD', retries: 0, tlsVerify: false }, context, env);
    expect(n).toMatchObject({ credentials: { username: 'ci-bot', password: PASSWORD }, retries: 0, tlsVerify: false });
  });

  test('reads process.env by default', () => {
    process.env.IMMUTABLE_OS_SPEC_USER = 'u';
    process.env.IMMUTABLE_OS_SPEC_PASSWORD = 'p';
    try {
      expect(normalizeOptions({ usernameEnv: 'IMMUTABLE_OS_SPEC_USER', passwordEnv: 'IMMUTABLE_OS_SPEC_PASSWORD' }, context).credentials).toEqual({
        username: 'u',
        password: 'p',
      });
    } finally {
      delete process.env.IMMUTABLE_OS_SPEC_USER;
      delete process.env.IMMUTABLE_OS_SPEC_PASSWORD;
    }
  });

  test('the sigstore key resolves against context.root ({projectRoot} accepted), even when the current folder is elsewhere', () => {
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'immutable-os-cwd-')));
    const saved = process.cwd();
    process.chdir(elsewhere);
    try {
      expect(normalizeOptions({ signBySigstoreKey: 'keys/cosign.key' }, context, env).signBySigstoreKey).toBe(join(ws.root, 'keys/cosign.key'));
      expect(normalizeOptions({ signBySigstoreKey: '{projectRoot}/keys/own.key' }, context, env).signBySigstoreKey).toBe(
        join(ws.root, 'images/edge-node/keys/own.key'),
      );
    } finally {
      process.chdir(saved);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  const errors: Array<[string, PushExecutorSchema, string]> = [
    ['retries -1', { retries: -1 }, 'Expected `retries` to be a non-negative integer, got `-1` (number).'],
    ['retries 1.5', { retries: 1.5 }, 'Expected `retries` to be a non-negative integer, got `1.5` (number).'],
    ['retries as text', { retries: '3' as never }, 'Expected `retries` to be a non-negative integer, got `3` (string).'],
    ['retries NaN', { retries: Number.NaN }, 'Expected `retries` to be a non-negative integer, got `NaN` (number).'],
    ['bad engine', { engine: 'kaniko' as never }, 'engine: "kaniko" is not an engine; use auto, podman, docker, buildah.'],
    ['usernameEnv without passwordEnv', { usernameEnv: 'REGISTRY_USER' }, 'usernameEnv and passwordEnv go together: set both'],
    ['passwordEnv without usernameEnv', { passwordEnv: 'REGISTRY_PASSWORD' }, 'usernameEnv and passwordEnv go together: set both'],
    ['an empty passwordEnv', { usernameEnv: 'REGISTRY_USER', passwordEnv: '' }, 'usernameEnv and passwordEnv go together: set both'],
    [
      'username variable unset',
      { usernameEnv: 'NOT_SET_USER', passwordEnv: 'REGISTRY_PASSWORD' },
      'usernameEnv: the environment variable NOT_SET_USER is not set or empty. Export it before running bootc-push, or fix the name.',
    ],
    [
      'password variable unset',
      { usernameEnv: 'REGISTRY_USER', passwordEnv: 'NOT_SET_PASSWORD' },
      'passwordEnv: the environment variable NOT_SET_PASSWORD is not set or empty. Export it before running bootc-push, or fix the name.',
    ],
    ['password variable empty', { usernameEnv: 'REGISTRY_USER', passwordEnv: 'EMPTY' }, 'passwordEnv: the environment variable EMPTY is not set or empty.'],
    [
      'a user name given instead of a variable name',
      { usernameEnv: 'ci bot', passwordEnv: 'REGISTRY_PASSWORD' },
      `usernameEnv: the value is not an environment variable name (letters, digits and "_"); give the variable's name, e.g. REGISTRY_PASSWORD, not its value. (The value is not shown: it may be the credential itself.)`,
    ],
    [
      'the password given instead of a variable name',
      { usernameEnv: 'REGISTRY_USER', passwordEnv: PASSWORD },
      `passwordEnv: the value is not an environment variable name (letters, digits and "_"); give the variable's name, e.g. REGISTRY_PASSWORD, not its value. (The value is not shown: it may be the credential itself.)`,
    ],
    [
      'a token that looks like a variable name given instead of one',
      { usernameEnv: 'REGISTRY_USER', passwordEnv: TOKEN_LIKE_PASSWORD },
      'passwordEnv: the environment variable it names is not set or empty. Export it before running bootc-push, or fix the name. (The value is not shown: it may be the credential itself.)',
    ],
    ['sigstore key missing', { signBySigstoreKey: 'keys/missing.key' }, 'signBySigstoreKey: the key file keys/missing.key does not exist.'],
    ['unknown path token', { signBySigstoreKey: '{root}/k.key' }, 'signBySigstoreKey: "{root}/k.key" uses the unknown token {root}'],
    ['both signing options', { signBySigstoreKey: 'keys/cosign.key', signBy: 'me@example.com' }, 'signBySigstoreKey and signBy are alternatives: sign with sigstore or with GPG, not both.'],
  ];

  test.each(errors)('%s', (_name, options, message) => {
    expect(() => normalizeOptions(options, context, env)).toThrow(message);
  });

  test('no error ever shows a password, whichever option is wrong', () => {
    const secretEnv = { ...env, [TOKEN_LIKE_PASSWORD]: undefined };
    const withCredentials = (o: PushExecutorSchema) => ({ usernameEnv: 'REGISTRY_USER', passwordEnv: 'REGISTRY_PASSWORD', ...o });
    const cases: PushExecutorSchema[] = [
      ...errors.map(([, o]) => o),
      ...errors.map(([, o]) => withCredentials(o)),
      { usernameEnv: 'NOT_SET', passwordEnv: 'REGISTRY_PASSWORD' },
      { usernameEnv: 'REGISTRY_USER', passwordEnv: PASSWORD },
      { usernameEnv: 'REGISTRY_USER', passwordEnv: TOKEN_LIKE_PASSWORD },
      { usernameEnv: PASSWORD, passwordEnv: 'REGISTRY_PASSWORD' },
    ];
    let failures = 0;
    for (const options of cases) {
      try {
        normalizeOptions(options, context, secretEnv);
      } catch (error) {
        failures++;
        const text = `${(error as Error).message}\n${(error as Error).stack}`;
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(TOKEN_LIKE_PASSWORD);
      }
    }
    expect(failures).toBeGreaterThanOrEqual(errors.length * 2);
  });

  test('no project: says how to run it', () => {
    expect(() => normalizeOptions({}, { ...context, projectName: undefined }, env)).toThrow('bootc-push must run for a project (nx run <project>:bootc-push).');
  });
});
