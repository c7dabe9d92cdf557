import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { detectEngine, engineHint } from '../../utils/engine';
import { ensureImage, ensureManifestList } from '../../utils/ensure-image';
import { imageOutputDir, PUSH_JSON, readImageRecord } from '../../utils/image-record';
import { runProcess } from '../../utils/run-process';
import { normalizeOptions } from './lib/normalize-options';
import { digestFromDockerOutput, loginArgv, pushArgv, registryOf } from './lib/push-argv';
import { withRetries } from './lib/push-with-retries';
import type { PushExecutorSchema } from './schema';


/** Pushes every ref bootc-build recorded (bootc-push) and records the manifest digest in push.json. */
export default async function pushExecutor(schema: PushExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const options = normalizeOptions(schema, context);
  const record = readImageRecord(context.root, options.projectName);
  const engine = await detectEngine(options.engine === 'auto' ? record.engine : options.engine, context.root);
  // A multi-platform build is a local manifest list, which an archive cannot carry.
  const manifestList = record.platforms.length > 1 ? record.refs[0] : undefined;
  if (manifestList) await ensureManifestList(engine, manifestList, record.project, context.root);
  else await ensureImage(engine, record, context.root);

  const work = mkdtempSync(join(tmpdir(), 'immutable-os-push-'));
  try {
    // A login for this run only: a temporary auth file (podman, buildah) or docker config folder.
    const authfile = options.credentials && engine.name !== 'docker' ? join(work, 'auth.json') : undefined;
    const env = options.credentials && engine.name === 'docker' ? { ...process.env, DOCKER_CONFIG: work } : undefined;
    const run = (args: string[], input?: string, stream = true) =>
      runProcess(engine.command, args, { cwd: context.root, input, env, stream, hint: engineHint });

    if (options.credentials) {
      for (const registry of new Set(record.refs.map(registryOf))) {
        await withRetries(`Logging in to ${registry}`, options.retries, () =>
          run(loginArgv(engine.name, registry, options.credentials!.username, options.tlsVerify, authfile), options.credentials!.password, false),
        );
      }
    }

    const pushed: Array<{ ref: string; digest: string }> = [];
    for (const ref of record.refs) {
      const digestfile = join(work, 'digest');
      rmSync(digestfile, { force: true });
      const { stdout } = await withRetries(`Pushing ${ref}`, options.retries, () =>
        run(pushArgv(engine.name, { ...options, imageId: record.imageId, ref, digestfile, authfile, manifestList })),
      );
      const digest = engine.name === 'docker' ? digestFromDockerOutput(stdout) : existsSync(digestfile) ? readFileSync(digestfile, 'utf8').trim() : undefined;
      if (!digest) throw new Error(`${engine.name} pushed ${ref} but reported no manifest digest; check the push output above.`);
      pushed.push({ ref, digest });
      console.log(`Pushed ${ref}@${digest}`);
    }

    const file = join(imageOutputDir(context.root, options.projectName), PUSH_JSON);
    const data = { project: options.projectName, image: record.image, imageId: record.imageId, digest: pushed[0].digest, refs: pushed, tlsVerify: options.tlsVerify, signed: Boolean(options.signBy || options.signBySigstoreKey), pushedAt: new Date().toISOString() };
    writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 2) + '\n');
    renameSync(`${file}.tmp`, file);
    return { success: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
