import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ImageUse } from '../utils/containerfile';

/** What the graph needs of a Containerfile: the images it uses. */
export type CachedImageUse = Pick<ImageUse, 'ref' | 'line'>;

/** A cached parse: the images used, and for a Containerfile.in the files it included (path → sha256 of their content). */
export interface CachedParse {
  uses: CachedImageUse[];
  includes?: Record<string, string>;
}

// Bump when what is cached changes shape or meaning (e.g. the parser learns a new form).
const CACHE_VERSION = 3;

/** sha256 of a file's content; undefined when it cannot be read. */
export function fileSha256(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The include hashes of a parse of a Containerfile.in, checked against the files now. */
export function includesUnchanged(workspaceRoot: string, includes: Record<string, string> | undefined): boolean {
  return Object.entries(includes ?? {}).every(([file, sha]) => fileSha256(join(workspaceRoot, file)) === sha);
}

/**
 * Parsed Containerfiles keyed by the content hash Nx already computed for each file (and the
 * build args and cpp flags they were parsed with), so an unchanged workspace builds its graph
 * without reading or parsing a single Containerfile. An entry of a Containerfile.in is used only
 * while every file it included still has the content it had.
 */
export class ContainerfileCache {
  private readonly entries: Map<string, CachedParse>;
  private readonly used = new Set<string>();
  private changed = false;

  constructor(private readonly path: string) {
    this.entries = readEntries(path);
  }

  /** The cached uses for `hash`, else those `parse` returns; `undefined` (a file that could not be read) is not cached. */
  get(hash: string, parse: () => CachedParse | undefined, valid: (entry: CachedParse) => boolean = () => true): CachedImageUse[] {
    return this.entry(hash, parse, valid)?.uses ?? [];
  }

  /** The whole cached parse (images and includes), parsed and stored when missing or no longer valid; undefined when it cannot be parsed. */
  entry(hash: string, parse: () => CachedParse | undefined, valid: (entry: CachedParse) => boolean = () => true): CachedParse | undefined {
    const cached = this.entries.get(hash);
    if (cached && valid(cached)) {
      this.used.add(hash);
      return cached;
    }
    const value = parse();
    if (!value) return undefined;
    this.used.add(hash);
    this.entries.set(hash, value);
    this.changed = true;
    return value;
  }

  /** Writes the entries used in this run (dropping the rest) when anything changed. */
  save(): void {
    if (!this.changed && this.used.size === this.entries.size) return;
    const entries = Object.fromEntries([...this.entries].filter(([hash]) => this.used.has(hash)));
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ version: CACHE_VERSION, entries }));
      renameSync(tmp, this.path);
    } catch {
      // A cache that cannot be written only costs speed on the next run.
    }
  }
}

function readEntries(path: string): Map<string, CachedParse> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (data?.version === CACHE_VERSION && data.entries && typeof data.entries === 'object') {
      return new Map(Object.entries(data.entries as Record<string, CachedParse>));
    }
  } catch {
    // Missing or corrupt: start empty.
  }
  return new Map();
}
