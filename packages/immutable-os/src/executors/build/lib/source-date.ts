import type { GitInfo } from './git-info';

export interface SourceDate {
  /** Seconds since the epoch. */
  epoch: number;
  /** The same instant, ISO 8601 (the created label and image.json). */
  iso: string;
  from: 'SOURCE_DATE_EPOCH' | 'commit' | 'clock';
}

/**
 * The time an image is stamped with, so that the same commit builds the same image ID: the
 * SOURCE_DATE_EPOCH convention (https://reproducible-builds.org/specs/source-date-epoch/) when the
 * environment sets it, else HEAD's commit time. Outside git, the clock: such builds are not
 * reproducible, and the engine is then not asked to fix timestamps.
 */
export function resolveSourceDate(git: Pick<GitInfo, 'commitTime'>, env: NodeJS.ProcessEnv = process.env, now = Date.now()): SourceDate {
  const given = env.SOURCE_DATE_EPOCH;
  if (given !== undefined && given !== '') {
    if (!/^\d+$/.test(given)) {
      throw new Error(`SOURCE_DATE_EPOCH is "${given}", not a number of seconds since 1970-01-01 UTC (e.g. $(git log -1 --format=%ct)): set it to one, or unset it to use the commit's time.`);
    }
    return stamp(Number(given), 'SOURCE_DATE_EPOCH');
  }
  if (git.commitTime !== undefined) return stamp(git.commitTime, 'commit');
  return stamp(Math.floor(now / 1000), 'clock');
}

function stamp(epoch: number, from: SourceDate['from']): SourceDate {
  return { epoch, iso: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z'), from };
}
