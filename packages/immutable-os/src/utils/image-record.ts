import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const IMAGE_JSON = 'image.json';
export const IMAGE_ARCHIVE = 'image.oci.tar';

/** Where bootc-build writes a project's outputs: `dist/images/<project>`. */
export function imageOutputDir(workspaceRoot: string, projectName: string): string {
  return join(workspaceRoot, 'dist', 'images', projectName);
}

/**
 * The command that rebuilds projects' images (with what they are built FROM): a --skip-nx-cache run,
 * whose bootc-build results the plugin's postTasksExecution hook stores in Nx's cache in place of
 * the entries that pointed at missing images, so the next ordinary run finds the new records.
 */
export function rebuildCommand(projects: readonly string[], buildTarget: string): string {
  return projects.length === 1 ? `nx run ${projects[0]}:${buildTarget} --skip-nx-cache` : `nx run-many -t ${buildTarget} -p ${projects.join(',')} --skip-nx-cache`;
}

const imageRecordSchema = z.object({
  project: z.string(),
  image: z.string(),
  refs: z.array(z.string()).min(1),
  imageId: z.string().min(1),
  engine: z.enum(['podman', 'docker', 'buildah']),
  engineVersion: z.string(),
  platforms: z.array(z.string()),
  containerfile: z.string(),
  containerfileSha256: z.string(),
  baseImages: z.array(z.object({ ref: z.string(), imageId: z.string().optional(), project: z.string().optional() })),
  labels: z.record(z.string(), z.string()),
  /** The image's created time: the source date (the commit's), so the same commit writes the same record. */
  created: z.string().optional(),
  /** Records of earlier versions: the clock time of the build. */
  builtAt: z.string().optional(),
  archive: z.string().optional(),
  /** Tag templates naming {version}: bootc-push expands them with the release version at HEAD. */
  releaseTags: z.array(z.string()).optional(),
});

/** What bootc-build records about the image it built (dist/images/<project>/image.json). */
export type ImageRecord = z.infer<typeof imageRecordSchema>;

/** Reads a project's image.json; the error names the file and how to produce it. */
export function readImageRecord(workspaceRoot: string, projectName: string, buildTarget = 'bootc-build'): ImageRecord {
  const file = join(imageOutputDir(workspaceRoot, projectName), IMAGE_JSON);
  const shown = `dist/images/${projectName}/${IMAGE_JSON}`;
  if (!existsSync(file)) {
    throw new Error(`${shown} does not exist: build the image first with nx run ${projectName}:${buildTarget}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${shown} is not valid JSON (${(error as Error).message}): rebuild with ${rebuildCommand([projectName], buildTarget)}.`);
  }
  const parsed = imageRecordSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${shown} is not an image record of this immutable-os version (${issue.path.join('.') || 'root'}: ${issue.message}): rebuild with ${rebuildCommand([projectName], buildTarget)}.`,
    );
  }
  return parsed.data;
}

export const PUSH_JSON = 'push.json';

const pushRecordSchema = z.object({
  image: z.string(),
  imageId: z.string(),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  tlsVerify: z.boolean().optional(),
});

/** What bootc-push recorded (dist/images/<project>/push.json), or undefined when there is none or it is unreadable. */
export function readPushRecord(workspaceRoot: string, projectName: string): z.infer<typeof pushRecordSchema> | undefined {
  try {
    const parsed = pushRecordSchema.safeParse(JSON.parse(readFileSync(join(imageOutputDir(workspaceRoot, projectName), PUSH_JSON), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
