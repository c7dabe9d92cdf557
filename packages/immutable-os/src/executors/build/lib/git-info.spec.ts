import { execFileSync } from 'node:child_process';
import { createTestWorkspace, type TestWorkspace } from '../../../testing/test-workspace';
import { readGitInfo, withoutCredentials } from './git-info';

describe('withoutCredentials', () => {
  test.each([
    ['https://ci-bot:ghp_SECRET123@github.com/acme/os.git', 'https://github.com/acme/os.git'],
    ['https://oauth2:glpat-SECRET@gitlab.example:8443/acme/os.git', 'https://gitlab.example:8443/acme/os.git'],
    ['https://x-access-token@github.com/acme/os', 'https://github.com/acme/os'],
    ['https://user:p@ss@w0rd@github.com/acme/os.git', 'https://github.com/acme/os.git'],
    ['HTTP://user:token@host/x', 'HTTP://host/x'],
    ['ssh://git@github.com/acme/os.git', 'ssh://github.com/acme/os.git'],
    ['https://github.com/acme/os.git', 'https://github.com/acme/os.git'],
    ['https://github.com/acme/os@v1.git', 'https://github.com/acme/os@v1.git'],
    ['git@github.com:acme/os.git', 'git@github.com:acme/os.git'],
    ['/srv/git/os.git', '/srv/git/os.git'],
  ])('%s → %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });
});

describe('readGitInfo', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => ws.cleanup());

  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Spec', '-c', 'user.email=spec@example.com', '-c', 'init.defaultBranch=main', ...args], {
      cwd: ws.root,
      encoding: 'utf8',
    }).trim();

  test('reads the commit and the origin URL without the token in it', async () => {
    ws.write({ 'README.md': 'hi\n' });
    git('init', '--quiet');
    git('add', 'README.md');
    git('commit', '--quiet', '-m', 'first');
    git('remote', 'add', 'origin', 'https://ci-bot:ghp_TOKEN0123456789@github.com/acme/os.git');
    const head = git('rev-parse', 'HEAD');

    const info = await readGitInfo(ws.root);
    expect(info).toEqual({ revision: head, commitTime: Number(git('log', '-1', '--format=%ct')), source: 'https://github.com/acme/os.git' });
    expect(JSON.stringify(info)).not.toContain('TOKEN');
    expect(JSON.stringify(info)).not.toContain('ci-bot');
  });

  test('a repository without commits or origin gives neither', async () => {
    git('init', '--quiet');
    expect(await readGitInfo(ws.root)).toEqual({ revision: undefined, source: undefined });
  });

  test('outside git gives neither', async () => {
    expect(await readGitInfo(ws.root)).toEqual({ revision: undefined, source: undefined });
  });
});
