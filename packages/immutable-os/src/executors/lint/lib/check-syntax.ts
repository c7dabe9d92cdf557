import { LOCAL_TRANSPORT, parseImageReference } from '../../../utils/image-ref';
import { instructionPosition } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';

// https://docs.docker.com/reference/dockerfile/#overview (Podman/Buildah accept the same set).
const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

/** containerfile-syntax: no FROM, unknown instructions, anything but ARG before the first FROM, malformed FROM lines. */
export function checkSyntax({ file, parsed }: ContainerfileInput): Finding[] {
  const findings: Finding[] = [];
  const instructions = parsed.ast.getInstructions();
  let seenFrom = false;
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    const position = instructionPosition(instruction);
    if (!INSTRUCTIONS.has(keyword)) {
      findings.push(createFinding('containerfile-syntax', file, position, `"${instruction.getInstruction()}" is not a Containerfile instruction.`));
    } else if (keyword === 'FROM') {
      seenFrom = true;
      const args = instruction.getArguments().map((a) => a.getValue());
      const wellFormed = args.length === 1 || (args.length === 3 && args[1].toLowerCase() === 'as');
      if (!wellFormed) {
        findings.push(createFinding('containerfile-syntax', file, position, `FROM must be \`FROM <image> [AS <name>]\`; got \`FROM ${args.join(' ')}\`.`));
      }
    } else if (!seenFrom && keyword !== 'ARG') {
      findings.push(createFinding('containerfile-syntax', file, position, `${keyword} comes before the first FROM; only ARG may.`));
    }
  }
  if (!seenFrom) {
    findings.push(createFinding('containerfile-syntax', file, { line: 1 }, `${file} has no FROM instruction, so it builds nothing.`));
  }
  for (const image of parsed.images) {
    if (image.kind !== 'from' || image.unresolved.length > 0 || LOCAL_TRANSPORT.test(image.ref)) continue;
    const reference = parseImageReference(image.ref);
    if ('error' in reference) {
      const shown = image.raw === image.ref ? `"${image.ref}"` : `"${image.raw}" (= "${image.ref}")`;
      findings.push(createFinding('containerfile-syntax', file, { line: image.line }, `FROM ${shown} is not a valid image reference: ${reference.error}.`));
    }
  }
  return findings;
}
