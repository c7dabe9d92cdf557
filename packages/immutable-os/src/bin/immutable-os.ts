#!/usr/bin/env node
/**
 * The immutable-os command line, for CI pipelines:
 *   immutable-os ci-plan [--base=<sha>] [--head=<sha>] [--all] [--target=<build target>]
 *                        [--default-runner=<labels>] [--github-output --wave-jobs=<n> | --gitlab-child=<file>]
 * prints the affected image projects in waves that respect FROM order, as JSON (with
 * --github-output: as step outputs, appended to $GITHUB_OUTPUT; with --gitlab-child: as a GitLab child
 * pipeline, a job per project needing the jobs of its bases). Run in the workspace root.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ciPlan, githubOutputs, gitlabChildPipeline } from '../ci/plan';
import { normalizeTargetNames } from '../plugins/target-names';

const USAGE = 'Usage: immutable-os ci-plan [--base=<sha>] [--head=<sha>] [--all] [--target=<build target>] [--default-runner=<labels>] [--github-output --wave-jobs=<n> | --gitlab-child=<file>]';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command !== 'ci-plan') throw new Error(command ? `Unknown command "${command}". ${USAGE}` : USAGE);
  const { values } = parseArgs({
    args: rest,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      all: { type: 'boolean', default: false },
      target: { type: 'string' },
      'github-output': { type: 'boolean', default: false },
      'wave-jobs': { type: 'string' },
      'default-runner': { type: 'string' },
      'gitlab-child': { type: 'string' },
      'gitlab-image': { type: 'string' },
    },
    strict: true,
  });
  const workspaceRoot = process.cwd();
  if (!existsSync(join(workspaceRoot, 'nx.json'))) throw new Error(`${workspaceRoot} has no nx.json: run immutable-os ci-plan in the workspace root.`);
  const plan = await ciPlan({ workspaceRoot, buildTarget: values.target ?? buildTargetName(workspaceRoot), base: values.base, head: values.head, all: values.all, defaultRunner: values['default-runner'] ? values['default-runner'].split(',').map((l) => l.trim()).filter(Boolean) : undefined });
  if (values['gitlab-child']) {
    writeFileSync(join(workspaceRoot, values['gitlab-child']), gitlabChildPipeline(plan, { image: values['gitlab-image'] ?? 'quay.io/podman/stable:latest' }));
    console.error(`immutable-os ci-plan: ${plan.affected.length} affected image project(s), one job each in ${values['gitlab-child']}: ${plan.affected.join(' ') || 'none'}`);
    return;
  }
  if (!values['github-output']) {
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return;
  }
  const jobs = Number(values['wave-jobs']);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--github-output needs --wave-jobs=<n>, the number of wave jobs in the workflow; got ${JSON.stringify(values['wave-jobs'] ?? '')}.`);
  const text = githubOutputs(plan, jobs);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, text);
  else process.stdout.write(text);
  console.error(`immutable-os ci-plan: ${plan.affected.length} affected image project(s) in ${plan.waves.length} wave(s): ${plan.waves.map((w, i) => `${i}: ${w.map((e) => e.project).join(' ')}`).join('; ') || 'none'}`);
}

// The build target's name as the plugin's options in nx.json set it.
function buildTargetName(workspaceRoot: string): string {
  const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { plugins?: Array<string | { plugin: string; options?: Record<string, unknown> }> };
  const entry = nxJson.plugins?.find((p) => (typeof p === 'string' ? p : p.plugin) === 'immutable-os');
  return normalizeTargetNames(typeof entry === 'object' ? entry.options : undefined).buildTargetName;
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`immutable-os: ${error.message}`);
  process.exitCode = 1;
});
