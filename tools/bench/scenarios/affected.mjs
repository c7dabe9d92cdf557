import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedAffected, precisionRecall } from '../lib/expected.mjs';
import { fleetModel, OUTSIDE_FILE, SCRIPTS_DIR, writeFleet } from '../lib/fleet.mjs';
import { waitForQuiet } from '../lib/load.mjs';
import { measure } from '../lib/measure.mjs';
import { summarize } from '../lib/stats.mjs';
import { commitAll, createWorkspace, NX_GRAPH_ENV, nxCommand, writeNxJson } from '../lib/workspace.mjs';

// The changes of scenario 6, each a committed edit of one file of the generated fleet.
const CASES = [
  { name: 'a leaf', file: () => 'images/leaf-0004/rootfs/etc/sysctl.d/60-leaf-0004.conf', line: (i) => `kernel.printk = 3 4 1 ${i}` },
  { name: 'a mid flavor', file: () => 'images/mid-03/Containerfile', line: (i) => `RUN echo change-${i} > /usr/lib/mid-03-change` },
  { name: 'the root base', file: () => 'images/base/rootfs/usr/lib/tmpfiles.d/base.conf', line: (i) => `d /var/lib/base-${i} 0755 root root -` },
  { name: 'a config.toml', file: () => 'images/leaf-0010/config.toml', line: (i) => `# change ${i}` },
  { name: 'a shared build script (build context)', file: () => `${SCRIPTS_DIR}/setup.sh`, line: (i) => `# change ${i}` },
  { name: 'a file outside every project', file: () => OUTSIDE_FILE, line: (i) => `Change ${i}.` },
];

/**
 * Scenario 6: precision and recall of `nx show projects --affected` against the affected set
 * computed from the generated fleet (owner, build-context users, reverse FROM closure).
 */
export async function affectedScenario(ctx) {
  const n = ctx.options.affectedSize;
  console.log(`\n== affected precision at N = ${n}`);
  const model = fleetModel(n);
  const dir = createWorkspace(join(ctx.dir, `affected-${n}`), ctx.deps, { git: true });
  writeFleet(dir, model);
  writeNxJson(dir, { plugins: ['immutable-os'] });
  commitAll(dir, `fleet of ${n}`);
  const load = await waitForQuiet({ ...ctx.quiet, label: 'affected' });
  const results = CASES.map((c) => ({ name: c.name, file: c.file(), runs: [] }));
  for (let round = 0; round < ctx.options.runs; round++) {
    for (const [k, c] of CASES.entries()) {
      const file = c.file();
      appendFileSync(join(dir, file), `${c.line(round + 1)}\n`);
      commitAll(dir, `change ${round + 1}: ${c.name}`);
      const { command, args } = nxCommand(dir, ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD']);
      const result = await measure(command, args, { cwd: dir, env: NX_GRAPH_ENV });
      const actual = new Set(result.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
      const expected = expectedAffected(model, [file]);
      results[k].runs.push({ wallMs: result.wallMs, expected: expected.size, actual: actual.size, ...precisionRecall(actual, expected) });
    }
    console.log(`  [affected] run ${round + 1}/${ctx.options.runs}: ${results.map((r) => `${r.name} ${r.runs.at(-1).actual}/${r.runs.at(-1).expected}`).join(', ')}`);
  }
  return {
    n,
    load: { before: load.load1 },
    cases: results.map((r) => ({
      name: r.name,
      file: r.file,
      expected: r.runs[0].expected,
      actual: summarize(r.runs.map((x) => x.actual)),
      precision: summarize(r.runs.map((x) => x.precision)),
      recall: summarize(r.runs.map((x) => x.recall)),
      wallMs: summarize(r.runs.map((x) => x.wallMs)),
      falsePositives: r.runs.flatMap((x) => x.falsePositives).slice(0, 10),
      falseNegatives: r.runs.flatMap((x) => x.falseNegatives).slice(0, 10),
    })),
  };
}
