import { execFileSync } from 'node:child_process';
import type { ExecutorContext } from '@nx/devkit';
import { fakeId, installFakeEngines, type FakeEngines } from '../../testing/fake-engine';
import { createTestWorkspace, executorContext, imageRecord, writeImageRecord, type TestWorkspace } from '../../testing/test-workspace';
import pushExecutor from '../push/executor';
import releasePublishExecutor from './executor';

const ID = fakeId('kiosk');
const IMAGE = 'registry.example:5000/acme/kiosk';

describe('release tags: nx-release-publish and bootc-push', () => {
  let ws: TestWorkspace;
  let fake: FakeEngines;
  let context: ExecutorContext;
  let logs: jest.SpyInstance[];

  beforeEach(() => {
    ws = createTestWorkspace();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'release');
    context = executorContext(ws.root, 'kiosk', { kiosk: { root: 'images/kiosk' } }, { targetName: 'nx-release-publish' });
    writeImageRecord(ws.root, imageRecord('kiosk', ID, { image: IMAGE, refs: [`${IMAGE}:latest`], releaseTags: ['{version}', 'v{version}-{shortSha}'] }));
    fake = installFakeEngines({ versions: { podman: '5.2.1' }, state: { images: [ID] }, hostPrograms: ['git'] });
    logs = (['log', 'warn'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => undefined));
  });
  afterEach(() => {
    logs.forEach((spy) => spy.mockRestore());
    fake.restore();
    ws.cleanup();
  });

  const tag = (name: string) => execFileSync('git', ['tag', name], { cwd: ws.root });
  const shortSha = () => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws.root, encoding: 'utf8' }).trim().slice(0, 7);
  const pushed = () => fake.calls().filter((c) => c.args[0] === 'push').map((c) => c.args.at(-1));
  const printed = () => logs.flatMap((spy) => spy.mock.calls.map((args) => args.join(' ')));

  it('nx-release-publish pushes <image>:<version> and the {version} tags, tagging the exact image first', async () => {
    tag('v1.4.0');
    expect(await releasePublishExecutor({ registry: 'https://registry.npmjs.org', tag: 'latest' }, context)).toEqual({ success: true });
    expect(pushed()).toEqual([`docker://${IMAGE}:1.4.0`, `docker://${IMAGE}:v1.4.0-${shortSha()}`]);
    expect(fake.state().tags).toMatchObject({ [`${IMAGE}:1.4.0`]: ID, [`${IMAGE}:v1.4.0-${shortSha()}`]: ID });
  });

  it('nx-release-publish takes the bootc-push options of the project (here: tlsVerify false)', async () => {
    tag('v1.4.0');
    const withPush = executorContext(ws.root, 'kiosk', { kiosk: { root: 'images/kiosk', targets: { 'bootc-push': { executor: 'immutable-os:push', options: { tlsVerify: false } } } } });
    await releasePublishExecutor({}, withPush);
    expect(fake.calls().filter((c) => c.args[0] === 'push').every((c) => c.args.includes('--tls-verify=false'))).toBe(true);
  });

  it('nx-release-publish --dryRun pushes nothing and says what it would push', async () => {
    tag('v1.4.0');
    expect(await releasePublishExecutor({ dryRun: true }, context)).toEqual({ success: true });
    expect(pushed()).toEqual([]);
    expect(printed().join('\n')).toContain(`would push ${ID.slice(0, 12)} (version 1.4.0 from git tag v1.4.0) as ${IMAGE}:1.4.0`);
  });

  it('nx-release-publish without a release version fails and says to run nx release', async () => {
    await expect(releasePublishExecutor({}, context)).rejects.toThrow('kiosk has no release version at HEAD: no git tag v{version} and no package.json version. Run nx release');
    expect(pushed()).toEqual([]);
  });

  it('bootc-push adds the {version} tags at a release commit', async () => {
    tag('v2.0.0');
    await pushExecutor({}, context);
    expect(pushed()).toEqual([`docker://${IMAGE}:latest`, `docker://${IMAGE}:2.0.0`, `docker://${IMAGE}:v2.0.0-${shortSha()}`]);
  });

  it('bootc-push elsewhere pushes the build’s refs and notes the release tags it left out', async () => {
    await pushExecutor({}, context);
    expect(pushed()).toEqual([`docker://${IMAGE}:latest`]);
    expect(printed().join('\n')).toContain('No release version for kiosk at HEAD (no git tag v{version}, no package.json version): the tags {version}, v{version}-{shortSha} are left out.');
  });
});

test('the schema sets no defaults for push options, so Nx does not fill them over the project’s bootc-push options', () => {
  const schema = require('./schema.json') as { properties: Record<string, { default?: unknown }> };
  expect(Object.entries(schema.properties).filter(([, p]) => 'default' in p).map(([k]) => k)).toEqual(['dryRun']);
});
