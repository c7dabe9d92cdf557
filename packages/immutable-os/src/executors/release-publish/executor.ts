import type { ExecutorContext } from '@nx/devkit';
import { readImageRecord } from '../../utils/image-record';
import { releaseTagPattern } from '../../utils/release-version';
import { expandTagRefs, tagTokenValues } from '../../utils/tag-template';
import { normalizeOptions } from '../push/lib/normalize-options';
import { pushImage } from '../push/lib/push-image';
import { releaseRefs } from '../push/lib/release-refs';
import type { PushExecutorSchema } from '../push/schema';
import type { ReleasePublishExecutorSchema } from './schema';
import { preloadProcessRunner } from '../../utils/run-process';

/**
 * Pushes the built image under its release version (the nx-release-publish target, run by nx
 * release publish), with the project's bootc-push options unless given here.
 */
export default async function releasePublishExecutor(schema: ReleasePublishExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  // npm's publish options reach every project's nx-release-publish; they mean nothing to an image.
  const { dryRun, registry: _registry, tag: _tag, otp: _otp, access: _access, firstRelease: _first, ...ownOptions } = schema;
  const options = normalizeOptions({ ...pushTargetOptions(context), ...ownOptions }, context);
  const record = readImageRecord(context.root, options.projectName);
  const release = await releaseRefs(record, context);
  if (!release.version) {
    const pattern = releaseTagPattern(context.nxJsonConfiguration).replace(/\{projectName\}/g, options.projectName);
    throw new Error(`${options.projectName} has no release version at HEAD: no git tag ${pattern} and no package.json version. Run nx release (or nx release version) first, then nx release publish.`);
  }
  const versionRef = expandTagRefs(record.image, ['{version}'], tagTokenValues(options.projectName, undefined, new Date().toISOString(), release.version.version), 'version');
  const refs = [...new Set([...versionRef, ...release.refs])];
  if (dryRun) {
    console.log(`Dry run: would push ${record.imageId.slice(0, 12)} (version ${release.version.version} from ${release.version.from}) as ${refs.join(', ')}.`);
    return { success: true };
  }
  await pushImage(options, record, refs, context.root);
  return { success: true };
}

// The project's bootc-push options (registry TLS, credentials, signing) apply to the release push too.
function pushTargetOptions(context: ExecutorContext): PushExecutorSchema {
  const targets = context.projectsConfigurations.projects[context.projectName as string]?.targets ?? {};
  const push = Object.values(targets).find((target) => target.executor === 'immutable-os:push');
  return (push?.options as PushExecutorSchema | undefined) ?? {};
}
