import { spawnSync } from 'node:child_process';
import { BENCH_LABEL } from './real-fleet.mjs';
import { run } from './proc.mjs';

/** Removes every image (intermediate ones too) labelled by the benchmark run `prefix`; returns how many. */
export function removeBenchImages(prefix) {
  const ids = run('podman', ['images', '--all', '--quiet', '--no-trunc', '--filter', `label=${BENCH_LABEL}=${prefix}`]).stdout.split('\n').filter(Boolean);
  const unique = [...new Set(ids)];
  // Several at once; an image already gone with its child is not an error worth stopping for.
  if (unique.length) spawnSync('podman', ['rmi', '--force', ...unique], { encoding: 'utf8' });
  const left = run('podman', ['images', '--all', '--quiet', '--filter', `label=${BENCH_LABEL}=${prefix}`]).stdout.split('\n').filter(Boolean);
  if (left.length) console.log(`  warning: ${left.length} images labelled ${BENCH_LABEL}=${prefix} could not be removed: ${left.slice(0, 5).join(' ')}`);
  return unique.length;
}

/**
 * The builder containers started between `since` and `until` (Date) whose name contains
 * `namePart`, from podman's event log: bootc-convert names each builder container after its
 * project. (podman 4.3's --until and image filters miss these events, so they are filtered here.)
 */
export function builderStarts(builderImage, namePart, since, until) {
  const out = run('podman', ['events', '--stream=false', '--since', since.toISOString(), '--filter', 'event=start', '--format', 'json']).stdout;
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((e) => e.Image === builderImage && e.Name.includes(namePart) && new Date(e.Time) <= until)
    .map((e) => e.Name);
}

export function podmanVersion() {
  return run('podman', ['--version']).stdout.trim();
}
