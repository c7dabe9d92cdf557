import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { writeFile } from './files';
import { describeFailure, run, type RunResult } from './run';

export type PackageManager = 'npm' | 'pnpm' | 'yarn';

/**
 * The package managers a workspace is tested with: npm from this machine's Node, pnpm and yarn
 * (berry) at PNPM_VERSION and YARN_VERSION (installPackageManagers). Each row says how it is
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

/** The pnpm and yarn releases the e2e tests (the newest on the registry when this was written). */
export const PNPM_VERSION = '12.23.0';
export const YARN_VERSION = '4.18.1';

/**
 * Installs pnpm and yarn (berry) for this run into `dir` from the run's registry, rather than as
 * devDependencies: pnpm's native builds are optional dependencies for every platform, which a lock
 * file here would have to list and a registry mirror may lack. Returns the folder of their commands,
 * which holds nothing else, to put first on PATH: nx finds the package manager by name.
 */
export function installPackageManagers(dir: string, registryUrl: string): string {
  mkdirSync(dir, { recursive: true });
  writeFile(dir, 'package.json', `${JSON.stringify({ name: 'e2e-package-managers', private: true }, null, 2)}\n`);
  const packages = [`pnpm@${PNPM_VERSION}`, `@yarnpkg/cli-dist@${YARN_VERSION}`];
  const result = run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `--registry=${registryUrl}/`, ...packages], {
    cwd: dir,
    env: childEnv(),
  });
  if (result.status !== 0) throw new Error(describeFailure(result));
  return join(dir, 'node_modules', '.bin');
}

/** The environment for a package manager or nx run in a test workspace: the bin folder first on PATH; no daemon, cloud or terminal UI. */
export function packageManagerEnv(bin: string): NodeJS.ProcessEnv {
  return childEnv({ PATH: `${bin}:${process.env.PATH ?? ''}`, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' });
}

/** `<pm> add` of dev dependencies, as a user types it; the result is returned, not thrown. */
export function addDev(pm: PackageManager, root: string, packages: string[], env: NodeJS.ProcessEnv): RunResult {
  return run(pm, [...PACKAGE_MANAGERS[pm].addDev, ...packages], { cwd: root, env, timeoutMs: 10 * 60 * 1000 });
}
