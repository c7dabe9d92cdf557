import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { buildEnv, describeEngine, detectEngine, engineHint } from '../../utils/engine';
import { ENGINE_COMMANDS, normalizeImageId } from '../../utils/engine-commands';
import { replaceDirAtomically } from '../../utils/atomic-dir';
import { manifestListId } from '../../utils/ensure-image';
import { IMAGE_ARCHIVE, IMAGE_JSON, imageOutputDir, type ImageRecord } from '../../utils/image-record';
import { preloadProcessRunner, runProcess } from '../../utils/run-process';
import { workspaceRelative } from '../../utils/workspace-path';
import { resolveWorkspaceBases } from './lib/base-images';
import { bindMountCacheIsBlind, hashFolders, keyBindMountRuns } from './lib/bind-mount-cache';
import { buildArgv } from './lib/build-argv';
import { assertNoBuilderConfigCopy } from './lib/builder-config-copy';
import { externalBaseIds } from './lib/external-bases';
import { readGitInfo } from './lib/git-info';
import { resolveSourceDate } from './lib/source-date';
import { imageLabels } from './lib/labels';
import { LINT_JSON, lintBuiltImage } from './lib/lint-report';
import { normalizeOptions } from './lib/normalize-options';
import { readContainerfile } from './lib/read-containerfile';
import { expandTags, projectVersion } from './lib/tags';
import { isReleaseTag } from '../../utils/tag-template';
import type { BuildExecutorSchema } from './schema';

/** Builds the image (bootc-build) and records it in dist/images/<project>/image.json. */
export default async function buildExecutor(schema: BuildExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  const options = normalizeOptions(schema, context);
  // The engine and git run while the Containerfile and the bases' records are read and checked.
  const engineDetected = detectEngine(options.engine, context.root, { forBuild: true });
  engineDetected.catch(() => undefined); // awaited below, unless the Containerfile is refused first
  const gitInfo = readGitInfo(context.root);
  const parsed = readContainerfile(options.containerfile, options.containerfileContent, context.root, options.buildArgs);
  assertNoBuilderConfigCopy(parsed, options.context, join(context.root, options.projectRoot), workspaceRelative(options.containerfile, context.root));
  const buildTarget = context.targetName ?? 'bootc-build';
  const bases = await resolveWorkspaceBases(engineDetected, parsed, options.containerfileContent, context, buildTarget, options.pinnedBases);
  const engine = await engineDetected;
  const git = await gitInfo;
  // The commit's time stamps the image, its labels, its tags and its record: an unchanged commit rebuilds the same image ID.
  const created = resolveSourceDate(git);
  const refs = expandTags(options, git, created.iso);
  const labels = imageLabels(
    { projectName: options.projectName, created: created.iso, revision: git.revision, source: git.source, version: projectVersion(options) },
    options.labels,
  );

  const work = mkdtempSync(join(tmpdir(), 'immutable-os-build-'));
  try {
    const content = bindMountCacheIsBlind(engine)
      ? keyBindMountRuns(bases.content, parsed, () => hashFolders([options.context, ...options.buildContexts.map((c) => c.path)]))
      : bases.content;
    // The engine gets the project's file unless the text it must build differs: workspace bases
    // replaced by image ID, bind mounts keyed, or a Containerfile.in for docker (which has no cpp).
    // A copy is the text as parsed here, already preprocessed: a plain Containerfile, no cpp flags.
    const copy = content !== options.containerfileContent || (options.spec.preprocessed && engine.name === 'docker');
    const containerfile = copy ? join(work, 'Containerfile') : options.containerfile;
    if (copy) writeFileSync(containerfile, content);
    const cppFlags = copy || !options.spec.preprocessed ? [] : options.spec.cppFlags;
    // An ID cannot be pulled: with workspace bases, "always" checks the external ones only (newer).
    const pull = bases.substituted && options.pull === 'always' ? 'newer' : options.pull;
    const iidfile = join(work, 'iid');
    const argv = buildArgv(engine, { ...options, containerfile, cppFlags, refs, labels, pull, iidfile, timestamp: created.from === 'clock' ? undefined : created.epoch });
    await runProcess(engine.command, argv, { cwd: context.root, env: buildEnv(engine), hint: engineHint });
    // buildah writes no ID file for several platforms (build-argv.ts): its listing names the list.
    const imageId = engine.name === 'buildah' && options.platforms.length > 1 ? await manifestListId(engine, refs[0], context.root) : normalizeImageId(readFileSync(iidfile, 'utf8'));
    // Several platforms: the build made a manifest list named refs[0]; the other refs name it too.
    for (const ref of options.platforms.length > 1 ? refs.slice(1) : []) {
      await runProcess(engine.command, ENGINE_COMMANDS[engine.name].tag(refs[0], ref), { cwd: context.root, stream: false });
    }

    // bootcLint: bootc's own lint in the image, merged with bootc-lint's findings. A failure records
    // no image.json (Nx caches nothing from a failed task) and takes the build's tags off the image.
    const image = options.platforms.length > 1 ? refs[0] : imageId;
    const { bootcLint } = options;
    const lint = bootcLint === 'off' ? undefined : await lintBuiltImage(engine, { ...options, bootcLint }, parsed, image, context.projectsConfigurations.projects);
    if (lint) console.log([lint.text, ...lint.notes].join('\n'));
    const lintJson = lint && JSON.stringify(lint.report, null, 2) + '\n';
    if (lint?.failure) {
      const outDir = imageOutputDir(context.root, options.projectName);
      await replaceDirAtomically(outDir, async (staging) => writeFileSync(join(staging, LINT_JSON), lintJson as string));
      await runProcess(engine.command, ENGINE_COMMANDS[engine.name].untag(image, refs), { cwd: context.root, stream: false, hint: engineHint });
      throw new Error(
        `bootc container lint failed in the built image (${imageId.slice(0, 12)}): ${lint.failure}. The report is ${workspaceRelative(join(outDir, LINT_JSON), context.root)}; ` +
          `no image.json was recorded and the build's tags (${refs.join(', ')}) were removed, so nothing pushes, converts or builds on it. Fix what the lints say, or skip one with bootcLintSkip.`,
      );
    }

    const record: ImageRecord = {
      project: options.projectName,
      image: options.image,
      refs,
      imageId,
      engine: engine.name,
      engineVersion: engine.version,
      platforms: options.platforms,
      containerfile: workspaceRelative(options.containerfile, context.root),
      containerfileSha256: createHash('sha256').update(options.containerfileContent).digest('hex'),
      baseImages: await externalBaseIds(engine, parsed, bases.records, context.root, options.pinnedBases),
      labels,
      created: created.iso,
      ...(options.archive ? { archive: IMAGE_ARCHIVE } : {}),
      ...(options.tagTemplates.some(isReleaseTag) ? { releaseTags: options.tagTemplates.filter(isReleaseTag) } : {}),
    };
    await replaceDirAtomically(imageOutputDir(context.root, options.projectName), async (staging) => {
      if (options.archive) {
        await runProcess(engine.command, ENGINE_COMMANDS[engine.name].save(imageId, join(staging, IMAGE_ARCHIVE)), { cwd: context.root, stream: false, hint: engineHint });
      }
      writeFileSync(join(staging, IMAGE_JSON), JSON.stringify(record, null, 2) + '\n');
      if (lintJson) writeFileSync(join(staging, LINT_JSON), lintJson);
    });
    console.log(`Built ${refs.join(', ')} (${imageId.slice(0, 12)}) with ${describeEngine(engine)}.`);
    return { success: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
