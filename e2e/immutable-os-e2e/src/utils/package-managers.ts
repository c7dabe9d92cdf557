import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { writeFile } from './files';
import { run, type RunResult } from './run';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/**
 * The package managers a workspace is tested with: npm from this machine's Node, pnpm and yarn
 * (berry) at the exact versions of this repository's devDependencies. Each row says how it is
 * configured to install from the local registry and how it adds a dev dependency.
 */
export const PACKAGE_MANAGERS: Record<PackageManager, { addDev: string[]; configure: (root: string, registryUrl: string, cacheDir: string) => void }> = {
  npm: {
    addDev: ['install', '--save-dev', '--no-audit', '--no-fund'],
    configure: (root, registryUrl) => writeFile(root, '.npmrc', `registry=${registryUrl}/\n`),
  },
  pnpm: {
    addDev: ['add', '--save-dev'],
    configure: (root, registryUrl, cacheDir) => {
      writeFile(root, '.npmrc', `registry=${registryUrl}/\n`);
      writeFile(
        root,
        'pnpm-workspace.yaml',
        [
          // What `nx init` records for nx's own postinstall; pnpm >= 11 refuses unacknowledged build scripts.
          'allowBuilds:',
          '  nx: true',
          // The plugin was published seconds ago by this run; pnpm holds back releases younger than a day.
          'minimumReleaseAgeExclude:',
          '  - immutable-os',
          // The store and metadata cache of this run only: cached metadata names an earlier run's registry.
          `storeDir: ${JSON.stringify(join(cacheDir, 'pnpm-store'))}`,
          `cacheDir: ${JSON.stringify(join(cacheDir, 'pnpm-cache'))}`,
          '',
        ].join('\n'),
      );
    },
  },
  yarn: {
    addDev: ['add', '--dev'],
    configure: (root, registryUrl, cacheDir) => {
      writeFile(
        root,
        '.yarnrc.yml',
        [
          // The layout Nx workspaces on yarn use; Plug'n'Play is not tested.
          'nodeLinker: node-modules',
          `npmRegistryServer: ${JSON.stringify(registryUrl)}`,
          `unsafeHttpWhitelist: [${JSON.stringify(new URL(registryUrl).hostname)}]`,
          // Published seconds ago by this run: yarn quarantines releases younger than its age gate.
          'npmPreapprovedPackages: [immutable-os]',
          // Yarn's global folder of this run only: its metadata cache names an earlier run's registry.
          `globalFolder: ${JSON.stringify(join(cacheDir, 'yarn-global'))}`,
          'enableTelemetry: false',
          '',
        ].join('\n'),
      );
      writeFile(root, 'yarn.lock', '');
    },
  },
};

/**
 * A folder holding only the pnpm and yarn of this repository's node_modules, to put first on PATH:
 * nx finds the package manager by name, and nothing else of the repository leaks into the workspace.
 */
export function packageManagerBin(repoRoot: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules', 'pnpm', 'pnpm'), join(dir, 'pnpm'));
  symlinkSync(join(repoRoot, 'node_modules', '@yarnpkg', 'cli-dist', 'bin', 'yarn.js'), join(dir, 'yarn'));
  return dir;
}

/** The environment for a package manager or nx run in a test workspace: the bin folder first on PATH, CI off. */
export function packageManagerEnv(bin: string): NodeJS.ProcessEnv {
  return childEnv({ PATH: `${bin}:${process.env.PATH ?? ''}`, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' });
}

/** `<pm> add` of dev dependencies, as a user types it; the result is returned, not thrown. */
export function addDev(pm: PackageManager, root: string, packages: string[], env: NodeJS.ProcessEnv): RunResult {
  return run(pm, [...PACKAGE_MANAGERS[pm].addDev, ...packages], { cwd: root, env, timeoutMs: 10 * 60 * 1000 });
}
