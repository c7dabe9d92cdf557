import type { ExecutorContext } from '@nx/devkit';
import type { ParsedContainerfile } from '../../../utils/containerfile';
import type { Engine } from '../../../utils/engine';
import { ENGINE_COMMANDS, normalizeImageId } from '../../../utils/engine-commands';
import { ensureImage } from '../../../utils/ensure-image';
import { indexImageProjects, isImageProject } from '../../../utils/image-project';
import { readImageRecord, type ImageRecord } from '../../../utils/image-record';
import { runShort } from '../../../utils/run-process';
import { pinnedReference } from '../../../image/pins';
import { findWorkspaceBaseUses, substituteBases, type WorkspaceBaseUse } from './workspace-bases';

export interface ResolvedBases {
  /** The Containerfile text with workspace bases replaced by the exact images built for them. */
  content: string;
  records: Map<string, ImageRecord>;
  substituted: boolean;
}

/**
 * A flavor is built on the exact image this workspace built for its base (by image ID), never on
 * an older local copy or a registry copy under the same tag. Bases restored from Nx's cache are
 * brought back into the engine first. The engine may still be being detected: the records are
 * read (and checked) meanwhile.
 */
export async function resolveWorkspaceBases(
  engineDetected: Engine | Promise<Engine>,
  parsed: ParsedContainerfile,
  content: string,
  context: ExecutorContext,
  buildTarget: string,
  pinned: Readonly<Record<string, string>> = {},
): Promise<ResolvedBases> {
  const projectName = context.projectName as string;
  const projects = context.projectsConfigurations.projects;
  // Only the projects this one depends on in the graph; that is what Nx built before this task.
  const depNames = new Set((context.projectGraph?.dependencies[projectName] ?? []).map((d) => d.target));
  const candidates = Object.entries(projects).filter(
    ([name, p]) => name !== projectName && depNames.has(name) && isImageProject(context.root, p),
  );
  const index = indexImageProjects(candidates);
  const uses = findWorkspaceBaseUses(content, parsed, index);
  // External bases the lock file pins are built from reference@digest (their "project" is the reference).
  const pinnedUses = findWorkspaceBaseUses(content, parsed, { lookup: (ref) => (pinned[ref] !== undefined && index.lookup(ref) === undefined ? ref : undefined) });
  const pinnedText = (use: WorkspaceBaseUse) => pinnedReference(use.ref, pinned[use.ref]);
  const records = new Map<string, ImageRecord>();
  for (const project of new Set(uses.map((u) => u.project))) records.set(project, readImageRecord(context.root, project, buildTarget));
  if (uses.length === 0) return { content: substituteBases(content, pinnedUses, pinnedText), records, substituted: false };

  const engine = await engineDetected;
  for (const record of records.values()) await ensureImage(engine, record, context.root, buildTarget);

  const local = new Map<string, string>();
  for (const [project, record] of records) local.set(project, await exactImageName(engine, project, record, context.root));
  const workspace = new Set(uses);
  return { content: substituteBases(content, [...uses, ...pinnedUses], (use) => (workspace.has(use) ? (local.get(use.project) as string) : pinnedText(use))), records, substituted: true };
}

// podman and buildah take an image ID wherever a reference goes; docker's builder needs a tag, so it gets
// one that names the ID and exists only locally.
async function exactImageName(engine: Engine, project: string, record: ImageRecord, cwd: string): Promise<string> {
  const id = normalizeImageId(record.imageId);
  if (engine.name !== 'docker') return id;
  const tag = `immutable-os-base/${project}:${id.slice(0, 12)}`;
  await runShort(engine.command, ENGINE_COMMANDS.docker.tag(id, tag), { cwd });
  return tag;
}
