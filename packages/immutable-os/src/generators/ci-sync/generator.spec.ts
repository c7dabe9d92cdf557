import { readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { ciGenerator } from '../ci/generator';
import { ciSyncGenerator } from './generator';

const GITHUB = '.github/workflows/os-images.yml';
const GITLAB = '.gitlab-ci.yml';

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write('package-lock.json', '{}\n');
  return tree;
}

test('the ci generator records its options in the pipeline and registers the sync generator in nx.json', async () => {
  const tree = workspace();
  await ciGenerator(tree, { provider: 'github', branch: 'release', sign: true, skipFormat: true });
  expect((tree.read(GITHUB, 'utf-8') as string).split('\n')[2]).toBe('# immutable-os:ci options: {"provider":"github","branch":"release","sign":true,"skipFormat":true}');
  expect(readNxJson(tree)?.sync?.globalGenerators).toEqual(['immutable-os:ci-sync']);
  await ciGenerator(tree, { provider: 'gitlab', skipFormat: true });
  expect(readNxJson(tree)?.sync?.globalGenerators).toEqual(['immutable-os:ci-sync']);
});

test('an untouched pipeline is in sync: nothing changes', async () => {
  const tree = workspace();
  await ciGenerator(tree, { provider: 'github', remoteCache: 'nx-cloud', skipFormat: true });
  await ciGenerator(tree, { provider: 'gitlab', runner: 'privileged', skipFormat: true });
  const before = [tree.read(GITHUB, 'utf-8'), tree.read(GITLAB, 'utf-8')];
  expect(await ciSyncGenerator(tree)).toEqual({});
  expect([tree.read(GITHUB, 'utf-8'), tree.read(GITLAB, 'utf-8')]).toEqual(before);
});

test('a hand-edited pipeline is out of sync, naming the first line that differs; the sync writes it again with the recorded options', async () => {
  const tree = workspace();
  await ciGenerator(tree, { provider: 'github', branch: 'release', skipFormat: true });
  const written = tree.read(GITHUB, 'utf-8') as string;
  tree.write(GITHUB, written.replace('npx nx affected -t bootc-lint bootc-build', 'npx nx run-many -t bootc-build'));
  const result = await ciSyncGenerator(tree);
  expect(result.outOfSyncMessage).toMatch(/not what nx g immutable-os:ci writes for this workspace now: run nx sync/);
  expect(result.outOfSyncDetails).toEqual([expect.stringMatching(/^\.github\/workflows\/os-images\.yml:\d+: the file has "        run: npx nx run-many -t bootc-build", the generator writes "        run: npx nx affected -t bootc-lint bootc-build"$/)]);
  expect(tree.read(GITHUB, 'utf-8')).toBe(written);
});

test('a workspace that changed under the pipeline (another package manager) is out of sync', async () => {
  const tree = workspace();
  await ciGenerator(tree, { provider: 'gitlab', skipFormat: true });
  tree.delete('package-lock.json');
  tree.write('pnpm-lock.yaml', 'lockfileVersion: 9.0\n');
  const result = await ciSyncGenerator(tree);
  expect(result.outOfSyncDetails).toEqual([expect.stringContaining('.gitlab-ci.yml:')]);
  expect(tree.read(GITLAB, 'utf-8')).toContain('pnpm install --frozen-lockfile');
});

test('pipelines immutable-os did not write, or none at all, are left alone', async () => {
  const tree = workspace();
  tree.write(GITLAB, 'stages: [test]\njob:\n  script: [make]\n');
  expect(await ciSyncGenerator(tree)).toEqual({});
  expect(tree.read(GITLAB, 'utf-8')).toBe('stages: [test]\njob:\n  script: [make]\n');
});

test('a broken options line fails, naming the file and the fix', async () => {
  const tree = workspace();
  await ciGenerator(tree, { provider: 'github', skipFormat: true });
  tree.write(GITHUB, (tree.read(GITHUB, 'utf-8') as string).replace('{"provider":"github","skipFormat":true}', '{"provider":'));
  await expect(ciSyncGenerator(tree)).rejects.toThrow(/\.github\/workflows\/os-images\.yml: the line "# immutable-os:ci options: \.\.\." is not JSON .*regenerate the pipeline with nx g immutable-os:ci --force/);
});
