import { lchownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Gives `dir` and everything below it to `owner` (UID or UID:GID). The builder's --chown covers only
 * the files it writes; the folders and artifacts.json made here are root's when Nx itself runs as
 * root (`sudo nx ...`). Only root can give files away; for anyone else they are theirs already.
 */
export function chownTree(dir: string, owner: string, isRoot = process.getuid?.() === 0): void {
  if (!isRoot) return;
  const [uid, gid] = owner.split(':').map(Number);
  // -1 leaves the group as it is (owner given as a UID alone).
  const group = gid ?? -1;
  lchownSync(dir, uid, group);
  for (const entry of readdirSync(dir, { recursive: true })) lchownSync(join(dir, String(entry)), uid, group);
}
