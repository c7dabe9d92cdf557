import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { replaceDirAtomically } from '../../utils/atomic-dir';
import { engineHint } from '../../utils/engine';
import { readImageRecord } from '../../utils/image-record';
import { planBuilderRuns } from '../../builder/image-types';
import { formatCommand, preloadProcessRunner } from '../../utils/run-process';
import { workspaceRelative } from '../../utils/workspace-path';
import { ARTIFACTS_JSON, collectRun, type Artifact } from './lib/artifacts';
import { builderContainerName, builderRunArgv } from './lib/builder-argv';
import { checkBuilderConfig } from './lib/check-config';
import { normalizeOptions } from './lib/normalize-options';
import { chownTree } from './lib/own-outputs';
import { checkImageForBuilder } from './lib/preflight';
import { removeContainer } from './lib/remove-container';
import { rootGraphRoot, rootPodman, runRootPodman } from './lib/root-podman';
import { whileInterruptible } from './lib/interrupt';
import type { ConvertExecutorSchema } from './schema';

/** Converts the built image into disks and installers with bootc-image-builder (bootc-convert). */
export default async function convertExecutor(schema: ConvertExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  const options = normalizeOptions(schema, context);
  const config = options.config ? readFileSync(options.config.path, 'utf8') : undefined;
  checkBuilderConfig(options, config);
  const record = readImageRecord(context.root, options.projectName);
  const imageRef = record.refs[0];
  const runs = planBuilderRuns(options.types);
  const podman = await rootPodman(options.sudo, context.root);
  const builderOptions = { ...options, containerStorage: options.containerStorage ?? (await rootGraphRoot(podman, context.root)) };
  const containerName = (i: number) => builderContainerName(options.projectName, process.pid, i);
  // Also before a dry run: it points the refs at the recorded image, so the printed command converts that image.
  await checkImageForBuilder(podman, record, context.root);

  if (options.dryRun) {
    // Commands a user can paste: the output folder (beside, not in, the one bootc-convert manages) is made first.
    runs.forEach((types, i) => {
      const outputDir = `${options.outputPath}-dry-run/run-${i}`;
      const argv = builderRunArgv(builderOptions, { types, outputDir, imageRef, containerName: containerName(i) });
      console.log(formatCommand('mkdir', ['-p', outputDir]));
      console.log(formatCommand(podman.command, [...podman.prefix, ...argv]));
    });
    console.log(`Dry run: config valid, ${runs.length} builder run${runs.length === 1 ? '' : 's'} for ${options.types.join(', ')}; nothing was run.`);
    return { success: true };
  }

  const artifacts: Artifact[] = [];
  await replaceDirAtomically(options.outputPath, async (staging) => {
    for (const [i, types] of runs.entries()) {
      const runDir = join(staging, `.run-${i}`);
      mkdirSync(runDir);
      const argv = builderRunArgv(builderOptions, { types, outputDir: runDir, imageRef, containerName: containerName(i) });
      console.log(`Running bootc-image-builder (${options.builderImage}) for ${types.join(', ')}:\n${formatCommand(podman.command, [...podman.prefix, ...argv])}`);
      await whileInterruptible(
        (signal) => runRootPodman(podman, argv, { cwd: context.root, signal, hint: engineHint }),
        () => removeContainer(podman, containerName(i), context.root),
      );
      artifacts.push(...(await collectRun(runDir, staging, types)));
      rmSync(runDir, { recursive: true, force: true });
    }
    const out = (file: string) => workspaceRelative(join(options.outputPath, file), context.root);
    const summary = {
      project: options.projectName,
      image: imageRef,
      imageId: record.imageId,
      builderImage: options.builderImage,
      config: options.config ? workspaceRelative(options.config.path, context.root) : null,
      rootfs: options.rootfs ?? null,
      targetArch: options.targetArch ?? null,
      convertedAt: new Date().toISOString(),
      artifacts: artifacts.map((a) => ({ type: a.type, path: out(a.file), size: a.size, sha256: a.sha256, manifest: a.manifest ? out(a.manifest) : null })),
    };
    writeFileSync(join(staging, ARTIFACTS_JSON), JSON.stringify(summary, null, 2) + '\n');
    chownTree(staging, options.chown);
  });
  for (const a of artifacts) console.log(`${a.type}: ${workspaceRelative(join(options.outputPath, a.file), context.root)} (${a.size} bytes, sha256 ${a.sha256})`);
  return { success: true };
}
