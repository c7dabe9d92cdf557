import { join, normalize, relative } from 'node:path';
import { flagValues, type ParsedContainerfile } from '../../../utils/containerfile';

const BUILDER_CONFIGS = ['config.toml', 'config.json'];

/**
 * The project's config.toml/config.json is bootc-convert's config and not an input of the image
 * build (editing it must not rebuild the image), so the Containerfile may not COPY it from there.
 */
export function assertNoBuilderConfigCopy(parsed: ParsedContainerfile, context: string, projectDir: string, containerfile: string): void {
  for (const stage of parsed.stages) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword !== 'COPY' && keyword !== 'ADD') continue;
      if (flagValues(instruction, 'from').length > 0) continue;
      const sources = instruction.getArguments().map((a) => a.getValue()).slice(0, -1);
      for (const source of sources) {
        const path = relative(projectDir, join(context, normalize(source)));
        if (BUILDER_CONFIGS.includes(path)) {
          throw new Error(
            `${containerfile}:${instruction.getRange().start.line + 1}: ${keyword} ${source} copies bootc-convert's builder config into the image, but it is not an input of bootc-build (editing it only re-runs the conversion). To embed a builder config in the image, keep it under rootfs/usr/lib/bootc-image-builder/ instead.`,
          );
        }
      }
    }
  }
}
