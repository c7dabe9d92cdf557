import type { ExecutorContext } from '@nx/devkit';
import { readImageRecord } from '../../utils/image-record';
import { normalizeOptions } from './lib/normalize-options';
import { pushImage } from './lib/push-image';
import { noVersionNote, releaseRefs } from './lib/release-refs';
import type { PushExecutorSchema } from './schema';
import { preloadProcessRunner } from '../../utils/run-process';

/** Pushes every ref bootc-build recorded, plus its {version} tags at a release commit (bootc-push). */
export default async function pushExecutor(schema: PushExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  preloadProcessRunner();
  const options = normalizeOptions(schema, context);
  const record = readImageRecord(context.root, options.projectName);
  const release = await releaseRefs(record, context);
  if (!release.version && record.releaseTags?.length) console.warn(noVersionNote(record, context));
  await pushImage(options, record, [...new Set([...record.refs, ...release.refs])], context.root);
  return { success: true };
}
