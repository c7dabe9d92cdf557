import { detectEngine } from '../../../utils/engine';
import { ensureImage } from '../../../utils/ensure-image';
import { ENGINE_COMMANDS, normalizeImageId } from '../../../utils/engine-commands';
import type { ImageRecord } from '../../../utils/image-record';
import { ProcessError } from '../../../utils/run-process';
import { runRootPodman, type RootPodman } from './root-podman';

/**
 * Before any builder run: the exact image bootc-build recorded is in root's container storage
 * (restored from its archive when Nx's cache held only the record), its refs name it there (the
 * builder is given a ref, and root's storage may hold an older image under it) and it carries
 * containers.bootc=1.
 */
export async function checkImageForBuilder(podman: RootPodman, record: ImageRecord, cwd: string): Promise<void> {
  const id = normalizeImageId(record.imageId);
  if (record.engine === 'docker') {
    throw new Error(`${record.project} was built with docker, but bootc-image-builder reads podman's storage. Build it with podman (engine: podman on bootc-build).`);
  }
  if (podman.prefix.length === 0) {
    await ensureImage(await detectEngine(record.engine, cwd), record, cwd);
  } else if (!(await exists(podman, id, cwd))) {
    throw new Error(
      `The image ${id.slice(0, 12)} (${record.refs[0]}) is not in root's container storage: it was built rootless. Copy it over with podman image scp ${id} root@localhost:: and run bootc-convert again.`,
    );
  } else {
    for (const ref of record.refs) await runRootPodman(podman, ENGINE_COMMANDS.podman.tag(id, ref), { cwd, stream: false });
  }
  await assertBootcLabel(podman, id, record.refs[0], cwd);
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

async function assertBootcLabel(podman: RootPodman, id: string, ref: string, cwd: string, prefix = ''): Promise<void> {
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
