import type { ParsedContainerfile } from '../../../utils/containerfile';
import type { Engine } from '../../../utils/engine';
import { ENGINE_COMMANDS, normalizeImageId } from '../../../utils/engine-commands';
import { pinnedReference } from '../../../image/pins';
import type { ImageRecord } from '../../../utils/image-record';
import { repositoryKey, taggedKey } from '../../../utils/image-ref';
import { runShort } from '../../../utils/run-process';

/** The ref and local image ID of each FROM image: workspace bases from their records, external ones from the engine. */
export async function externalBaseIds(
  engine: Engine,
  parsed: ParsedContainerfile,
  workspaceRecords: ReadonlyMap<string, ImageRecord>,
  cwd: string,
  pinned: Readonly<Record<string, string>> = {},
): Promise<ImageRecord['baseImages']> {
  const entries = [...workspaceRecords].map(([project, record]) => ({ project, record }));
  // The record that tagged this very reference; else the only record of its repository (variants share one, differing by tag).
  const workspaceBase = (ref: string) => {
    const tagged = taggedKey(ref);
    const exact = tagged === undefined ? undefined : entries.find(({ record }) => record.refs.some((r) => taggedKey(r) === tagged));
    const sameRepository = entries.filter(({ record }) => repositoryKey(record.image) === repositoryKey(ref));
    return exact ?? (sameRepository.length === 1 ? sameRepository[0] : undefined);
  };
  const result: ImageRecord['baseImages'] = [];
  for (const use of parsed.images.filter((u) => u.kind === 'from')) {
    const workspace = workspaceBase(use.ref);
    if (workspace) {
      result.push({ ref: use.ref, project: workspace.project, imageId: normalizeImageId(workspace.record.imageId) });
      continue;
    }
    // A pinned base was built from reference@digest: that is what it is recorded as.
    const ref = pinned[use.ref] ? pinnedReference(use.ref, pinned[use.ref]) : use.ref;
    let imageId: string | undefined;
    try {
      imageId = normalizeImageId((await runShort(engine.command, ENGINE_COMMANDS[engine.name].imageId(ref), { cwd })).stdout);
    } catch {
      // Not in local storage (e.g. another platform's image): recorded without an ID.
    }
    result.push({ ref, ...(imageId ? { imageId } : {}) });
  }
  return result;
}
