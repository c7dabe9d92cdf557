import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { replaceDirAtomically } from '../../utils/atomic-dir';
import { engineHint } from '../../utils/engine';
import { readImageRecord } from '../../utils/image-record';
import { formatCommand, preloadProcessRunner } from '../../utils/run-process';
import { workspaceRelative } from '../../utils/workspace-path';
import { ARTIFACTS_JSON, collectRun, type Artifact } from './lib/artifacts';
import { builderContainerName, builderRunArgv } from './lib/builder-argv';
import { checkBuilderConfig } from './lib/check-config';
import { normalizeOptions } from './lib/normalize-options';
import { chownTree } from './lib/own-outputs';
import { inspectBuilderImage } from './lib/builder-image';
import { planConversion, type PlannedRun } from './lib/plan';
import { stageImages } from './lib/builder-storage';
import { removeContainer } from './lib/remove-container';
import { rootPodman, runRootPodman } from './lib/root-podman';
import { whileInterruptible } from './lib/interrupt';
import type { ConvertExecutorSchema } from './schema';

// Large: a staged image is written here as an OCI archive (podman itself keeps big temporary files in /var/tmp).
const STAGING_TMP = '/var/tmp';

/** Converts the built image into disks and installers with bootc-image-builder (bootc-convert). */
export default async function convertExecutor(schema: ConvertExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  const options = normalizeOptions(schema, context);
  const config = options.config ? readFileSync(options.config.path, 'utf8') : undefined;
  checkBuilderConfig(options, config);
  const record = readImageRecord(context.root, options.projectName);
  const podman = await rootPodman(options.sudo, context.root);
  const archiveDir = mkdtempSync(join(STAGING_TMP, 'immutable-os-stage-'));
  try {
    // Also before a dry run: it points the refs at the recorded image, so the printed commands convert that image.
    const plan = await planConversion(podman, options, record, context.root, archiveDir);
    const containerName = (i: number) => builderContainerName(options.projectName, process.pid, i);
    const argvOf = (run: PlannedRun, i: number, outputDir: string) =>
      builderRunArgv(options, { types: run.types, outputDir, imageRef: run.imageRef, payloadRef: run.payloadRef, containerName: containerName(i) });

    if (options.dryRun) {
      // Commands a user can paste: staging (when needed), then each run's output folder (beside, not in, the one bootc-convert manages) and run.
      if (plan.staging.length > 0) console.log(formatCommand('mkdir', ['-p', archiveDir]));
      for (const args of [...plan.staging, ...(plan.platform?.name ?? [])]) console.log(formatCommand(podman.command, [...podman.prefix, ...args]));
      plan.runs.forEach((run, i) => {
        const outputDir = `${options.outputPath}-dry-run/run-${i}`;
        console.log(formatCommand('mkdir', ['-p', outputDir]));
        console.log(formatCommand(podman.command, [...podman.prefix, ...argvOf(run, i, outputDir)]));
      });
      for (const args of plan.platform?.restore ?? []) console.log(formatCommand(podman.command, [...podman.prefix, ...args]));
      console.log(`Dry run: config valid, ${plan.runs.length} builder run${plan.runs.length === 1 ? '' : 's'} for ${options.types.join(', ')}; nothing was run.`);
      return { success: true };
    }
    await stageImages(podman, plan.staging, plan.imageIds, context.root);
    const { platform } = plan;
    try {
      if (platform) {
        console.log(`Converting the linux/${platform.arch} image ${platform.id.slice(0, 12)} of the manifest list ${record.refs[0]}${platform.name.length > 0 ? ', which names it while the builder runs' : ''}.`);
        for (const args of platform.name) await runRootPodman(podman, args, { cwd: context.root, stream: false });
      }
      const artifacts: Artifact[] = [];
      await replaceDirAtomically(options.outputPath, async (staging) => {
        for (const [i, run] of plan.runs.entries()) {
          const runDir = join(staging, `.run-${i}`);
          mkdirSync(runDir);
          const argv = argvOf(run, i, runDir);
          console.log(`Running ${options.builderBackend} (${options.builderImage}) for ${run.types.join(', ')}:\n${formatCommand(podman.command, [...podman.prefix, ...argv])}`);
          await whileInterruptible(
            (signal) => runRootPodman(podman, argv, { cwd: context.root, signal, hint: engineHint }),
            () => removeContainer(podman, containerName(i), context.root),
          );
          artifacts.push(...(await collectRun(runDir, staging, run.types, options.builderBackend)));
          rmSync(runDir, { recursive: true, force: true });
        }
        const builder = await inspectBuilderImage(podman, options.builderImage, context.root);
        const out = (file: string) => workspaceRelative(join(options.outputPath, file), context.root);
        const summary = {
          project: options.projectName,
          image: record.refs[0],
          imageId: platform?.id ?? record.imageId,
          ...(platform ? { manifestListId: platform.listId, platform: `linux/${platform.arch}` } : {}),
          builderBackend: options.builderBackend,
          builderImage: options.builderImage,
          builderImageId: builder.id,
          builderImageDigest: builder.digest,
          installerImage: options.installerImage ?? null,
          config: options.config ? workspaceRelative(options.config.path, context.root) : null,
          // The project image's root filesystem: the rootfs option, else what the image declares.
          rootfs: plan.runs.find((r) => !r.payloadRef)?.rootfs ?? null,
          targetArch: options.targetArch ?? null,
          convertedAt: new Date().toISOString(),
          artifacts: artifacts.map((a) => ({ type: a.type, path: out(a.file), size: a.size, sha256: a.sha256, manifest: a.manifest ? out(a.manifest) : null })),
        };
        writeFileSync(join(staging, ARTIFACTS_JSON), JSON.stringify(summary, null, 2) + '\n');
        chownTree(staging, options.chown);
      });
      for (const a of artifacts) console.log(`${a.type}: ${workspaceRelative(join(options.outputPath, a.file), context.root)} (${a.size} bytes, sha256 ${a.sha256})`);
      return { success: true };
    } finally {
      // The manifest list gets its name back, whatever the builder did. Should that fail, the conversion's
      // own outcome stands: the next push, conversion or Nx run gives the name back (namedManifestList).
      for (const args of platform?.restore ?? []) {
        await runRootPodman(podman, args, { cwd: context.root, stream: false }).catch((error: Error) =>
          console.warn(`warning: could not give ${record.refs[0]} back to its manifest list (${error.message.split('\n')[0]}); run ${formatCommand(podman.command, [...podman.prefix, ...args])}, or let the next bootc-push or bootc-convert do it.`),
        );
      }
    }
  } finally {
    rmSync(archiveDir, { recursive: true, force: true });
  }
}
