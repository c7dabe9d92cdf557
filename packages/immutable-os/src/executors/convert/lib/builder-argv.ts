import type { ImageType } from '../../../builder/image-types';
import { BUILDER_STORAGE } from './builder-storage';
import type { NormalizedConvertOptions } from './normalize-options';

/**
 * The `podman run` arguments of one builder run, in bootc-image-builder's documented form:
 * privileged, /var/lib/containers/storage mounted, config at /config.toml (or /config.json),
 * `--type` repeated, boolean flags as `--flag=value`, the image last. A bootc-installer run gives
 * the installer image and the project image as `--installer-payload-ref` (bib_cmd.go:127).
 */
export function builderRunArgv(
  options: Pick<NormalizedConvertOptions, 'config' | 'builderImage' | 'pull' | 'rootfs' | 'targetArch' | 'chown' | 'useLibrepo' | 'progress' | 'extraArgs'>,
  run: { types: readonly ImageType[]; outputDir: string; imageRef: string; payloadRef?: string; containerName: string },
): string[] {
  const args = ['run', '--rm', '--privileged', `--pull=${options.pull}`, '--security-opt', 'label=type:unconfined_t', '--name', run.containerName];
  if (options.config) args.push('-v', `${options.config.path}:${options.config.json ? '/config.json' : '/config.toml'}:ro`);
  args.push('-v', `${run.outputDir}:/output`, '-v', `${BUILDER_STORAGE}:${BUILDER_STORAGE}`, options.builderImage, 'build');
  for (const type of run.types) args.push('--type', type);
  if (options.rootfs) args.push('--rootfs', options.rootfs);
  if (options.targetArch) args.push('--target-arch', options.targetArch);
  args.push('--chown', options.chown);
  if (options.useLibrepo !== undefined) args.push(`--use-librepo=${options.useLibrepo}`);
  if (run.payloadRef) args.push('--installer-payload-ref', run.payloadRef);
  args.push('--progress', options.progress, ...options.extraArgs, run.imageRef);
  return args;
}

/** The builder container's name for one run; podman names allow only [a-zA-Z0-9_.-], so an Nx name like @acme/edge is folded. */
export function builderContainerName(projectName: string, pid: number, run: number): string {
  return `immutable-os-convert-${projectName.replace(/[^a-zA-Z0-9_.-]+/g, '-')}-${pid}-${run}`;
}
