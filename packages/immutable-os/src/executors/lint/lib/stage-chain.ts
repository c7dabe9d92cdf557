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

/** The stages whose instructions end up in the image: the final stage and its ancestors, oldest first. */
export function finalStageChain(parsed: ParsedContainerfile): Stage[] {
  const chain: Stage[] = [];
  for (let stage = parsed.stages.at(-1); stage; stage = parentStage(parsed, stage)) chain.unshift(stage);
  return chain;
}
