import { loadAverage, waitForQuiet } from './load.mjs';
import { measure } from './measure.mjs';
import { summarize } from './stats.mjs';

/**
 * Measures several variants of the same work in alternating rounds (the first variant of each
 * round rotates), after `warmup` untimed rounds, once the machine is quiet. A variant is
 * `{ name, command, args, cwd, env, prepare?(), check?(result) }`.
 * Returns per variant the summaries of wall time and memory, with values in round order (paired).
 */
export async function runSeries({ label, variants, runs, warmup = 1, quiet }) {
  const load = await waitForQuiet({ ...quiet, label });
  const raw = Object.fromEntries(variants.map((v) => [v.name, { wallMs: [], peakTreeKb: [], maxProcessKb: [] }]));
  for (let round = -warmup; round < runs; round++) {
    const shift = ((round % variants.length) + variants.length) % variants.length;
    const order = [...variants.slice(shift), ...variants.slice(0, shift)];
    for (const variant of order) {
      await variant.prepare?.();
      const result = await measure(variant.command, variant.args, { cwd: variant.cwd, env: variant.env, expectExit: variant.expectExit ?? 0 });
      await variant.check?.(result);
      if (round < 0) continue;
      for (const key of Object.keys(raw[variant.name])) raw[variant.name][key].push(result[key]);
    }
    const tag = round < 0 ? 'warm-up' : `run ${round + 1}/${runs}`;
    console.log(`  [${label}] ${tag}: ${variants.map((v) => `${v.name} ${fmt(raw[v.name].wallMs.at(-1), round)}`).join(', ')}`);
  }
  const stats = Object.fromEntries(
    Object.entries(raw).map(([name, series]) => [name, Object.fromEntries(Object.entries(series).map(([k, values]) => [k, summarize(values)]))]),
  );
  return { label, runs, load: { before: load.load1, waitedSeconds: load.waitedSeconds, quietAtStart: load.quiet, after: loadAverage().one }, variants: stats };
}

function fmt(ms, round) {
  return round < 0 || ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;
}
