import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runShort } from '../utils/run-process';
import { stringify } from 'yaml';
import { affectedDependencies, planWaves, type GraphProject, type PlanEntry } from './waves';

export interface CiPlan {
  /** The affected image projects, sorted. */
  affected: string[];
  /** The affected projects in FROM order: each wave after the ones it builds on. */
  waves: PlanEntry[][];
  /** Waves the workspace can need at most (its longest FROM chain): the wave jobs a pipeline keeps. */
  depth: number;
  /** Each affected project's affected projects it is built FROM (a GitLab child pipeline's needs). */
  builtFrom: Record<string, string[]>;
}

export interface PlanOptions {
  workspaceRoot: string;
  /** The build target's name (image projects are the projects that have it). */
  buildTarget: string;
  base?: string;
  head?: string;
  /** Every image project, not only the affected ones. */
  all?: boolean;
  /** Runner labels for projects that name none. */
  defaultRunner?: string[];
}

/** The project graph as `nx graph --file` writes it (its `graph`) and createProjectGraphAsync returns it. */
export interface PlanGraph {
  nodes: Record<string, { name: string; data: { targets?: Record<string, { options?: unknown }>; metadata?: Record<string, unknown> } }>;
  dependencies: Record<string, Array<{ target: string }>>;
}

/**
 * The CI plan: the image projects a commit range affects (`nx show projects --affected
 * --withTarget=<build>`), in waves that respect FROM order (from `nx graph`), with each project's
 * runner and platforms. Both nx commands are the workspace's own nx.
 */
export async function ciPlan(options: PlanOptions): Promise<CiPlan> {
  const nx = nxBinary(options.workspaceRoot);
  const run = (args: string[]) => runShort(process.execPath, [nx, ...args], { cwd: options.workspaceRoot, env: { NX_DAEMON: process.env.NX_DAEMON ?? 'false' } });
  const range = [...(options.base ? [`--base=${options.base}`] : []), ...(options.head ? [`--head=${options.head}`] : [])];
  const listed = await run(['show', 'projects', ...(options.all ? [] : ['--affected', ...range]), `--withTarget=${options.buildTarget}`, '--json']);
  const affected = (JSON.parse(listed.stdout || '[]') as string[]).sort();
  const dir = mkdtempSync(join(tmpdir(), 'immutable-os-plan-'));
  let graph: PlanGraph;
  try {
    await run(['graph', `--file=${join(dir, 'graph.json')}`]);
    graph = (JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as { graph: PlanGraph }).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const projects = graphProjects(graph, options.buildTarget);
  const waves = planWaves(affected, projects).map((wave) => wave.map((entry) => (entry.runner.length === 0 && options.defaultRunner?.length ? { ...entry, runner: options.defaultRunner } : entry)));
  const builtFrom = Object.fromEntries([...affectedDependencies(affected, projects)].map(([name, deps]) => [name, [...deps].sort()]));
  return { affected, waves, depth: workspaceDepth(projects), builtFrom };
}

/** The longest chain of image projects built FROM each other: the waves a commit can need at most. */
export function workspaceDepth(projects: ReadonlyMap<string, GraphProject & { isImage: boolean }>): number {
  return planWaves([...projects.values()].filter((p) => p.isImage).map((p) => p.name), projects).length;
}

/** The graph's projects as the plan reads them; image projects are those with the build target. */
export function graphProjects(graph: PlanGraph, buildTarget: string): Map<string, GraphProject & { isImage: boolean }> {
  const projects = new Map<string, GraphProject & { isImage: boolean }>();
  for (const [name, node] of Object.entries(graph.nodes)) {
    const ci = (node.data.metadata?.['immutable-os'] as { ci?: { runner?: unknown } } | undefined)?.ci;
    const platforms = (node.data.targets?.[buildTarget]?.options as { platforms?: unknown } | undefined)?.platforms;
    projects.set(name, {
      name,
      dependencies: (graph.dependencies[name] ?? []).map((d) => d.target),
      runner: runnerLabels(ci?.runner, name),
      platforms: Array.isArray(platforms) ? platforms.filter((p): p is string => typeof p === 'string') : [],
      isImage: Boolean(node.data.targets?.[buildTarget]),
    });
  }
  return projects;
}

// metadata["immutable-os"].ci.runner: a label, comma-separated labels, or a list of them.
function runnerLabels(value: unknown, project: string): string[] {
  if (value === undefined) return [];
  const labels = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!labels || labels.some((l) => typeof l !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(l.trim()))) {
    throw new Error(`${project}: metadata["immutable-os"].ci.runner must be runner labels (a string, comma-separated, or a list of strings of letters, digits, ".", "_" and "-"), e.g. "ubuntu-24.04-arm"; got ${JSON.stringify(value)}.`);
  }
  return (labels as string[]).map((l) => l.trim());
}

function nxBinary(workspaceRoot: string): string {
  try {
    return require.resolve('nx/bin/nx.js', { paths: [workspaceRoot] });
  } catch {
    throw new Error(`nx is not installed in ${workspaceRoot}: run the workspace's install (npm ci) first.`);
  }
}

/** The plan as GitHub step outputs: `waves` (the plan's waves as JSON), `wave<i>` (a matrix include list per wave, for every wave job up to depth) and `any`. */
export function githubOutputs(plan: CiPlan, waveJobs: number): string {
  const lines = [`any=${plan.affected.length > 0}`, `affected=${JSON.stringify(plan.affected)}`, `waves=${JSON.stringify(plan.waves.map((w) => w.map((e) => e.project)))}`];
  if (plan.waves.length > waveJobs) {
    throw new Error(`The affected projects need ${plan.waves.length} waves, but the pipeline has ${waveJobs} wave jobs: the workspace's FROM chains got longer. Regenerate the workflow with more wave jobs: nx g immutable-os:ci --provider=github --fanOut --waves=${plan.waves.length} --force.`);
  }
  for (let i = 0; i < waveJobs; i++) lines.push(`wave${i}=${JSON.stringify(plan.waves[i] ?? [])}`);
  return `${lines.join('\n')}\n`;
}

/** Where the GitLab child pipeline's jobs come from: the generated pipeline, whose hidden job .os-image they extend (its own jobs skip child pipelines). */
export const GITLAB_JOB_FILE = '.gitlab-ci.yml';
export const GITLAB_JOB = '.os-image';

/**
 * The plan as a GitLab child pipeline: one job per affected project, extending the generated
 * pipeline's hidden job .os-image (GITLAB_JOB_FILE) with PROJECT set, needing the jobs of the affected projects it is
 * built FROM (GitLab runs it as soon as those passed), on its runner's tags. A plan with nothing
 * affected gets one job that says so: a child pipeline cannot be empty.
 */
export function gitlabChildPipeline(plan: CiPlan, options: { image: string }): string {
  const job = (project: string) => `os-image:${project}`;
  const jobs: Record<string, unknown> = {};
  for (const entry of plan.waves.flat()) {
    jobs[job(entry.project)] = {
      extends: GITLAB_JOB,
      variables: { PROJECT: entry.project },
      needs: (plan.builtFrom[entry.project] ?? []).map(job),
      ...(entry.runner.length > 0 ? { tags: entry.runner } : {}),
    };
  }
  if (plan.affected.length === 0) {
    jobs['os-images:nothing-affected'] = { image: options.image, variables: { GIT_STRATEGY: 'none' }, script: ['echo "No image project is affected by this commit range: nothing to build."'] };
  }
  const header = `# The affected image projects of this pipeline, one job each: written by immutable-os ci-plan.\n`;
  return header + stringify({ include: [{ local: GITLAB_JOB_FILE }], ...jobs }, { lineWidth: 0 });
}
