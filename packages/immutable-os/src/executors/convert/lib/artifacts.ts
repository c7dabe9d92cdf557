import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILDER_BACKENDS, type BuilderBackendName } from '../../../builder/backends';
import { artifactPath, type ImageType } from '../../../builder/image-types';

export const ARTIFACTS_JSON = 'artifacts.json';

export interface Artifact {
  type: ImageType;
  /** Relative to the output folder. */
  file: string;
  size: number;
  sha256: string;
  /** The builder's manifest for the run that made it, relative to the output folder. */
  manifest?: string;
}

/**
 * Moves one builder run's files from the builder's names (which depend on the run's first type) to
 * ours (`<type>/<file>`), keeps its manifest, and checksums each artifact. A type whose file the
 * builder did not write is an error.
 */
export async function collectRun(runDir: string, staging: string, types: readonly ImageType[], backendName: BuilderBackendName = 'bootc-image-builder'): Promise<Artifact[]> {
  const backend = BUILDER_BACKENDS[backendName];
  const written = readdirSync(runDir).find((f) => backend.isManifest(f));
  const manifest = written && backend.keptManifest(written, types);
  if (written && manifest) renameSync(join(runDir, written), join(staging, manifest));
  const artifacts: Artifact[] = [];
  for (const type of types) {
    const path = backend.written(type, types);
    const from = join(runDir, path);
    if (!existsSync(from)) {
      throw new Error(`${backendName} finished but did not write ${path} for type ${type}; check its output above.`);
    }
    const file = artifactPath(type);
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    renameSync(from, join(staging, file));
    artifacts.push({ type, file, size: statSync(join(staging, file)).size, sha256: await sha256(join(staging, file)), manifest });
  }
  return artifacts;
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
