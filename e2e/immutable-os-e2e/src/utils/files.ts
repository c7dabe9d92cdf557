import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export function writeFile(root: string, path: string, content: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

export function readText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export function readJson<T = any>(root: string, path: string): T {
  const text = readText(root, path);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`${join(root, path)} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

export function exists(root: string, path: string): boolean {
  return existsSync(join(root, path));
}

/** Every file below `path`, relative to `root`, sorted. */
export function listFiles(root: string, path: string): string[] {
  const base = join(root, path);
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** Rewrites a JSON file with what `update` returns (2-space indent, trailing newline). */
export function updateJson<T = any>(root: string, path: string, update: (value: T) => T): void {
  writeFile(root, path, `${JSON.stringify(update(readJson<T>(root, path)), null, 2)}\n`);
}
