import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectEngine, engineHint } from '../../../utils/engine';
import { ENGINE_COMMANDS } from '../../../utils/engine-commands';
import { ensureImage, ensureManifestList } from '../../../utils/ensure-image';
import { imageOutputDir, PUSH_JSON, type ImageRecord } from '../../../utils/image-record';
import { runProcess } from '../../../utils/run-process';
import type { NormalizedPushOptions } from './normalize-options';
import { digestFromDockerOutput, loginArgv, pushArgv, registryOf } from './push-argv';
import { withRetries } from './push-with-retries';

/**
 * Pushes the recorded image under `refs` (by image ID, after tagging it locally with each ref)
 * and records the digests in push.json. Logs in for this run only when credentials are given.
 */
export async function pushImage(options: NormalizedPushOptions, record: ImageRecord, refs: readonly string[], workspaceRoot: string): Promise<Array<{ ref: string; digest: string }>> {
  const engine = await detectEngine(options.engine === 'auto' ? record.engine : options.engine, workspaceRoot);
  // A multi-platform build is a local manifest list, which an archive cannot carry.
  const manifestList = record.platforms.length > 1 ? record.refs[0] : undefined;
  if (manifestList) await ensureManifestList(engine, manifestList, record.project, workspaceRoot, undefined, record.imageId);
  else await ensureImage(engine, record, workspaceRoot);

  const work = mkdtempSync(join(tmpdir(), 'immutable-os-push-'));
  try {
    // A login for this run only: a temporary auth file (podman, buildah) or docker config folder.
    const authfile = options.credentials && engine.name !== 'docker' ? join(work, 'auth.json') : undefined;
    const env = options.credentials && engine.name === 'docker' ? { ...process.env, DOCKER_CONFIG: work } : undefined;
    const run = (args: string[], input?: string, stream = true) => runProcess(engine.command, args, { cwd: workspaceRoot, input, env, stream, hint: engineHint });

    if (options.credentials) {
      const { username, password } = options.credentials;
      for (const registry of new Set(refs.map(registryOf))) {
        await withRetries(`Logging in to ${registry}`, options.retries, () => run(loginArgv(engine.name, registry, username, options.tlsVerify, authfile), password, false));
      }
    }

    const pushed: Array<{ ref: string; digest: string }> = [];
    for (const ref of refs) {
      // Refs the build did not write (release tags) name the same image locally first.
      if (!record.refs.includes(ref)) await run(ENGINE_COMMANDS[engine.name].tag(manifestList ?? record.imageId, ref), undefined, false);
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

    const file = join(imageOutputDir(workspaceRoot, record.project), PUSH_JSON);
    const data = {
      project: record.project,
      image: record.image,
      imageId: record.imageId,
      digest: pushed[0].digest,
      refs: pushed,
      tlsVerify: options.tlsVerify,
      signed: Boolean(options.signBy || options.signBySigstoreKey),
      pushedAt: new Date().toISOString(),
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(data, null, 2) + '\n');
    renameSync(`${file}.tmp`, file);
    return pushed;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
