import { existsSync, readFileSync, statSync } from 'node:fs';
import { readImageRecord, readPushRecord } from '../../../utils/image-record';
import { resolveWorkspacePath, workspaceRelative } from '../../../utils/workspace-path';
import { inspectManifest, type RegistryAccess } from './skopeo';

/** A digest bootc-promote may move a channel to: built here, pushed, on the registry as that image, boot-tested. */
export interface PromotionCandidate {
  repository: string;
  digest: string;
  imageId: string;
  /** What the promotion was gated on, for the release log. */
  bootTest: string | null;
}

/** A promotion refused: the message says why and what to run. */
export class PromotionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromotionRefused';
  }
}

export interface GateOptions {
  projectName: string;
  projectRoot: string;
  workspaceRoot: string;
  /** The digest asked for (--digest): it must be the pushed one. */
  digest?: string;
  requireBootTest: boolean;
  /** bootc-test's result.json, workspace-relative ({projectName} accepted). */
  testReport: string;
  buildTarget: string;
}

const bare = (id: string) => id.replace(/^sha256:/, '');

export interface LocalCandidate {
  record: ReturnType<typeof readImageRecord>;
  pushed: NonNullable<ReturnType<typeof readPushRecord>>;
  /** The repository whose channel tag moves: the one bootc-push pushed to. */
  repository: string;
}

/** The checks that need no registry: built (image.json), pushed (push.json, the same image ID), the digest asked for. */
export function localCandidate(options: GateOptions): LocalCandidate {
  const { projectName: p } = options;
  const record = readImageRecord(options.workspaceRoot, p, options.buildTarget);
  const pushed = readPushRecord(options.workspaceRoot, p);
  if (!pushed) throw new PromotionRefused(`${p} has not been pushed: dist/images/${p}/push.json is missing or unreadable. Run nx run ${p}:bootc-push first; bootc-promote moves a tag only to a pushed digest.`);
  if (bare(pushed.imageId) !== bare(record.imageId)) {
    throw new PromotionRefused(`${p}'s last build (image ${bare(record.imageId).slice(0, 12)}, dist/images/${p}/image.json) is not what was pushed (image ${bare(pushed.imageId).slice(0, 12)}, push.json). Run nx run ${p}:bootc-push, and bootc-test, first.`);
  }
  if (options.digest && options.digest !== pushed.digest) {
    throw new PromotionRefused(`--digest ${options.digest} is not the digest bootc-push pushed for ${p}'s image (${pushed.digest}, push.json). bootc-promote moves a tag only to what was built, pushed and tested here; bootc-rollback moves it back to an earlier promotion.`);
  }
  return { record, pushed, repository: pushed.image };
}

/**
 * Checks, before any tag moves, that the digest was built here (image.json), pushed (push.json,
 * the same image ID), is on the registry as that image (its config digest is the image ID: a
 * restored or hand-edited record naming another image is refused) and, unless requireBootTest is
 * false, that bootc-test passed on that image ID.
 */
export async function promotionCandidate(options: GateOptions, access: RegistryAccess, local: LocalCandidate = localCandidate(options)): Promise<PromotionCandidate> {
  const { projectName: p } = options;
  const { record, pushed, repository } = local;
  const manifest = await inspectManifest(`${repository}@${pushed.digest}`, access);
  if (!manifest) throw new PromotionRefused(`The registry has no ${repository}@${pushed.digest}, which push.json records: it was deleted, or push.json came from elsewhere. Run nx run ${p}:bootc-push again.`);
  if (manifest.configDigest && bare(manifest.configDigest) !== bare(record.imageId)) {
    throw new PromotionRefused(`${repository}@${pushed.digest} on the registry is image ${bare(manifest.configDigest).slice(0, 12)}, not ${p}'s image ${bare(record.imageId).slice(0, 12)}: push.json does not describe what the registry holds (a stale or restored record). Run nx run ${p}:bootc-push again.`);
  }
  if (!options.requireBootTest) return { repository, digest: pushed.digest, imageId: record.imageId, bootTest: 'not required (requireBootTest: false)' };

  const reportPath = resolveWorkspacePath(options.testReport.replace(/\{projectName\}/g, p), { workspaceRoot: options.workspaceRoot, projectRoot: options.projectRoot }, 'testReport');
  const shown = workspaceRelative(reportPath, options.workspaceRoot);
  if (!existsSync(reportPath)) {
    throw new PromotionRefused(`${repository}@${pushed.digest} has not been boot-tested: ${shown} does not exist. Run nx run ${p}:bootc-test first (or set requireBootTest to false for a project without a bootable disk).`);
  }
  let report: { status?: unknown; reason?: unknown; imageId?: unknown; accel?: unknown; firmware?: unknown };
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch (error) {
    throw new PromotionRefused(`${shown} is not valid JSON (${(error as Error).message}): run nx run ${p}:bootc-test again.`);
  }
  if (typeof report.imageId !== 'string' || bare(report.imageId) !== bare(record.imageId)) {
    throw new PromotionRefused(`The boot test in ${shown} ran on image ${typeof report.imageId === 'string' ? bare(report.imageId).slice(0, 12) : '(none)'}, not on ${p}'s image ${bare(record.imageId).slice(0, 12)}: run nx run ${p}:bootc-test for this image first.`);
  }
  if (report.status !== 'passed') {
    throw new PromotionRefused(`The boot test of ${p}'s image ${bare(record.imageId).slice(0, 12)} did not pass (${String(report.status)}${report.reason ? `: ${String(report.reason)}` : ''}; ${shown}). Fix the image, or run bootc-test again.`);
  }
  const when = statSync(reportPath).mtime.toISOString();
  return { repository, digest: pushed.digest, imageId: record.imageId, bootTest: `passed (${String(report.accel)}, ${String(report.firmware)}; ${shown} of ${when})` };
}

/** The repository whose channel tags move: the one bootc-push pushed to (push.json), else the one bootc-build tags (image.json). */
export function channelRepository(workspaceRoot: string, projectName: string): string {
  return readPushRecord(workspaceRoot, projectName)?.image ?? readImageRecord(workspaceRoot, projectName).image;
}
