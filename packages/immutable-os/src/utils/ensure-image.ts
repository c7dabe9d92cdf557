import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engineHint, type Engine } from './engine';
import { ENGINE_COMMANDS, normalizeImageId } from './engine-commands';
import { IMAGE_ARCHIVE, imageOutputDir, readPushRecord, rebuildCommand, type ImageRecord } from './image-record';
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

/** Why a recorded image could not be brought back: the message says what to run. */
export class ImageNotRestorable extends Error {
  constructor(
    message: string,
    readonly project: string,
  ) {
    super(message);
    this.name = 'ImageNotRestorable';
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
  await restoreImage(engine, record, workspaceRoot, buildTarget);
  return 'restored';
}

/**
 * Brings back a recorded image that is not in the engine's storage, exactly: from the build's
 * archive, else from the registry by the digest push.json recorded for the same image ID. Checks
 * the ID, tags every ref, and returns where the image came from; throws ImageNotRestorable when
 * neither exists or what they hold is another image.
 */
export async function restoreImage(engine: Engine, record: ImageRecord, workspaceRoot: string, buildTarget = 'bootc-build', log = true): Promise<string> {
  const id = normalizeImageId(record.imageId);
  const archive = join(imageOutputDir(workspaceRoot, record.project), IMAGE_ARCHIVE);
  const pushed = readPushRecord(workspaceRoot, record.project);
  let source: string;
  if (existsSync(archive)) {
    source = `dist/images/${record.project}/${IMAGE_ARCHIVE}`;
    await runProcess(engine.command, ENGINE_COMMANDS[engine.name].load(archive), { cwd: workspaceRoot, stream: false });
  } else if (pushed && normalizeImageId(pushed.imageId) === id) {
    source = `${pushed.image}@${pushed.digest}`;
    if (log) console.log(`Pulling ${source}: the image ${id.slice(0, 12)} recorded by ${buildTarget} is not in ${engine.name}'s storage.`);
    await runProcess(engine.command, ENGINE_COMMANDS[engine.name].pull(source, pushed.tlsVerify ?? true), { cwd: workspaceRoot, stream: false, hint: engineHint });
  } else {
    throw new ImageNotRestorable(
      `The image ${id.slice(0, 12)} recorded in dist/images/${record.project}/image.json is not in ${engine.name}'s storage: ` +
        `Nx restored the build from its cache, which holds the record but not the image. ` +
        `Rebuild it with ${rebuildCommand([record.project], buildTarget)} (the rebuild replaces its cache entry), or set archive: true on ${buildTarget} so cached builds carry the image ` +
        `(or push it with bootc-push, so the image can be pulled back by digest).`,
      record.project,
    );
  }
  if (!(await hasImage(engine, id, workspaceRoot))) {
    throw new ImageNotRestorable(
      `${source} does not hold the image ${id.slice(0, 12)} that dist/images/${record.project}/image.json records: the outputs are inconsistent. Rebuild with ${rebuildCommand([record.project], buildTarget)}.`,
      record.project,
    );
  }
  await retag(engine, id, record.refs, workspaceRoot);
  return source;
}

/**
 * Which of the given images the engine's storage holds, from one call: image ID (without sha256:) →
 * the references naming it. `all`: the whole listing even for no IDs (buildah's, which lists every image).
 */
export async function inspectImages(engine: Engine, ids: readonly string[], cwd: string, all = false): Promise<Map<string, Set<string>>> {
  const images = new Map<string, Set<string>>();
  if (ids.length === 0 && !all) return images;
  const { argv, missingExit } = ENGINE_COMMANDS[engine.name].inspectImages;
  const { stdout } = await runShort(engine.command, argv(ids), { cwd, hint: engineHint, okExitCodes: missingExit === undefined ? [] : [missingExit] });
  for (const line of stdout.split('\n')) {
    const [rawId, ...refs] = line.trim().split(/\s+/);
    if (!rawId) continue;
    const id = normalizeImageId(rawId);
    const known = images.get(id) ?? new Set<string>();
    for (const ref of refs) if (ref !== '<none>:<none>') known.add(ref);
    images.set(id, known);
  }
  return images;
}

/** Points every ref of a record at its image, skipping refs the listing shows there already. */
export async function retagListed(engine: Engine, record: ImageRecord, listed: ReadonlySet<string>, cwd: string): Promise<void> {
  const missing = record.refs.filter((ref) => !listed.has(ref) && !listed.has(dockerShortName(engine, ref)));
  await retag(engine, normalizeImageId(record.imageId), missing, cwd);
}

// docker lists Docker Hub images without docker.io/ (and library/).
function dockerShortName(engine: Engine, ref: string): string {
  return engine.name === 'docker' ? ref.replace(/^docker\.io\//, '').replace(/^library\//, '') : ref;
}

async function retag(engine: Engine, id: string, refs: readonly string[], cwd: string) {
  for (const ref of refs) {
    await runShort(engine.command, ENGINE_COMMANDS[engine.name].tag(id, ref), { cwd });
  }
}

/**
 * The storage ID of the manifest list `ref` names, from the engine's image listing (buildah, whose
 * build cannot write a manifest list's ID to --iidfile).
 */
export async function manifestListId(engine: Engine, ref: string, cwd: string): Promise<string> {
  const listed = await inspectImages(engine, [], cwd, true);
  // A name without a registry (acme/kiosk:latest) is listed as localhost/acme/kiosk:latest.
  const names = new Set([ref, `localhost/${ref}`]);
  const found = [...listed].find(([, refs]) => [...refs].some((r) => names.has(r)));
  if (!found) throw new Error(`${engine.name} built the manifest list ${ref}, but its image listing does not show it; run the build again with --verbose and check ${engine.name} images --all.`);
  return found[0];
}

/** Whether the engine's storage has the manifest list (a multi-platform build's, named by its first ref). */
export async function manifestListExists(engine: Engine, list: string, cwd: string): Promise<boolean> {
  try {
    await runShort(engine.command, ['manifest', engine.name === 'buildah' ? 'inspect' : 'exists', list], { cwd });
    return true;
  } catch (error) {
    if (error instanceof ProcessError && error.exitCode !== undefined) return false;
    throw error;
  }
}

/**
 * Whether `list` names the manifest list, giving it the name back when the list (by `listId`) is
 * there but the name is not on it: a bootc-convert stopped hard (SIGKILL) while its builder ran
 * leaves the name on one platform's image.
 */
export async function namedManifestList(engine: Engine, list: string, listId: string | undefined, cwd: string): Promise<boolean> {
  if (await manifestListExists(engine, list, cwd)) return true;
  const id = listId && normalizeImageId(listId);
  if (!id || !(await manifestListExists(engine, id, cwd))) return false;
  await retag(engine, id, [list], cwd);
  console.log(`immutable-os: ${list} named one image of its manifest list ${id.slice(0, 12)} (a conversion stopped before giving the name back); it names the list again.`);
  return true;
}

/** A multi-platform build's manifest list lives only in the engine's storage: it must still be there. */
export async function ensureManifestList(engine: Engine, list: string, project: string, cwd: string, buildTarget = 'bootc-build', listId?: string): Promise<void> {
  if (!(await namedManifestList(engine, list, listId, cwd))) {
    throw new Error(
      `The manifest list ${list} that ${buildTarget} made for ${project} is not in ${engine.name}'s storage (a cache hit restores image.json, and an archive cannot carry a manifest list). Rebuild it with ${rebuildCommand([project], buildTarget)} (the rebuild replaces its cache entry).`,
    );
  }
}
