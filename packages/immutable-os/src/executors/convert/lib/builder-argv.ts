import { BUILDER_BACKENDS } from '../../../builder/backends';
import type { ImageType } from '../../../builder/image-types';
import { BUILDER_STORAGE } from './builder-storage';
import type { NormalizedConvertOptions } from './normalize-options';

/** Where the build config is mounted in the builder's container. */
export const configMountPath = (json: boolean) => (json ? '/config.json' : '/config.toml');

/**
 * The `podman run` arguments of one builder run: privileged, /var/lib/containers/storage mounted,
 * the config read-only at /config.toml (or /config.json), the output folder at /output, then the
 * builder image and the backend's own arguments (builder/backends.ts).
 */
export function builderRunArgv(
  options: Pick<NormalizedConvertOptions, 'builderBackend' | 'config' | 'builderImage' | 'pull' | 'rootfs' | 'targetArch' | 'chown' | 'useLibrepo' | 'progress' | 'extraArgs'>,
  run: { types: readonly ImageType[]; outputDir: string; imageRef: string; payloadRef?: string; containerName: string },
): string[] {
  const args = ['run', '--rm', '--privileged', `--pull=${options.pull}`, '--security-opt', 'label=type:unconfined_t', '--name', run.containerName];
  const configPath = options.config ? configMountPath(options.config.json) : undefined;
  if (options.config) args.push('-v', `${options.config.path}:${configPath}:ro`);
  args.push('-v', `${run.outputDir}:/output`, '-v', `${BUILDER_STORAGE}:${BUILDER_STORAGE}`, options.builderImage);
  return [
    ...args,
    ...BUILDER_BACKENDS[options.builderBackend].args({
      types: run.types,
      imageRef: run.imageRef,
      payloadRef: run.payloadRef,
      configPath,
      rootfs: options.rootfs,
      targetArch: options.targetArch,
      chown: options.chown,
      useLibrepo: options.useLibrepo,
      progress: options.progress,
      extraArgs: options.extraArgs,
    }),
  ];
}

/** The builder container's name for one run; podman names allow only [a-zA-Z0-9_.-], so an Nx name like @acme/edge is folded. */
export function builderContainerName(projectName: string, pid: number, run: number): string {
  return `immutable-os-convert-${projectName.replace(/[^a-zA-Z0-9_.-]+/g, '-')}-${pid}-${run}`;
}
