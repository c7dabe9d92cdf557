import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { detectPackageManager } from './package-manager';

describe('detectPackageManager', () => {
  test.each([
    ['npm, by its lock file', { 'package-lock.json': '{}' }, { name: 'npm', lockFile: 'package-lock.json', install: 'npm ci', exec: 'npx', corepack: false }],
    ['npm without a lock file', {}, { name: 'npm', lockFile: undefined, install: 'npm install', exec: 'npx', corepack: false }],
    ['pnpm', { 'pnpm-lock.yaml': '' }, { name: 'pnpm', lockFile: 'pnpm-lock.yaml', install: 'pnpm install --frozen-lockfile', exec: 'pnpm exec', corepack: true }],
    ['yarn 1', { 'yarn.lock': '' }, { name: 'yarn', lockFile: 'yarn.lock', install: 'yarn install --frozen-lockfile', exec: 'yarn', corepack: true }],
    ['yarn 2+ (.yarnrc.yml)', { 'yarn.lock': '', '.yarnrc.yml': '' }, { name: 'yarn', lockFile: 'yarn.lock', install: 'yarn install --immutable', exec: 'yarn', corepack: true }],
    ['yarn before npm when both lock files are there', { 'yarn.lock': '', 'package-lock.json': '{}' }, { name: 'yarn', lockFile: 'yarn.lock' }],
    [
      "package.json's packageManager over the lock file order",
      { 'yarn.lock': '', 'pnpm-lock.yaml': '', 'package.json': JSON.stringify({ packageManager: 'pnpm@9.12.0' }) },
      { name: 'pnpm', lockFile: 'pnpm-lock.yaml' },
    ],
    ['packageManager with no lock file yet', { 'package.json': JSON.stringify({ packageManager: 'pnpm@9.12.0' }) }, { name: 'pnpm', lockFile: undefined, install: 'pnpm install' }],
    ['an unknown packageManager: the lock file', { 'package-lock.json': '{}', 'package.json': JSON.stringify({ packageManager: 'bun@1.1.0' }) }, { name: 'npm', install: 'npm ci' }],
  ])('%s', (_case, files: Record<string, string>, expected) => {
    const tree = createTreeWithEmptyWorkspace();
    tree.delete('package.json');
    for (const [path, content] of Object.entries(files)) tree.write(path, content);
    expect(detectPackageManager(tree)).toMatchObject(expected);
  });
});
