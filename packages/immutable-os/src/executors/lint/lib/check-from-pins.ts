import { pinFor } from '../../../image/pins';
import { parseImageReference } from '../../../utils/image-ref';
import { instructionPosition } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding } from './rules';

/**
 * from-pin-missing: in a workspace that pins its bases (a lock file exists), a FROM naming an
 * external image that neither carries a digest nor has an entry there: it is built from whatever
 * its tag names that day, and a change upstream rebuilds nothing.
 */
export function checkFromPins({ file, parsed, isWorkspaceImage, pins }: ContainerfileInput): Finding[] {
  if (!pins) return [];
  const froms = parsed.ast.getFROMs();
  return parsed.images.flatMap((image) => {
    if (image.kind !== 'from' || image.unresolved.length > 0 || image.ref.toLowerCase() === 'scratch') return [];
    const reference = parseImageReference(image.ref);
    if ('error' in reference || reference.digest || isWorkspaceImage(image.ref) || pinFor(pins.pins, image.ref)) return [];
    const from = froms.find((f) => f.getRange().start.line + 1 === image.line);
    const shown = image.raw === image.ref ? image.ref : `${image.raw} (= ${image.ref})`;
    return [createFinding('from-pin-missing', file, from ? instructionPosition(from) : { line: image.line }, `FROM ${shown} is not pinned in ${pins.file}, which pins this workspace's bases.`)];
  });
}
