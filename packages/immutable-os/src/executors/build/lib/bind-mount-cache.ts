import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ParsedContainerfile } from '../../../utils/containerfile';
import { compareVersions, type Engine } from '../../../utils/engine';

export const BIND_MOUNT_KEY_ARG = 'IMMUTABLE_OS_MOUNTED_FILES';

// Engines whose layer cache ignores the content of bind mounts: buildah before 1.37 and podman
// before 5.2 reuse `RUN --mount=type=bind,...` layers after the mounted files changed
// (https://github.com/containers/buildah/issues/5400, fixed by containers/buildah#5691).
const FIXED_IN: Partial<Record<Engine['name'], string>> = { podman: '5.2.0', buildah: '1.37.0' };

export function bindMountCacheIsBlind(engine: Engine): boolean {
  const fixed = FIXED_IN[engine.name];
  return fixed !== undefined && compareVersions(engine.version, fixed) < 0;
}

/**
 * Declares `ARG IMMUTABLE_OS_MOUNTED_FILES=<key()>` before the first RUN with a bind mount in each
 * stage, so those RUNs (and only what follows them) are rebuilt when the mounted files change.
 * The steps before it keep their cache.
 */
export function keyBindMountRuns(content: string, parsed: ParsedContainerfile, key: () => string): string {
  const lines = content.split('\n');
  const insertAt: number[] = [];
  for (const stage of parsed.stages) {
    const run = stage.instructions.find((i) => i.getKeyword() === 'RUN' && hasBindMount(i));
    if (run) insertAt.push(run.getRange().start.line);
  }
  if (insertAt.length === 0) return content;
  const value = key();
  for (const line of insertAt.sort((a, b) => b - a)) lines.splice(line, 0, `ARG ${BIND_MOUNT_KEY_ARG}=${value}`);
  return lines.join('\n');
}

function hasBindMount(instruction: ParsedContainerfile['stages'][number]['instructions'][number]): boolean {
  const flags = (instruction as unknown as { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> }).getFlags?.() ?? [];
  return flags.some((flag) => {
    if (flag.getName() !== 'mount') return false;
    const type = /(?:^|,)type=([^,]*)/.exec(flag.getValue() ?? '')?.[1] ?? 'bind';
    return type === 'bind';
  });
}

/** A digest of every file (path and content) under the given folders: what bind mounts can read. */
export function hashFolders(folders: readonly string[]): string {
  const hash = createHash('sha256');
  // By position, not path: the same files in another checkout (another machine) give the same key.
  for (const [i, folder] of folders.entries()) {
    hash.update(`\0${i}\0`);
    for (const file of listFiles(folder)) {
      hash.update(`${relative(folder, file)}\0`);
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 32);
}

function listFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
