import { normalizeImageId } from '../../../utils/engine-commands';
import { runRootPodman, type RootPodman } from './root-podman';

/**
 * The builder image the runs used, as root's storage holds it after they pulled it: its image ID
 * (what bootc-convert's cache input hashes, see plugins/build-inputs.ts) and its registry digest,
 * recorded in artifacts.json so every disk names the builder release that made it.
 */
export async function inspectBuilderImage(podman: RootPodman, ref: string, cwd: string): Promise<{ id: string; digest: string | null }> {
  const { stdout } = await runRootPodman(podman, ['image', 'inspect', '--format', '{{.Id}}\t{{.Digest}}', ref], { cwd, stream: false });
  const [id, digest] = stdout.trim().split('\t');
  return { id: normalizeImageId(id), digest: digest?.startsWith('sha256:') ? digest : null };
}
