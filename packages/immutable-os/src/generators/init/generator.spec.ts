import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './generator';

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin with the default target names', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toContainEqual({
      plugin: 'immutable-os',
      options: {
        lintTargetName: 'bootc-lint',
        buildTargetName: 'bootc-build',
        pushTargetName: 'bootc-push',
        convertTargetName: 'bootc-convert',
        testTargetName: 'bootc-test',
        promoteTargetName: 'bootc-promote',
        rollbackTargetName: 'bootc-rollback',
      },
    });
  });

  it('takes custom target names', async () => {
    await initGenerator(tree, { lintTargetName: 'os-lint', convertTargetName: 'disk', skipFormat: true });
    const entry = readNxJson(tree)?.plugins?.find((p) => typeof p !== 'string' && p.plugin === 'immutable-os');
    expect(entry).toMatchObject({ options: { lintTargetName: 'os-lint', buildTargetName: 'bootc-build', convertTargetName: 'disk' } });
  });

  it('is idempotent: a second run changes nothing', async () => {
    await initGenerator(tree, { skipFormat: true });
    const nxJson = tree.read('nx.json', 'utf-8');
    const gitignore = tree.read('.gitignore', 'utf-8');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('nx.json', 'utf-8')).toBe(nxJson);
    expect(tree.read('.gitignore', 'utf-8')).toBe(gitignore);
  });

  it('keeps an existing registration (string form) and its options', async () => {
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = ['@nx/js/typescript', 'immutable-os'];
    updateNxJson(tree, nxJson);
    await initGenerator(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual(['@nx/js/typescript', 'immutable-os']);
  });

  it('ignores the output folders once, keeping existing lines', async () => {
    tree.write('.gitignore', 'node_modules\ndist/\n');
    await initGenerator(tree, { skipFormat: true });
    const lines = tree.read('.gitignore', 'utf-8')!.split('\n');
    expect(lines).toContain('node_modules');
    expect(lines.filter((l) => l.includes('dist'))).toEqual(['dist/']);
    expect(lines).toEqual(expect.arrayContaining(['/.nx/cache', '/.nx/workspace-data']));
  });
});
