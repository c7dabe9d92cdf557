import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { readNxVersionList } from './setup/nx-versions';
import { NX_VERSION, writeWorkspaceSkeleton } from './setup/workspace';
import { readE2eContext } from './utils/e2e-context';
import { exists, readJson, readText } from './utils/files';
import { nxOk } from './utils/nx';
import { addDev, installPackageManagers, PACKAGE_MANAGERS, packageManagerEnv, type PackageManager } from './utils/package-managers';
import { describeFailure, output, run, type RunResult } from './utils/run';

// What a user types to add the plugin to a workspace on this run's nx (E2E_NX_VERSION): with npm,
// pnpm and yarn, and through `nx add`. Each test makes its own workspace from nothing.
const { tempRoot, registryUrl, pluginVersion } = readE2eContext();
const bin = installPackageManagers(join(tempRoot, 'package-managers'), registryUrl);
const env = packageManagerEnv(bin);
const PATH = env.PATH as string;

// How each package manager reports a peer dependency it could not satisfy.
const PEER_PROBLEM: Record<PackageManager, RegExp> = {
  npm: /ERESOLVE|peer dep|Could not resolve dependency/i,
  pnpm: /unmet peer|missing peer|ERR_PNPM_PEER|issues with peer/i,
  yarn: /YN0002|YN0060|YN0086/,
};

function freshWorkspace(pm: PackageManager): string {
  const root = mkdtempSync(join(tempRoot, `install-${pm}-`));
  writeWorkspaceSkeleton(root);
  PACKAGE_MANAGERS[pm].configure(root, registryUrl, join(tempRoot, 'package-manager-cache'));
  return root;
}

function ok(result: RunResult): RunResult {
  if (result.status !== 0) throw new Error(describeFailure(result));
  return result;
}

// A workspace with nx installed, then the plugin added by its bare name with no flags.
function installWith(pm: PackageManager): { root: string; added: RunResult } {
  const root = freshWorkspace(pm);
  ok(addDev(pm, root, [`nx@${NX_VERSION}`], env));
  const added = ok(addDev(pm, root, ['immutable-os'], env));
  return { root, added };
}

function installedVersion(root: string, name: string): string {
  return readJson(root, `node_modules/${name}/package.json`).version;
}

// Generators, inferred targets, the FROM edge and an executor, in the package manager's node_modules layout.
function expectThePluginWorks(root: string): void {
  nxOk(root, ['g', 'immutable-os:init', '--no-interactive'], { PATH });
  nxOk(root, ['g', 'immutable-os:image', 'edge-node', '--no-interactive'], { PATH });
  nxOk(root, ['g', 'immutable-os:image', 'kiosk', '--from', 'edge-node', '--no-interactive'], { PATH });
  const kiosk = JSON.parse(nxOk(root, ['show', 'project', 'kiosk', '--json'], { PATH }).stdout);
  expect(Object.keys(kiosk.targets)).toEqual(expect.arrayContaining(['bootc-lint', 'bootc-build', 'bootc-push', 'bootc-convert']));
  nxOk(root, ['graph', '--file=graph.json'], { PATH });
  expect(readJson(root, 'graph.json').graph.dependencies.kiosk).toContainEqual({ source: 'kiosk', target: 'edge-node', type: 'static' });
  nxOk(root, ['run-many', '-t', 'bootc-lint'], { PATH });
}

describe(`installing immutable-os into a workspace on nx ${NX_VERSION}`, () => {
  test('the published package names exactly the Nx majors the e2e tests, for nx and @nx/devkit', async () => {
    const majors = [...new Set(readNxVersionList().versions.map((v) => Number(v.split('.')[0])))].sort((a, b) => a - b);
    const expected = majors.map((major) => `^${major}.0.0`).join(' || ');
    const response = await fetch(`${registryUrl}/immutable-os`);
    const manifest = ((await response.json()) as { versions: Record<string, any> }).versions[pluginVersion];
    const declared = { nx: manifest.peerDependencies?.nx, '@nx/devkit': manifest.dependencies?.['@nx/devkit'] };
    if (declared.nx !== expected || declared['@nx/devkit'] !== expected) {
      throw new Error(
        `packages/immutable-os/package.json declares nx ${JSON.stringify(declared.nx)} (peerDependencies) and @nx/devkit ` +
          `${JSON.stringify(declared['@nx/devkit'])} (dependencies), but the e2e tests nx ${majors.join(', ')} ` +
          `(e2e/immutable-os-e2e/nx-versions.json): set both to "${expected}".`,
      );
    }
  });

  test('npm: `npm install -D immutable-os` needs no flag, and the installed tree has no peer problem', () => {
    const { root, added } = installWith('npm');
    expect(output(added)).not.toMatch(PEER_PROBLEM.npm);
    expect(installedVersion(root, 'immutable-os')).toBe(pluginVersion);
    // npm ls exits non-zero on any missing or invalid (peer) dependency in the whole tree.
    ok(run('npm', ['ls', '--all'], { cwd: root, env }));
  });

  test('nx add immutable-os installs the plugin and runs its init generator', () => {
    const root = freshWorkspace('npm');
    ok(addDev('npm', root, [`nx@${NX_VERSION}`], env));
    const added = nxOk(root, ['add', 'immutable-os'], { PATH });
    expect(output(added)).not.toMatch(PEER_PROBLEM.npm);
    expect(readJson(root, 'package.json').devDependencies).toHaveProperty('immutable-os');
    expect(installedVersion(root, 'immutable-os')).toBe(pluginVersion);
    expect(readJson(root, 'nx.json').plugins).toContainEqual(expect.objectContaining({ plugin: 'immutable-os' }));
    expect(readText(root, '.gitignore')).toContain('/dist');
    ok(run('npm', ['ls', '--all'], { cwd: root, env }));
  });

  test('pnpm: `pnpm add -D immutable-os` installs strictly, and the plugin works in its isolated node_modules', () => {
    const { root, added } = installWith('pnpm');
    expect(output(added)).not.toMatch(PEER_PROBLEM.pnpm);
    expect(installedVersion(root, 'immutable-os')).toBe(pluginVersion);
    // Exits non-zero on any unmet peer in the workspace.
    ok(run('pnpm', ['peers', 'check'], { cwd: root, env }));
    // pnpm links only declared dependencies: a package the plugin uses without declaring it fails here.
    expect(exists(root, 'node_modules/@nx/devkit')).toBe(false);
    expectThePluginWorks(root);
  });

  test('yarn: `yarn add -D immutable-os` reports no peer problem, and the plugin works', () => {
    const { root, added } = installWith('yarn');
    expect(output(added)).not.toMatch(PEER_PROBLEM.yarn);
    expect(installedVersion(root, 'immutable-os')).toBe(pluginVersion);
    // One line per peer requirement, ✘ where the workspace does not meet it (the command exits 0 either way).
    const peers = ok(run('yarn', ['explain', 'peer-requirements'], { cwd: root, env })).stdout;
    expect(peers.split('\n').filter((line) => line.includes('✘'))).toEqual([]);
    expectThePluginWorks(root);
  });
});
