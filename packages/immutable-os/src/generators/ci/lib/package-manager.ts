import { readJson, type Tree } from '@nx/devkit';

export type PackageManagerName = 'npm' | 'pnpm' | 'yarn';

/** How the pipeline installs the workspace's dependencies and runs nx with its package manager. */
export interface PackageManagerSetup {
  name: PackageManagerName;
  /** The lock file in the workspace root; undefined when there is none. */
  lockFile?: string;
  install: string;
  /** Runs a binary of node_modules, e.g. `npx`. */
  exec: string;
  /** pnpm and yarn come through corepack, which ships with Node.js. */
  corepack: boolean;
}

// In the order Nx's detectPackageManager looks for them.
const LOCK_FILES: ReadonlyArray<[PackageManagerName, string]> = [
  ['yarn', 'yarn.lock'],
  ['pnpm', 'pnpm-lock.yaml'],
  ['npm', 'package-lock.json'],
];

/** The package manager of the workspace: package.json's `packageManager` field, else the lock file present. */
export function detectPackageManager(tree: Tree): PackageManagerSetup {
  const declared = declaredPackageManager(tree);
  const present = LOCK_FILES.filter(([, file]) => tree.exists(file));
  const [name, lockFile] = present.find(([pm]) => pm === declared) ?? present[0] ?? [declared ?? 'npm', undefined];
  switch (name) {
    case 'pnpm':
      return { name, lockFile, install: lockFile ? 'pnpm install --frozen-lockfile' : 'pnpm install', exec: 'pnpm exec', corepack: true };
    case 'yarn': {
      // Yarn 2+ (a .yarnrc.yml) spells a locked install --immutable; yarn 1 --frozen-lockfile.
      const locked = tree.exists('.yarnrc.yml') ? '--immutable' : '--frozen-lockfile';
      return { name, lockFile, install: lockFile ? `yarn install ${locked}` : 'yarn install', exec: 'yarn', corepack: true };
    }
    default:
      return { name: 'npm', lockFile, install: lockFile ? 'npm ci' : 'npm install', exec: 'npx', corepack: false };
  }
}

function declaredPackageManager(tree: Tree): PackageManagerName | undefined {
  if (!tree.exists('package.json')) return undefined;
  const field = readJson<{ packageManager?: unknown }>(tree, 'package.json').packageManager;
  const name = typeof field === 'string' ? field.split('@')[0] : undefined;
  return LOCK_FILES.find(([pm]) => pm === name)?.[0];
}
