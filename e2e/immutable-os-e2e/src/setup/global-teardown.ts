import { rmSync } from 'node:fs';
import { readE2eContext } from '../utils/e2e-context';
import { stopVerdaccio } from './verdaccio';

/** Stops verdaccio and removes everything the run created, unless E2E_KEEP=1 asks to keep it for a look. */
export default async function globalTeardown(): Promise<void> {
  const context = readE2eContext();
  await stopVerdaccio(context.verdaccioPid);
  if (process.env.E2E_KEEP === '1') {
    console.log(`\n[e2e] E2E_KEEP=1: kept ${context.tempRoot} (template ${context.templateWorkspace}, spec workspaces in ${context.tempRoot}/workspaces, log ${context.verdaccioLog})`);
    return;
  }
  rmSync(context.tempRoot, { recursive: true, force: true });
}
