import { LOCAL_TRANSPORT, parseImageReference } from '../../../utils/image-ref';
import { instructionPosition } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';

/**
 * from-unpinned: a FROM image (after build-arg expansion) with neither tag nor digest. Not for local
 * images (`localhost/...`, an archive or store named by transport), which the build does not pull.
 */
export function checkFromPinned({ file, parsed }: ContainerfileInput): Finding[] {
  const froms = parsed.ast.getFROMs();
  return parsed.images.flatMap((image) => {
    if (image.kind !== 'from' || image.unresolved.length > 0) return [];
    if (LOCAL_TRANSPORT.test(image.ref)) return [];
    const reference = parseImageReference(image.ref);
    if ('error' in reference || reference.tag || reference.digest || reference.domain?.toLowerCase() === 'localhost') return [];
    const from = froms.find((f) => f.getRange().start.line + 1 === image.line);
    const shown = image.raw === image.ref ? image.ref : `${image.raw} (= ${image.ref})`;
    return [
      createFinding(
        'from-unpinned',
        file,
        from ? instructionPosition(from) : { line: image.line },
        `FROM ${shown} has no tag or digest, so every build pulls whatever :latest is at the time.`,
      ),
    ];
  });
}
