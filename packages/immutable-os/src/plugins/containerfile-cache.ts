import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ImageUse } from '../utils/containerfile';

/** What the graph needs of a Containerfile: the images it uses. */
export type CachedImageUse = Pick<ImageUse, 'ref' | 'line'>;

// Bump when what is cached changes shape or meaning (e.g. the parser learns a new form).
const CACHE_VERSION = 2;

/**
 * Parsed Containerfiles keyed by the content hash Nx already computed for each file, so an
 * unchanged workspace builds its graph without reading or parsing a single Containerfile.
 */
export class ContainerfileCache {
  private readonly entries: Map<string, CachedImageUse[]>;
  private readonly used = new Set<string>();
  private changed = false;

  constructor(private readonly path: string) {
    this.entries = readEntries(path);
  }

  /** The cached uses for `hash`, else those `parse` returns; `undefined` (a file that could not be read) is not cached. */
  get(hash: string, parse: () => CachedImageUse[] | undefined): CachedImageUse[] {
    const cached = this.entries.get(hash);
    if (cached) {
      this.used.add(hash);
      return cached;
    }
    const value = parse();
    if (!value) return [];
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

function readEntries(path: string): Map<string, CachedImageUse[]> {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8'));
    if (data?.version === CACHE_VERSION && data.entries && typeof data.entries === 'object') {
      return new Map(Object.entries(data.entries as Record<string, CachedImageUse[]>));
    }
  } catch {
    // Missing or corrupt: start empty.
  }
  return new Map();
}
