import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engineHint, type Engine } from './engine';
import { ENGINE_COMMANDS, normalizeImageId } from './engine-commands';
import { IMAGE_ARCHIVE, imageOutputDir, readPushRecord, type ImageRecord } from './image-record';
import { ProcessError, runProcess, runShort } from './run-process';

export type ImagePresence = 'present' | 'restored';

/** True when the engine's storage holds the image with this ID. */
export async function hasImage(engine: Engine, imageId: string, cwd: string): Promise<boolean> {
  try {
    await runShort(engine.command, ENGINE_COMMANDS[engine.name].imageExists(imageId), { cwd });
    return true;
  } catch (error) {
    if (error instanceof ProcessError && error.exitCode !== undefined) return false;
    throw error;
  }
}

/**
 * Makes sure the exact image a build recorded is in the engine's storage, with its tags.
 * A cache hit (on this machine, or from a remote cache built elsewhere) restores image.json but
 * not the image. It is then loaded from the build's OCI archive when one was kept, else pulled
 * from the registry by the digest bootc-push recorded for that same image ID; otherwise the
 * error says how to get it back. The result is checked by image ID: a different image under the
 * same tag is never used.
 */
export async function ensureImage(engine: Engine, record: ImageRecord, workspaceRoot: string, buildTarget = 'bootc-build'): Promise<ImagePresence> {
  const id = normalizeImageId(record.imageId);
  // Tagging fails when the image is not there: the usual case (present) costs one engine call a ref.
  try {
    await retag(engine, id, record.refs, workspaceRoot);
    return 'present';
  } catch (error) {
    if (!(error instanceof ProcessError) || error.exitCode === undefined || (await hasImage(engine, id, workspaceRoot))) throw error;
  }
  const archive = join(imageOutputDir(workspaceRoot, record.project), IMAGE_ARCHIVE);
  const pushed = readPushRecord(workspaceRoot, record.project);
  let source: string;
  if (existsSync(archive)) {
    source = `dist/images/${record.project}/${IMAGE_ARCHIVE}`;
    await runProcess(engine.command, ENGINE_COMMANDS[engine.name].load(archive), { cwd: workspaceRoot, stream: false });
  } else if (pushed && normalizeImageId(pushed.imageId) === id) {
    source = `${pushed.image}@${pushed.digest}`;
    console.log(`Pulling ${source}: the image ${id.slice(0, 12)} recorded by ${buildTarget} is not in ${engine.name}'s storage.`);
    await runProcess(engine.command, ENGINE_COMMANDS[engine.name].pull(source, pushed.tlsVerify ?? true), { cwd: workspaceRoot, stream: false, hint: engineHint });
  } else {
    throw new Error(
      `The image ${id.slice(0, 12)} recorded in dist/images/${record.project}/image.json is not in ${engine.name}'s storage: ` +
        `Nx restored the build from its cache, which holds the record but not the image. ` +
        `Rebuild it with nx run ${record.project}:${buildTarget} --skip-nx-cache, or set archive: true on ${buildTarget} so cached builds carry the image ` +
        `(or push it with bootc-push, so the image can be pulled back by digest).`,
    );
  }
  if (!(await hasImage(engine, id, workspaceRoot))) {
    throw new Error(
      `${source} does not hold the image ${id.slice(0, 12)} that dist/images/${record.project}/image.json records: the outputs are inconsistent. Rebuild with nx run ${record.project}:${buildTarget} --skip-nx-cache.`,
    );
  }
  await retag(engine, id, record.refs, workspaceRoot);
  return 'restored';
}

async function retag(engine: Engine, id: string, refs: readonly string[], cwd: string) {
  for (const ref of refs) {
    await runShort(engine.command, ENGINE_COMMANDS[engine.name].tag(id, ref), { cwd });
  }
}

/** A multi-platform build's manifest list lives only in the engine's storage: it must still be there. */
export async function ensureManifestList(engine: Engine, list: string, project: string, cwd: string, buildTarget = 'bootc-build'): Promise<void> {
  try {
    await runProcess(engine.command, ['manifest', engine.name === 'buildah' ? 'inspect' : 'exists', list], { cwd, stream: false });
  } catch (error) {
    if (!(error instanceof ProcessError) || error.exitCode === undefined) throw error;
    throw new Error(
      `The manifest list ${list} that bootc-build made for ${project} is not in ${engine.name}'s storage (a cache hit restores image.json, and an archive cannot carry a manifest list). Rebuild it with nx run ${project}:${buildTarget} --skip-nx-cache.`,
      { cause: error },
    );
  }
}
