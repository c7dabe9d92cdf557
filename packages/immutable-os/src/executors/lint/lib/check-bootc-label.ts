import type { Stage } from '../../../utils/containerfile';
import { isKnownBootcBase } from '../../../utils/bootc-bases';
import { instructionPosition } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';
import { finalStageChain } from './stage-chain';

/**
 * bootc-label: the final image must carry `containers.bootc=1`, set by a LABEL in the final stage
 * (or a stage it builds on) or inherited from a known bootc base or a workspace image project.
 */
export function checkBootcLabel({ file, parsed, isWorkspaceImage }: ContainerfileInput): Finding[] {
  const chain = finalStageChain(parsed);
  const final = chain.at(-1);
  if (!final || chain.some(hasBootcLabel)) return [];
  const root = chain[0];
  if (!root.baseIsStage && (isKnownBootcBase(root.base) || isWorkspaceImage(root.base))) return [];
  // A base named by args without a value cannot be checked: from-arg-unset says so, and where to give them.
  if (parsed.images.some((image) => image.kind === 'from' && image.line === root.line && image.unresolved.length > 0)) return [];

  const from = parsed.ast.getFROMs()[final.index];
  const position = from ? instructionPosition(from) : { line: final.line };
  const written = parsed.ast.getFROMs()[root.index]?.getArguments()[0]?.getValue() ?? root.base;
  let reason: string;
  if (root.base.toLowerCase() === 'scratch') reason = 'builds FROM scratch';
  else if (root.base === '' || root.baseIsStage) reason = `builds on "${written}", a build arg without a default, so its base cannot be checked`;
  else reason = `builds on ${root.base}, which is neither a known bootc base image nor a workspace image project`;
  return [
    createFinding('bootc-label', file, position, `The final stage ${reason}, and no stage sets LABEL containers.bootc=1; bootc will not treat the image as bootable.`),
  ];
}

function hasBootcLabel(stage: Stage): boolean {
  return stage.instructions.some((instruction) => {
    if (instruction.getKeyword() !== 'LABEL') return false;
    const label = instruction as typeof instruction & { getProperties(): Array<{ getName(): string; getValue(): string | null }> };
    return label.getProperties().some((p) => p.getName() === 'containers.bootc' && p.getValue() === '1');
  });
}
