import type { ParsedContainerfile } from '../../../utils/containerfile';
import type { Engine } from '../../../utils/engine';
import { ENGINE_COMMANDS, normalizeImageId } from '../../../utils/engine-commands';
import type { ImageRecord } from '../../../utils/image-record';
import { repositoryKey } from '../../../utils/image-ref';
import { runShort } from '../../../utils/run-process';

/** The ref and local image ID of each FROM image: workspace bases from their records, external ones from the engine. */
export async function externalBaseIds(
  engine: Engine,
  parsed: ParsedContainerfile,
  workspaceRecords: ReadonlyMap<string, ImageRecord>,
  cwd: string,
): Promise<ImageRecord['baseImages']> {
  const byKey = new Map([...workspaceRecords].map(([project, record]) => [repositoryKey(record.image), { project, record }]));
  const result: ImageRecord['baseImages'] = [];
  for (const use of parsed.images.filter((u) => u.kind === 'from')) {
    const workspace = byKey.get(repositoryKey(use.ref));
    if (workspace) {
      result.push({ ref: use.ref, project: workspace.project, imageId: normalizeImageId(workspace.record.imageId) });
      continue;
    }
    let imageId: string | undefined;
    try {
      imageId = normalizeImageId((await runShort(engine.command, ENGINE_COMMANDS[engine.name].imageId(use.ref), { cwd })).stdout);
    } catch {
      // Not in local storage (e.g. another platform's image): recorded without an ID.
    }
    result.push({ ref: use.ref, ...(imageId ? { imageId } : {}) });
  }
  return result;
}
