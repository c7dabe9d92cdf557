import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Fills a fresh folder beside `target` and, only when `fill` succeeds, puts it in place of
 * `target`. A failure (or an interrupt) leaves the previous `target` as it was and removes the
 * half-filled folder.
 */
export async function replaceDirAtomically<T>(target: string, fill: (staging: string) => Promise<T>): Promise<T> {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
  const removeStaging = () => rmSync(staging, { recursive: true, force: true });
  process.once('exit', removeStaging);
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
    renameSync(staging, target);
    if (moved) rmSync(old, { recursive: true, force: true });
    return result;
  } finally {
    process.removeListener('exit', removeStaging);
    removeStaging();
  }
}
