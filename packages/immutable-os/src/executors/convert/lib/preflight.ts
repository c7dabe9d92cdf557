import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectEngine } from '../../../utils/engine';
import { ensureImage } from '../../../utils/ensure-image';
import { ENGINE_COMMANDS, normalizeImageId } from '../../../utils/engine-commands';
import type { ImageRecord } from '../../../utils/image-record';
import { ProcessError, runProcess } from '../../../utils/run-process';
import { runRootPodman, type RootPodman } from './root-podman';

/**
 * Before any builder run: the exact image bootc-build recorded is in root's container storage
 * (restored from its archive when Nx's cache held only the record), its refs name it there (the
 * builder is given a ref, and root's storage may hold an older image under it) and it carries
 * containers.bootc=1. An image that is in another storage (built with docker, or with rootless
 * podman or buildah, root reached through sudo) is copied into root's by ID and checked there.
 */
export async function checkImageForBuilder(podman: RootPodman, record: ImageRecord, cwd: string): Promise<void> {
  const id = normalizeImageId(record.imageId);
  // podman or buildah as root build into root's storage itself.
  if (record.engine !== 'docker' && podman.prefix.length === 0) {
    await ensureImage(await detectEngine(record.engine, cwd), record, cwd);
  } else {
    if (!(await exists(podman, id, cwd))) await copyIntoRootStorage(podman, record, cwd);
    for (const ref of record.refs) await runRootPodman(podman, ENGINE_COMMANDS.podman.tag(id, ref), { cwd, stream: false });
  }
  // A manifest list's label is asked of the platform's image chosen for the conversion (platformImage).
  if (record.platforms.length <= 1) await assertBootcLabel(podman, id, record.refs[0], cwd);
}

/**
 * Copies the recorded image from the storage it was built in (docker's, or rootless podman's or
 * buildah's) into root's podman storage, which bootc-image-builder reads: restored there first when
 * Nx's cache held only the record, saved by ID to an archive, loaded by root's podman, and checked
 * by ID (an archive that changed the image would convert something else).
 */
async function copyIntoRootStorage(podman: RootPodman, record: ImageRecord, cwd: string): Promise<void> {
  const id = normalizeImageId(record.imageId);
  const where = record.engine === 'docker' ? "docker's storage" : `${record.engine}'s rootless storage`;
  if (record.platforms.length > 1) {
    throw new Error(
      `${record.project} was built for ${record.platforms.join(', ')} in ${where}, and a manifest list cannot be copied into root's container storage, which bootc-image-builder reads (an archive holds one image). ` +
        `Build the platform to convert alone (platform option), or build the list with root's podman (run Nx as root), then run bootc-convert again.`,
    );
  }
  const engine = await detectEngine(record.engine, cwd);
  await ensureImage(engine, record, cwd);
  console.log(`Copying ${id.slice(0, 12)} (${record.refs[0]}) from ${where} into root's container storage, which bootc-image-builder reads.`);
  const dir = mkdtempSync(join(tmpdir(), 'immutable-os-stage-'));
  try {
    const archive = join(dir, 'image.tar');
    await runProcess(engine.command, ENGINE_COMMANDS[engine.name].save(id, archive), { cwd, stream: false });
    await runRootPodman(podman, ENGINE_COMMANDS.podman.load(archive), { cwd, stream: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!(await exists(podman, id, cwd))) {
    throw new Error(`Copied ${record.refs[0]} from ${where} into root's container storage, but root's podman has no image ${id.slice(0, 12)} afterwards: the copy changed the image, so bootc-convert stops rather than convert another one. Check both engines' versions, then run bootc-convert again.`);
  }
}

/**
 * The installer image of a bootc-installer run (the builder's positional argument; the project image
 * is its payload): in root's storage, since the builder does not pull it, and labelled a bootc
 * image, which the builder checks as for any image it is given. Returns its image ID.
 */
export async function checkInstallerImage(podman: RootPodman, ref: string, cwd: string): Promise<string> {
  let id: string;
  try {
    ({ stdout: id } = await runRootPodman(podman, ['image', 'inspect', '--format', '{{.Id}}', ref], { cwd, stream: false }));
  } catch (error) {
    if (!(error instanceof ProcessError) || error.exitCode === undefined) throw error;
    throw new Error(
      `installerImage: ${ref} is not in root's container storage, and bootc-image-builder does not pull the images it converts. ` +
        `Pull it first (sudo podman pull ${ref}), then run bootc-convert again.`,
      { cause: error },
    );
  }
  id = normalizeImageId(id.trim());
  await assertBootcLabel(podman, id, ref, cwd, 'installerImage: ');
  return id;
}

export async function assertBootcLabel(podman: RootPodman, id: string, ref: string, cwd: string, prefix = ''): Promise<void> {
  const label = await inspectLabel(podman, id, cwd);
  if (label !== '1') {
    throw new Error(
      `${prefix}The image ${ref} has no label containers.bootc=1 (found ${label ? `"${label}"` : 'none'}): bootc-image-builder only converts bootc images. Build FROM a bootc base, or add LABEL containers.bootc=1.`,
    );
  }
}

async function exists(podman: RootPodman, id: string, cwd: string) {
  try {
    await runRootPodman(podman, ['image', 'exists', id], { cwd, stream: false });
    return true;
  } catch (error) {
    if (error instanceof ProcessError && error.exitCode !== undefined) return false;
    throw error;
  }
}

async function inspectLabel(podman: RootPodman, id: string, cwd: string): Promise<string> {
  const { stdout } = await runRootPodman(podman, ['image', 'inspect', '--format', '{{index .Config.Labels "containers.bootc"}}', id], { cwd, stream: false });
  const value = stdout.trim();
  return value === '<no value>' ? '' : value;
}
