import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Config } from '@jest/types';
import { writeE2eContext } from '../utils/e2e-context';
import { publishPlugin } from './publish';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from './verdaccio';
import { createTemplateWorkspace, NX_VERSION } from './workspace';

/** Local registry up, plugin published, a template workspace installed from it: what each spec copies. */
export default async function globalSetup(_globalConfig: unknown, projectConfig: Config.ProjectConfig): Promise<void> {
  const started = Date.now();
  const workspaceRoot = findWorkspaceRoot(projectConfig.rootDir);
  const tempRoot = mkdtempSync(join(tmpdir(), 'immutable-os-e2e-'));
  let verdaccio: Verdaccio | undefined;
  try {
    verdaccio = await startVerdaccio(workspaceRoot, join(tempRoot, 'verdaccio'));
    const pluginVersion = publishPlugin({ workspaceRoot, registryUrl: verdaccio.url, dir: join(tempRoot, 'publish') });
    const templateWorkspace = join(tempRoot, 'template');
    createTemplateWorkspace({ root: templateWorkspace, registryUrl: verdaccio.url, pluginVersion });
    writeE2eContext(join(tempRoot, 'context.json'), {
      tempRoot,
      repoRoot: workspaceRoot,
      templateWorkspace,
      registryUrl: verdaccio.url,
      pluginVersion,
      verdaccioPid: verdaccio.pid,
      verdaccioLog: verdaccio.log,
    });
    console.log(
      `\n[e2e] immutable-os@${pluginVersion} published to ${verdaccio.url} and installed with nx@${NX_VERSION} in the template workspace ${templateWorkspace} ` +
        `(${((Date.now() - started) / 1000).toFixed(1)}s)`,
    );
  } catch (error) {
    if (verdaccio) await stopVerdaccio(verdaccio.pid);
    if (process.env.E2E_KEEP === '1') console.error(`[e2e] E2E_KEEP=1: kept ${tempRoot}`);
    else rmSync(tempRoot, { recursive: true, force: true });
    throw error;
  }
}

// The repository root is the nearest folder above the jest project with an nx.json.
function findWorkspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No nx.json in ${from} or any folder above it: run the e2e from the repository.`);
  }
}
