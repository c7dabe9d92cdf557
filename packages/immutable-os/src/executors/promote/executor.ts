import type { ExecutorContext } from '@nx/devkit';
import { readGitInfo } from '../build/lib/git-info';
import { preloadProcessRunner } from '../../utils/run-process';
import { actor, ciJob } from './lib/actor';
import { localCandidate, promotionCandidate } from './lib/gate';
import { digestOption, normalizeReleaseOptions } from './lib/normalize-options';
import { appendReleaseLog, readReleaseLog } from './lib/release-log';
import { copyToTag, inspectManifest, withRegistryAccess } from './lib/skopeo';
import type { PromoteExecutorSchema } from './schema';

/**
 * Moves a channel tag (stable, gts, ...) to the digest this workspace built, pushed and
 * boot-tested, with skopeo copy by digest (no rebuild, no pull by tag), and appends the move to
 * the release log (bootc-promote).
 */
export default async function promoteExecutor(schema: PromoteExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  const options = normalizeReleaseOptions(schema, context, 'bootc-promote');
  const digest = digestOption(schema.digest, 'digest');
  const entries = readReleaseLog(options.releaseLog.path, options.releaseLog.shown);
  const gate = {
    projectName: options.projectName,
    projectRoot: context.projectsConfigurations.projects[options.projectName]?.root ?? '.',
    workspaceRoot: context.root,
    ...(digest ? { digest } : {}),
    requireBootTest: schema.requireBootTest ?? true,
    testReport: schema.testReport ?? 'dist/tests/{projectName}/result.json',
    buildTarget: schema.buildTarget ?? 'bootc-build',
  };
  const local = localCandidate(gate);
  return withRegistryAccess(local.repository, { ...options, cwd: context.root }, async (access) => {
    const candidate = await promotionCandidate(gate, access, local);
    const tag = `${candidate.repository}:${options.channel}`;
    const before = await inspectManifest(tag, access);
    if (before?.digest === candidate.digest) {
      console.log(`bootc-promote: ${tag} already names ${candidate.digest}; nothing moved, nothing logged.`);
      return { success: true };
    }
    await copyToTag(candidate.repository, candidate.digest, options.channel, access);
    const after = await inspectManifest(tag, access);
    if (after?.digest !== candidate.digest) {
      throw new Error(`skopeo copied ${candidate.repository}@${candidate.digest} to ${tag}, but the registry now serves ${after?.digest ?? 'nothing'} for it; nothing was logged. Check the registry and run bootc-promote again.`);
    }
    appendReleaseLog(options.releaseLog.path, entries, {
      action: 'promote',
      project: options.projectName,
      repository: candidate.repository,
      channel: options.channel,
      from: before?.digest ?? null,
      to: candidate.digest,
      imageId: candidate.imageId,
      bootTest: candidate.bootTest,
      by: await actor(context.root),
      at: new Date().toISOString(),
      commit: (await readGitInfo(context.root)).revision ?? null,
      job: ciJob(),
    });
    console.log(
      `bootc-promote: ${tag} moved ${before ? `from ${before.digest}` : '(new tag)'} to ${candidate.digest} (image ${candidate.imageId.replace(/^sha256:/, '').slice(0, 12)}, boot test ${candidate.bootTest}); logged in ${options.releaseLog.shown}.`,
    );
    return { success: true };
  });
}
