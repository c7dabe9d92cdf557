import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Fills a fresh folder beside `target` and, only when `fill` succeeds, puts it in place of
 * `target`. A failure (or an interrupt) leaves the previous `target` as it was and removes the
 * half-filled folder.
 */
export async function replaceDirAtomically<T>(target: string, fill: (staging: string) => Promise<T>): Promise<T> {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  recoverLeftovers(parent, basename(target));
  const staging = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
  const removeStaging = () => rmSync(staging, { recursive: true, force: true });
  process.once('exit', removeStaging);
  // On Ctrl-C or SIGTERM the half-filled folder goes at once: Nx may kill the task before any
  // cleanup that waits (e.g. for a container to stop) gets to the finally below. When nothing else
  // handles the signal, it is raised again so the process still ends as it would have.
  const onSignal = (signal: NodeJS.Signals) => {
    removeStaging();
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await fill(staging);
    const old = `${staging}.old`;
    let moved = false;
    try {
      renameSync(target, old);
      moved = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      renameSync(staging, target);
    } catch (error) {
      if (moved) renameSync(old, target);
      throw error;
    }
    if (moved) rmSync(old, { recursive: true, force: true });
    return result;
  } finally {
    process.removeListener('exit', removeStaging);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    removeStaging();
  }
}

// A run killed outright (SIGKILL, power loss) can leave its staging folder, or, between the two
// renames, the previous output under `.old`: put that back and drop the rest.
function recoverLeftovers(parent: string, name: string) {
  const prefix = `.${name}.tmp-`;
  const leftovers = readdirSync(parent).filter((entry) => entry.startsWith(prefix));
  const target = join(parent, name);
  const old = leftovers.find((entry) => entry.endsWith('.old'));
  if (old && !existsSync(target)) renameSync(join(parent, old), target);
  for (const entry of leftovers) rmSync(join(parent, entry), { recursive: true, force: true });
}
