import { execFileSync } from 'node:child_process';
import { createTestWorkspace, type TestWorkspace } from '../testing/test-workspace';
import { readReleaseVersion, releaseTagPattern } from './release-version';

describe('releaseTagPattern', () => {
  test.each([
    [undefined, 'v{version}'],
    [{ release: { projectsRelationship: 'independent' } }, '{projectName}@{version}'],
    [{ release: { releaseTag: { pattern: 'release/{projectName}/{version}' } } }, 'release/{projectName}/{version}'],
    [{ release: { releaseTagPattern: 'os-{version}' } }, 'os-{version}'],
  ] as const)('%j → %s', (nxJson, pattern) => {
    expect(releaseTagPattern(nxJson as never)).toBe(pattern);
  });
});

describe('readReleaseVersion', () => {
  let ws: TestWorkspace;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' });
  beforeEach(() => {
    ws = createTestWorkspace();
    ws.write({ 'images/kiosk/Containerfile': 'FROM x\n' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'first');
  });
  afterEach(() => ws.cleanup());

  it('reads the version from nx release’s git tag on HEAD', async () => {
    git('tag', 'v1.4.0');
    expect(await readReleaseVersion(ws.root, 'kiosk', 'images/kiosk', {})).toEqual({ version: '1.4.0', from: 'git tag v1.4.0' });
  });

  it('uses the independent pattern with the project name, ignoring other projects’ tags', async () => {
    git('tag', 'edge-node@2.0.0');
    git('tag', 'kiosk@1.5.0-rc.1');
    expect(await readReleaseVersion(ws.root, 'kiosk', 'images/kiosk', { release: { projectsRelationship: 'independent' } })).toEqual({
      version: '1.5.0-rc.1',
      from: 'git tag kiosk@1.5.0-rc.1',
    });
  });

  it('falls back to a package.json version, and is undefined without either', async () => {
    expect(await readReleaseVersion(ws.root, 'kiosk', 'images/kiosk', {})).toBeUndefined();
    ws.write({ 'images/kiosk/package.json': '{ "name": "kiosk", "version": "3.1.0" }' });
    expect(await readReleaseVersion(ws.root, 'kiosk', 'images/kiosk', {})).toEqual({ version: '3.1.0', from: 'images/kiosk/package.json' });
  });

  it('ignores a tag on an older commit', async () => {
    git('tag', 'v1.0.0');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'second');
    expect(await readReleaseVersion(ws.root, 'kiosk', 'images/kiosk', {})).toBeUndefined();
  });
});
