import type { ExecutorContext } from '@nx/devkit';
import { readGitInfo } from '../build/lib/git-info';
import { preloadProcessRunner } from '../../utils/run-process';
import { actor, ciJob } from '../promote/lib/actor';
import { channelRepository } from '../promote/lib/gate';
import { normalizeReleaseOptions } from '../promote/lib/normalize-options';
import { appendReleaseLog, readReleaseLog, rollbackTarget } from '../promote/lib/release-log';
import { copyToTag, inspectManifest, withRegistryAccess } from '../promote/lib/skopeo';
import type { RollbackExecutorSchema } from './schema';

/**
 * Moves a channel tag back to the digest it named before its latest promotion, as the release
 * log records it, and logs the move (bootc-rollback). A second rollback goes one promotion further back.
 */
export default async function rollbackExecutor(schema: RollbackExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  const options = normalizeReleaseOptions(schema, context, 'bootc-rollback');
  const entries = readReleaseLog(options.releaseLog.path, options.releaseLog.shown);
  const repository = channelRepository(context.root, options.projectName);
  return withRegistryAccess(repository, { ...options, cwd: context.root }, async (access) => {
    const tag = `${repository}:${options.channel}`;
    const current = await inspectManifest(tag, access);
    if (!current) throw new Error(`bootc-rollback: the registry has no ${tag}: there is nothing to roll back. Promote a digest with bootc-promote first.`);
    const target = rollbackTarget(entries, repository, options.channel, current.digest);
    if ('error' in target) throw new Error(`bootc-rollback: ${target.error} (${options.releaseLog.shown}).`);
    if (!(await inspectManifest(`${repository}@${target.to}`, access))) {
      throw new Error(`bootc-rollback: the registry no longer has ${repository}@${target.to}, which ${tag} named before: it was deleted. Promote another digest with bootc-promote.`);
    }
    await copyToTag(repository, target.to, options.channel, access);
    const after = await inspectManifest(tag, access);
    if (after?.digest !== target.to) {
      throw new Error(`skopeo copied ${repository}@${target.to} to ${tag}, but the registry now serves ${after?.digest ?? 'nothing'} for it; nothing was logged.`);
    }
    const earlier = [...entries].reverse().find((e) => e.repository === repository && e.to === target.to);
    appendReleaseLog(options.releaseLog.path, entries, {
      action: 'rollback',
      project: options.projectName,
      repository,
      channel: options.channel,
      from: current.digest,
      to: target.to,
      imageId: earlier?.imageId ?? null,
      bootTest: earlier?.bootTest ?? null,
      by: await actor(context.root),
      at: new Date().toISOString(),
      commit: (await readGitInfo(context.root)).revision ?? null,
      job: ciJob(),
    });
    console.log(`bootc-rollback: ${tag} moved back from ${current.digest} to ${target.to} (promoted ${target.promotion.at} by ${target.promotion.by}); logged in ${options.releaseLog.shown}.`);
    return { success: true };
  });
}
