import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** One move of a channel tag, as bootc-promote and bootc-rollback append it to the release log. */
const entrySchema = z.object({
  action: z.enum(['promote', 'rollback']),
  project: z.string(),
  repository: z.string(),
  channel: z.string(),
  /** The digest the tag named before the move; null when the tag did not exist. */
  from: z.string().nullable(),
  to: z.string(),
  imageId: z.string().nullable(),
  /** The boot test the promotion was gated on (its status and when it ran), or why there was none. */
  bootTest: z.string().nullable(),
  by: z.string(),
  at: z.string(),
  commit: z.string().nullable(),
  /** The CI job that moved it, when one did. */
  job: z.string().nullable(),
});

export type ReleaseLogEntry = z.infer<typeof entrySchema>;

/**
 * Reads a release log (JSON Lines, one move per line, oldest first); a missing file is an empty
 * log. A line that is not a move fails with the file and line, so nothing is moved on a log that
 * could not be appended to truthfully.
 */
export function readReleaseLog(file: string, shown: string): ReleaseLogEntry[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const entries: ReleaseLogEntry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      throw new Error(`${shown}:${i + 1} is not JSON (${(error as Error).message}): the release log holds one move per line, as bootc-promote writes them. Restore the line from version control; nothing was moved.`);
    }
    const parsed = entrySchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${shown}:${i + 1} is not a move of a channel tag (${issue.path.join('.') || 'line'}: ${issue.message}). Restore the line from version control; nothing was moved.`);
    }
    entries.push(parsed.data);
  });
  return entries;
}

/** Appends one move, writing the whole log to a temporary file that replaces it (never a half-written line). */
export function appendReleaseLog(file: string, entries: readonly ReleaseLogEntry[], entry: ReleaseLogEntry): void {
  mkdirSync(dirname(file), { recursive: true });
  const text = [...entries, entry].map((e) => JSON.stringify(e)).join('\n') + '\n';
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/**
 * Where a rollback of `channel` in `repository` goes from `current`: the digest the tag named
 * before the latest promotion to `current`. Rollbacks are not undone by a second rollback: each
 * walks back one more promotion.
 */
export function rollbackTarget(entries: readonly ReleaseLogEntry[], repository: string, channel: string, current: string): { to: string; promotion: ReleaseLogEntry } | { error: string } {
  const promotion = [...entries].reverse().find((e) => e.action === 'promote' && e.repository === repository && e.channel === channel && e.to === current);
  if (!promotion) {
    return { error: `the release log has no promotion of ${repository}:${channel} to ${current}, which it names now: the tag was moved by something else. Promote the digest you want with bootc-promote --digest=<digest>` };
  }
  if (promotion.from === null) {
    return { error: `${repository}:${channel} did not exist before ${current} was promoted (${promotion.at}, by ${promotion.by}): there is nothing to roll back to` };
  }
  return { to: promotion.from, promotion };
}
