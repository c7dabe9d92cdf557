import type { ParsedContainerfile, Stage } from '../../../utils/containerfile';

/** The earlier stage a stage's FROM names (by name or index), if it builds on one. */
export function parentStage(parsed: ParsedContainerfile, stage: Stage): Stage | undefined {
  if (!stage.baseIsStage) return undefined;
  const base = stage.base.toLowerCase();
  return parsed.stages
    .slice(0, stage.index)
    .reverse()
    .find((s) => s.name?.toLowerCase() === base || String(s.index) === base);
}

/** The stage the build ends at: the one `target` names (as podman's --target: a stage name, case-insensitive), else the last. */
export function finalStage(parsed: ParsedContainerfile, target?: string): Stage | undefined {
  if (target === undefined) return parsed.stages.at(-1);
  return parsed.stages.find((s) => s.name?.toLowerCase() === target.toLowerCase());
}

/** The stages whose instructions end up in the image: the final stage (see finalStage) and its ancestors, oldest first. */
export function finalStageChain(parsed: ParsedContainerfile, target?: string): Stage[] {
  const chain: Stage[] = [];
  for (let stage = finalStage(parsed, target); stage; stage = parentStage(parsed, stage)) chain.unshift(stage);
  return chain;
}
