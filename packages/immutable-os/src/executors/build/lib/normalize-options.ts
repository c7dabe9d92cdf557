import { existsSync, statSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { ARG_NAME, checkedRecord, resolveBuildSpec, type BuildSpec } from '../../../image/build-spec';
import { DIGEST } from '../../../image/pins';
import { imageRoots } from '../../../image/variants';
import { ENGINE_NAMES, type EnginePreference } from '../../../utils/engine';
import { assertImageReference } from '../../../utils/image-ref';
import { imageMetadata, imageRepository } from '../../../utils/image-project';
import { assertTagTemplate, isReleaseTag } from '../../../utils/tag-template';
import { resolveWorkspacePath, workspaceRelative, type PathRoots } from '../../../utils/workspace-path';
import type { BootcLintOption, BuildExecutorSchema, PullPolicy } from '../schema';
import { splitListOption as splitList } from '../../../utils/list-option';
import { secretSpecs } from './secret-specs';
import type { BootcLintMode } from './image-lint';

export const PULL_POLICIES: readonly PullPolicy[] = ['missing', 'always', 'never', 'newer'];

export interface BuildSecret {
  id: string;
  /** The file (src=) or environment variable (env=) the secret comes from. */
  source: { file: string } | { env: string };
}

/** The build's options, every path absolute and every value checked. */
export interface NormalizedBuildOptions {
  projectName: string;
  projectRoot: string;
  workspaceRoot: string;
  engine: EnginePreference;
  /** What the project builds (file, context, build args, cpp flags, target): the resolver bootc-lint and the graph read too. */
  spec: BuildSpec;
  containerfile: string;
  /** What the engine parses: the Containerfile, or cpp's output for a Containerfile.in. */
  containerfileContent: string;
  context: string;
  image: string;
  tagTemplates: string[];
  buildArgs: Record<string, string>;
  /** Reference → digest: the bases built from reference@digest. */
  pinnedBases: Record<string, string>;
  labels: Record<string, string>;
  platforms: string[];
  target?: string;
  pull: PullPolicy;
  /** Require HTTPS and verified certificates when pulling bases (false: --tls-verify=false). */
  tlsVerify: boolean;
  noCache: boolean;
  secrets: BuildSecret[];
  cacheFrom: string[];
  cacheTo: string[];
  buildContexts: Array<{ name: string; path: string }>;
  archive: boolean;
  extraArgs: string[];
  /** Run `bootc container lint` in the built image (strict: with --fatal-warnings). */
  bootcLint: BootcLintMode;
  /** bootc's lints to skip (--skip). */
  bootcLintSkip: string[];
}

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;

/** Checks every option before anything runs; errors name the option, the value and the fix. */
export function normalizeOptions(options: BuildExecutorSchema, context: ExecutorContext): NormalizedBuildOptions {
  const projectName = context.projectName;
  if (!projectName) throw new Error('bootc-build must run for a project (nx run <project>:bootc-build).');
  const project = context.projectsConfigurations.projects[projectName];
  // A variant's files are its declaring project's (image/variants.ts).
  const roots = imageRoots(context.root, project);
  const metadata = imageMetadata(project);

  const engine = options.engine ?? 'auto';
  if (engine !== 'auto' && !ENGINE_NAMES.includes(engine)) {
    throw new Error(`engine: "${engine}" is not an engine; use auto, ${ENGINE_NAMES.join(', ')}.`);
  }

  const spec = resolveBuildSpec({ ...roots, options });
  assertFolder(spec.context, 'context', context.root);

  const image = options.image ?? imageRepository(projectName, project);
  assertImageReference(image, options.image ? 'image' : `metadata["immutable-os"].image of ${projectName}`, { allowTag: false });

  const tagTemplates = nonEmpty(options.tags) ?? nonEmpty(metadata.tags) ?? ['latest'];
  for (const tag of tagTemplates) assertTagTemplate(tag, 'tags');
  if (tagTemplates.every(isReleaseTag)) {
    throw new Error(`tags: ${tagTemplates.join(', ')} all name {version}, which only bootc-push expands; add a tag the build can write, e.g. latest.`);
  }

  const labels = checkedRecord(options.labels, 'labels', LABEL_KEY, 'a label key (letters, digits, ".", "_", "/", "-")');
  const pinnedBases = checkedRecord(options.pinnedBases, 'pinnedBases', /^[^\s@]+$/, 'an image reference without a digest');
  for (const [ref, digest] of Object.entries(pinnedBases)) {
    assertImageReference(ref, `pinnedBases: "${ref}"`);
    if (!DIGEST.test(digest)) throw new Error(`pinnedBases.${ref}: "${digest}" is not a digest (sha256: and 64 lowercase hex digits).`);
  }

  const platforms = splitList(options.platform);
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) throw new Error(`platform: "${platform}" is not os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.`);
  }

  if (platforms.length > 1 && options.archive) {
    throw new Error(`archive: a build for several platforms (${platforms.join(', ')}) makes a manifest list, which an OCI archive of one image cannot hold. Turn archive off, or build one platform.`);
  }

  const pull = options.pull ?? 'missing';
  if (!PULL_POLICIES.includes(pull)) throw new Error(`pull: "${pull}" is not a pull policy; use ${PULL_POLICIES.join(', ')}.`);

  const buildContexts = Object.entries(options.buildContexts ?? {}).map(([name, value]) => {
    if (!CONTEXT_NAME.test(name)) throw new Error(`buildContexts: "${name}" is not a valid context name (letters, digits, ".", "_", "-").`);
    const path = resolveWorkspacePath(value, roots, `buildContexts.${name}`);
    assertFolder(path, `buildContexts.${name}`, context.root);
    return { name, path };
  });

  for (const [option, refs] of [['cacheFrom', options.cacheFrom], ['cacheTo', options.cacheTo]] as const) {
    for (const ref of refs ?? []) assertImageReference(ref, option, { allowTag: false });
  }

  const bootcLint = normalizeBootcLint(options.bootcLint);
  const bootcLintSkip = splitList(options.bootcLintSkip);
  for (const name of bootcLintSkip) {
    if (!BOOTC_LINT_NAME.test(name)) throw new Error(`bootcLintSkip: "${name}" is not a bootc lint name (lowercase letters, digits, "-", e.g. nonempty-boot); \`bootc container lint --list\` in the image lists them.`);
  }
  if (bootcLintSkip.length > 0 && bootcLint === 'off') {
    throw new Error(`bootcLintSkip: ${bootcLintSkip.join(', ')} would skip lints of a bootc container lint that does not run; set bootcLint to true (or "strict"), or remove bootcLintSkip.`);
  }

  return {
    projectName,
    projectRoot: roots.projectRoot,
    workspaceRoot: context.root,
    engine,
    spec,
    containerfile: spec.containerfile,
    containerfileContent: spec.content,
    context: spec.context,
    image,
    tagTemplates,
    buildArgs: spec.buildArgs,
    pinnedBases,
    labels,
    platforms,
    target: spec.target,
    pull,
    tlsVerify: options.tlsVerify ?? true,
    noCache: options.noCache ?? false,
    secrets: secretSpecs(options.secrets).map((s) => parseSecret(s, roots)),
    cacheFrom: options.cacheFrom ?? [],
    cacheTo: options.cacheTo ?? [],
    buildContexts,
    archive: options.archive ?? false,
    extraArgs: options.extraArgs ?? [],
    bootcLint,
    bootcLintSkip,
  };
}

/** The bootcLint option's values, as the schema has them, and what each means here. */
export const BOOTC_LINT_VALUES: ReadonlyArray<[BootcLintOption, BootcLintMode]> = [
  [false, 'off'],
  [true, 'on'],
  ['strict', 'strict'],
];

const BOOTC_LINT_NAME = /^[a-z0-9][a-z0-9-]*$/;

// The command line gives "true" and "false" as strings (nx run <project>:bootc-build --bootcLint=true).
function normalizeBootcLint(value: unknown): BootcLintMode {
  const option = value === 'true' ? true : value === 'false' ? false : (value ?? false);
  const found = BOOTC_LINT_VALUES.find(([known]) => known === option);
  if (!found) {
    const shown = typeof value === 'string' ? `"${value}"` : `${JSON.stringify(value)} (${value === null ? 'null' : typeof value})`;
    throw new Error(
      `bootcLint: expected false, true or "strict", got ${shown}. true runs \`bootc container lint\` in the built image and fails the build on its fatal lints; "strict" fails on its warnings too (--fatal-warnings).`,
    );
  }
  return found[1];
}

/** Parses `id=NAME,src=PATH`, `id=NAME,env=VAR` or `type=env,id=NAME,src=VAR`; the error never shows a secret's value, only where it comes from. */
export function parseSecret(spec: string, roots: PathRoots): BuildSecret {
  const fields = new Map(
    spec.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [eq === -1 ? part.trim() : part.slice(0, eq).trim(), eq === -1 ? '' : part.slice(eq + 1).trim()] as const;
    }),
  );
  const id = fields.get('id');
  const type = fields.get('type');
  // As in podman and docker: with type=env, src names the environment variable.
  const source = fields.get('src') ?? fields.get('source');
  const src = type === 'env' ? undefined : source;
  const env = type === 'env' ? (fields.get('env') ?? source) : fields.get('env');
  const unknown = [...fields.keys()].filter((k) => !['id', 'src', 'source', 'env', 'type'].includes(k));
  const badType = type !== undefined && type !== 'file' && type !== 'env';
  const oneSource = [fields.get('env'), source].filter((v) => v !== undefined).length === 1;
  if (!id || !ARG_NAME.test(id.replace(/[-.]/g, '_')) || unknown.length > 0 || badType || !oneSource) {
    throw new Error(`secrets: "${spec}" is not of the form id=NAME,src=PATH or id=NAME,env=VARIABLE (type=file or type=env optional).`);
  }
  if (env !== undefined) {
    if (process.env[env] === undefined) throw new Error(`secrets: the secret "${id}" reads the environment variable ${env}, which is not set.`);
    return { id, source: { env } };
  }
  const file = resolveWorkspacePath(src as string, roots, `secrets (${id})`);
  if (!existsSync(file)) {
    throw new Error(`secrets: the source file of secret "${id}" (${workspaceRelative(file, roots.workspaceRoot)}) does not exist. Create it or fix src=.`);
  }
  return { id, source: { file } };
}

function assertFolder(path: string, option: string, workspaceRoot: string) {
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new Error(`${option}: the folder ${workspaceRelative(path, workspaceRoot)} does not exist. Paths are relative to the workspace root; {projectRoot} and {workspaceRoot} are accepted.`);
  }
}

function nonEmpty(list: readonly string[] | undefined): string[] | undefined {
  const items = splitList(list);
  return items.length > 0 ? items : undefined;
}
