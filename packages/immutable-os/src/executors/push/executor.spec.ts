import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { fakeId, installFakeEngines, type FakeEngines } from '../../testing/fake-engine';
import { createTestWorkspace, executorContext, imageRecord, writeImageRecord, type TestWorkspace } from '../../testing/test-workspace';
import pushExecutor from './executor';

const ID = fakeId('edge-node');
const DIGEST = `sha256:${fakeId('manifest')}`;
const REFS = ['registry.example:5000/acme/edge-node:latest', 'registry.example:5000/acme/edge-node:1.0'];
const PASSWORD = 'S3cr3t-$(id)-`x`';

describe('bootc-push executor', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  let context: ExecutorContext;
  let consoleOutput: jest.SpyInstance[];

  beforeEach(() => {
    ws = createTestWorkspace();
    context = executorContext(ws.root, 'edge-node', { 'edge-node': { root: 'images/edge-node' } }, { targetName: 'bootc-push' });
    writeImageRecord(ws.root, imageRecord('edge-node', ID, { image: 'registry.example:5000/acme/edge-node', refs: REFS }));
    fake = installFakeEngines({ versions: { podman: '5.2.1' }, state: { images: [ID], pushDigest: DIGEST } });
    consoleOutput = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => undefined));
    process.env.IMMUTABLE_OS_SPEC_USER = 'ci-bot';
    process.env.IMMUTABLE_OS_SPEC_PASSWORD = PASSWORD;
  });
  afterEach(() => {
    delete process.env.IMMUTABLE_OS_SPEC_USER;
    delete process.env.IMMUTABLE_OS_SPEC_PASSWORD;
    consoleOutput.forEach((spy) => spy.mockRestore());
    fake.restore();
    ws.cleanup();
  });

  const credentials = { usernameEnv: 'IMMUTABLE_OS_SPEC_USER', passwordEnv: 'IMMUTABLE_OS_SPEC_PASSWORD' };
  const pushJson = () => JSON.parse(ws.read('dist/images/edge-node/push.json'));
  const printed = () => consoleOutput.flatMap((spy) => spy.mock.calls.map((args) => args.join(' ')));
  const flagValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

  test('pushes every recorded ref by image ID and records the digest in push.json', async () => {
    expect(await pushExecutor({}, context)).toEqual({ success: true });
    const calls = fake.calls().map((c) => c.args);
    const digestfile = flagValue(calls[4], '--digestfile');
    expect(calls).toEqual([
      ['--version'],
      ['tag', ID, REFS[0]],
      ['tag', ID, REFS[1]],
      ['push', '--digestfile', digestfile, '--tls-verify=true', ID, `docker://${REFS[0]}`],
      ['push', '--digestfile', digestfile, '--tls-verify=true', ID, `docker://${REFS[1]}`],
    ]);
    expect(pushJson()).toEqual({
      project: 'edge-node',
      image: 'registry.example:5000/acme/edge-node',
      imageId: ID,
      digest: DIGEST,
      refs: REFS.map((ref) => ({ ref, digest: DIGEST })),
      tlsVerify: true,
      signed: false,
      pushedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(printed()).toEqual([`Pushed ${REFS[0]}@${DIGEST}`, `Pushed ${REFS[1]}@${DIGEST}`]);
    expect(existsSync(dirname(digestfile))).toBe(false);
  });

  test('logs in with --password-stdin: the password reaches stdin only, never an argv, the console or push.json', async () => {
    await pushExecutor({ ...credentials, tlsVerify: false }, context);
    const calls = fake.calls();
    const login = calls.find((c) => c.args[0] === 'login')!;
    const authfile = flagValue(login.args, '--authfile');
    expect(login.args).toEqual(['login', '--username', 'ci-bot', '--password-stdin', '--tls-verify=false', '--authfile', authfile, 'registry.example:5000']);
    expect(login.stdin).toBe(PASSWORD);
    expect(calls.filter((c) => c.args[0] === 'login')).toHaveLength(1);
    for (const push of calls.filter((c) => c.args[0] === 'push')) {
      expect(flagValue(push.args, '--authfile')).toBe(authfile);
      expect(push.args).toContain('--tls-verify=false');
      expect(push.stdin).toBeUndefined();
    }
    expect(JSON.stringify(calls.map((c) => c.args))).not.toContain(PASSWORD);
    expect(printed().join('\n')).not.toContain(PASSWORD);
    expect(ws.read('dist/images/edge-node/push.json')).not.toContain(PASSWORD);
    expect(existsSync(authfile)).toBe(false);
  });

  test('a failed login shows the engine error without the password', async () => {
    fake.update({ rules: [{ args: ['login'], exitCode: 125, stderr: 'Error: logging into "registry.example:5000": invalid username/password' }] });
    const error = (await pushExecutor(credentials, context).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/^podman login --username ci-bot --password-stdin .* failed with exit code 125\.\nLast lines of its output:\n {2}Error: logging into .*\nHint: The registry refused the credentials/);
    expect(`${error.message}\n${error.stack}`).not.toContain(PASSWORD);
    expect(existsSync(join(ws.root, 'dist/images/edge-node/push.json'))).toBe(false);
  });

  test('a transient push error is retried after 1 s', async () => {
    fake.update({ rules: [{ args: ['push'], times: 1, exitCode: 125, stderr: 'Error: dial tcp 10.0.0.1:5000: connect: connection refused' }] });
    await pushExecutor({ retries: 2 }, context);
    expect(fake.calls().filter((c) => c.args[0] === 'push')).toHaveLength(3);
    expect(printed()).toContain(`Pushing ${REFS[0]} failed with a network error; retrying in 1 s (1/2).`);
    expect(pushJson().digest).toBe(DIGEST);
  });

  test('a push that keeps failing says how many attempts were made; no push.json', async () => {
    fake.update({ rules: [{ args: ['push'], exitCode: 125, stderr: 'Error: dial tcp 10.0.0.1:5000: connect: connection refused' }] });
    await expect(pushExecutor({ retries: 1 }, context)).rejects.toThrow(
      new RegExp(`^Pushing ${REFS[0].replace(/[.]/g, '\\.')} failed after 2 attempts\\.\\npodman push .* failed with exit code 125\\.`),
    );
    expect(existsSync(join(ws.root, 'dist/images/edge-node/push.json'))).toBe(false);
  });

  test('an engine that reports no digest is an error naming the ref', async () => {
    fake.update({ rules: [{ args: ['push'], exitCode: 0 }] });
    await expect(pushExecutor({}, context)).rejects.toThrow(`podman pushed ${REFS[0]} but reported no manifest digest; check the push output above.`);
  });

  test('docker logs in with a config folder of its own and reads the digest from its output', async () => {
    fake.restore();
    fake = installFakeEngines({ versions: { docker: '27.1.0' }, state: { images: [ID], pushDigest: DIGEST } });
    writeImageRecord(ws.root, imageRecord('edge-node', ID, { refs: [REFS[0]], engine: 'docker' }));
    await pushExecutor(credentials, context);
    const calls = fake.calls();
    expect(calls.map((c) => c.args)).toEqual([
      ['--version'],
      ['version', '--format', '{{.Server.Version}}'],
      ['tag', ID, REFS[0]],
      ['login', '--username', 'ci-bot', '--password-stdin', 'registry.example:5000'],
      ['push', REFS[0]],
    ]);
    const login = calls.find((c) => c.args[0] === 'login');
    const push = calls.find((c) => c.args[0] === 'push');
    expect(login?.stdin).toBe(PASSWORD);
    expect(login?.dockerConfig).toMatch(/immutable-os-push-/);
    expect(push?.dockerConfig).toBe(login?.dockerConfig);
    expect(pushJson().refs).toEqual([{ ref: REFS[0], digest: DIGEST }]);
  });

  test('without image.json: says to build first', async () => {
    ws.cleanup();
    ws = createTestWorkspace();
    await expect(pushExecutor({}, { ...context, root: ws.root })).rejects.toThrow(
      'dist/images/edge-node/image.json does not exist: build the image first with nx run edge-node:bootc-build.',
    );
    expect(readdirSync(ws.root)).toEqual([]);
  });
});
