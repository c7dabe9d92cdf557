import { instructionPosition } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';

/**
 * from-arg-unset: a FROM that names its image through build args without a value (no default,
 * none in bootc-build's buildArgs). Not an error: CI may give the value (bluefin's
 * `FROM ${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}@${BASE_IMAGE_SHA}`); but nothing static can check it.
 */
export function checkFromArgs({ file, parsed }: ContainerfileInput): Finding[] {
  const froms = parsed.ast.getFROMs();
  return parsed.images.flatMap((image) => {
    if (image.kind !== 'from' || image.unresolved.length === 0) return [];
    const from = froms.find((f) => f.getRange().start.line + 1 === image.line);
    const args = [...new Set(image.unresolved)];
    const names = args.length === 1 ? `the build arg ${args[0]}, which has` : `the build args ${args.join(', ')}, which have`;
    return [
      createFinding(
        'from-arg-unset',
        file,
        from ? instructionPosition(from) : { line: image.line },
        `FROM ${image.raw} uses ${names} no value: give ${args.length === 1 ? 'it' : 'them'} in bootc-build's buildArgs or a default in the ARG line.`,
      ),
    ];
  });
}
