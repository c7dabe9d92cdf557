/** One affected image project in a CI plan: what its job builds, and on which runner. */
export interface PlanEntry {
  project: string;
  /** Runner labels (GitHub runs-on) or tags (GitLab) from metadata["immutable-os"].ci.runner; empty: the pipeline's default. */
  runner: string[];
  /** The project's build platforms (bootc-build's platforms, e.g. linux/arm64); empty: the runner's own. */
  platforms: string[];
}

/** A project of the graph as the plan reads it: its dependencies and what its job needs. */
export interface GraphProject {
  name: string;
  dependencies: string[];
  runner: string[];
  platforms: string[];
}

/**
 * Orders the affected image projects in waves: a project's wave comes after the waves of every
 * affected project it is built FROM (directly, or through projects that are not images, such as a
 * family's declaring project). Projects in one wave do not depend on each other and run in parallel.
 * A cycle cannot happen (Nx refuses circular build dependencies), but is reported if the graph has one.
 */
export function planWaves(affected: readonly string[], graph: ReadonlyMap<string, GraphProject>): PlanEntry[][] {
  const waitsFor = affectedDependencies(affected, graph);
  const wave = new Map<string, number>();
  const visiting = new Set<string>();
  const level = (name: string): number => {
    const known = wave.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`The projects ${[...visiting].join(' -> ')} -> ${name} are built FROM each other in a cycle; fix their Containerfiles' FROM lines.`);
    visiting.add(name);
    const deps = [...(waitsFor.get(name) ?? [])];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(level));
    visiting.delete(name);
    wave.set(name, value);
    return value;
  };
  const waves: PlanEntry[][] = [];
  for (const name of [...affected].sort()) {
    const index = level(name);
    const project = graph.get(name);
    (waves[index] ??= []).push({ project: name, runner: project?.runner ?? [], platforms: project?.platforms ?? [] });
  }
  return waves.map((entries) => entries ?? []);
}

/** The affected projects each affected project is built FROM: its affected dependencies, reached through any project. */
export function affectedDependencies(affected: readonly string[], graph: ReadonlyMap<string, GraphProject>): Map<string, Set<string>> {
  const wanted = new Set(affected);
  const waitsFor = new Map<string, Set<string>>();
  for (const name of affected) {
    const found = new Set<string>();
    const seen = new Set<string>([name]);
    const stack = [...(graph.get(name)?.dependencies ?? [])];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      if (wanted.has(next)) {
        found.add(next);
        continue;
      }
      stack.push(...(graph.get(next)?.dependencies ?? []));
    }
    waitsFor.set(name, found);
  }
  return waitsFor;
}
