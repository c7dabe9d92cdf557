import { join } from 'node:path';
import { resolveWorkspacePath, workspaceRelative } from './workspace-path';

const roots = { workspaceRoot: '/ws', projectRoot: 'images/edge-node' };

describe('resolveWorkspacePath', () => {
  test.each([
    ['Containerfile', '/ws/Containerfile'],
    ['{projectRoot}/Containerfile', '/ws/images/edge-node/Containerfile'],
    ['{workspaceRoot}/shared', '/ws/shared'],
    ['{workspaceRoot}', '/ws'],
    ['{projectRoot}/../common/x', '/ws/images/common/x'],
    ['./shared/', '/ws/shared'],
    ['/abs/path', '/abs/path'],
    ['with space/$(id)', '/ws/with space/$(id)'],
  ])('%s → %s', (value, expected) => {
    expect(resolveWorkspacePath(value, roots, 'context')).toBe(expected);
  });

  test('ignores the current folder', () => {
    expect(resolveWorkspacePath('shared', roots, 'context')).toBe(join('/ws', 'shared'));
    expect(resolveWorkspacePath('shared', roots, 'context')).not.toContain(process.cwd());
  });

  test('an unknown token names the option, the value and the tokens it accepts', () => {
    expect(() => resolveWorkspacePath('{projectDir}/x', roots, 'buildContexts.ctx')).toThrow(
      'buildContexts.ctx: "{projectDir}/x" uses the unknown token {projectDir}; paths accept {workspaceRoot} and {projectRoot}.',
    );
  });
});

describe('workspaceRelative', () => {
  test.each([
    ['/ws/images/edge-node/Containerfile', 'images/edge-node/Containerfile'],
    ['/ws', '.'],
    ['/elsewhere/x', '../elsewhere/x'],
  ])('%s → %s', (path, expected) => {
    expect(workspaceRelative(path, '/ws')).toBe(expected);
  });
});
