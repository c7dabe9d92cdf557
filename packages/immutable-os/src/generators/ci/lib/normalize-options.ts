import { readNxJson, type Tree } from '@nx/devkit';
import { normalizeTargetNames, type ImmutableOsPluginOptions, type TargetNames } from '../../../plugins/target-names';
import { parseImageReference } from '../../../utils/image-ref';
import { assertImageTypes, type ImageType } from '../../../builder/image-types';
import { splitListOption } from '../../../utils/list-option';
import { PLUGIN_NAME } from '../../init/generator';
import type { CiGeneratorSchema } from '../schema';
import { detectPackageManager, type PackageManagerSetup } from './package-manager';
import { CI_PROVIDER_NAMES, CI_PROVIDERS, isCiProvider, type CiProvider } from './providers';

export interface NormalizedCiOptions {
  provider: CiProvider;
  /** The pipeline file, relative to the workspace root. */
  file: string;
  registry: string;
  branch: string;
  /** Empty: bootc-convert makes each project's own formats. */
  formats: ImageType[];
  /** Runner labels (GitHub) or tags (GitLab); empty: any runner. */
  runner: string[];
  sign: boolean;
  /** Boot-test the converted disks (bootc-test) and upload the reports. */
  bootTest: boolean;
  /** Push only after the boot tests passed. */
  pushAfterBootTest: boolean;
  /** Which Nx remote cache the jobs use: written only from the protected branch, read elsewhere. */
  remoteCache: RemoteCache;
  /** A plan job, then a job per affected project (GitHub: wave jobs with a matrix; GitLab: a child pipeline), instead of one job. */
  fanOut: boolean;
  /** How many wave jobs (the longest FROM chain the pipeline handles). */
  waves: number;
  /** GitHub-hosted runners: free disk space first. */
  buildSpace: boolean;
  packageManager: PackageManagerSetup;
  targets: TargetNames;
}

export const REMOTE_CACHES = ['self-hosted', 'nx-cloud', 'none'] as const;
export type RemoteCache = (typeof REMOTE_CACHES)[number];

// Git's ref rules (git check-ref-format), narrowed to characters that need no quoting in YAML or a shell.
const BRANCH = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const VARIABLE = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/;
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** Validates every option, and that the pipeline file may be written, before anything is written. */
export function normalizeOptions(tree: Tree, options: CiGeneratorSchema): NormalizedCiOptions {
  const provider = normalizeProvider(options.provider);
  const { file, defaultRegistry, defaultRunner } = CI_PROVIDERS[provider];
  if (tree.exists(file) && !options.force) {
    throw new Error(`${file} already exists. Pass --force to replace it with the generated pipeline (its current content is lost), or move it aside first.`);
  }
  const bootTest = normalizeBoolean(options.bootTest, 'bootTest', true);
  const pushAfterBootTest = normalizeBoolean(options.pushAfterBootTest, 'pushAfterBootTest', false);
  if (pushAfterBootTest && !bootTest) {
    throw new Error('--pushAfterBootTest holds the pushes back until the boot tests pass, but --bootTest=false leaves the boot tests out: drop one of them.');
  }
  const remoteCache = options.remoteCache ?? 'self-hosted';
  if (!(REMOTE_CACHES as readonly string[]).includes(remoteCache)) {
    throw new Error(`--remoteCache ${JSON.stringify(remoteCache)} is not one of ${REMOTE_CACHES.join(', ')}: self-hosted (a server with Nx's remote cache API, NX_CACHE_SERVER), nx-cloud, or none.`);
  }
  const fanOut = normalizeBoolean(options.fanOut, 'fanOut', false);
  const waves = options.waves ?? 4;
  if (!Number.isInteger(waves) || waves < 1 || waves > 20) throw new Error(`--waves must be a whole number from 1 to 20 (the longest chain of images built FROM each other the pipeline handles); got ${JSON.stringify(options.waves)}.`);
  return {
    provider,
    file,
    registry: normalizeRegistry(options.registry?.trim() || defaultRegistry, provider),
    branch: normalizeBranch(options.branch?.trim() || 'main'),
    formats: assertImageTypes(splitListOption(options.formats), '--formats'),
    runner: normalizeRunner(options.runner, [...defaultRunner], provider),
    sign: options.sign ?? false,
    bootTest,
    pushAfterBootTest,
    remoteCache,
    fanOut,
    waves,
    buildSpace: normalizeBoolean(options.buildSpace, 'buildSpace', true),
    packageManager: detectPackageManager(tree),
    targets: pluginTargetNames(tree),
  };
}

function normalizeBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new Error(`--${name} must be true or false; got ${JSON.stringify(value)}.`);
}

function normalizeProvider(provider: unknown): CiProvider {
  if (isCiProvider(provider)) return provider;
  const choices = CI_PROVIDER_NAMES.map((name) => `${name} (${CI_PROVIDERS[name].label})`).join(' or ');
  throw new Error(`--provider ${JSON.stringify(provider ?? '')} is not a CI service this generator knows: use ${choices}, e.g. nx g immutable-os:ci --provider=github.`);
}

function normalizeRegistry(registry: string, provider: CiProvider): string {
  if (CI_PROVIDERS[provider].registryVariables && VARIABLE.test(registry)) return registry;
  // A host is what the reference grammar accepts as the domain of `<host>/<repository>`.
  const parsed = parseImageReference(`${registry}/repository`);
  if ('error' in parsed || parsed.domain !== registry) {
    const variables = CI_PROVIDERS[provider].registryVariables ? ', or a CI variable such as $CI_REGISTRY' : '';
    throw new Error(
      `--registry "${registry}" is not a registry host: give the host the pipeline logs in to, with an optional port and without a scheme or path, e.g. ghcr.io or registry.example.com:5000${variables}.`,
    );
  }
  return registry;
}

function normalizeBranch(branch: string): string {
  if (!BRANCH.test(branch) || branch.includes('..') || /\.lock(?:\/|$)|\.$/.test(branch)) {
    throw new Error(
      `--branch "${branch}" is not a branch name the pipeline can use: letters, digits, ".", "_" and "-", with "/" between parts, no "..", not ending in "." or ".lock" (e.g. main or release/2.x).`,
    );
  }
  return branch;
}

function normalizeRunner(runner: string | undefined, fallback: string[], provider: CiProvider): string[] {
  const labels = splitListOption(runner);
  const invalid = labels.filter((label) => !LABEL.test(label));
  if (invalid.length > 0) {
    const what = provider === 'github' ? 'runner label' : 'runner tag';
    throw new Error(
      `--runner: ${invalid.map((l) => `"${l}"`).join(', ')} ${invalid.length === 1 ? `is not a ${what}` : `are not ${what}s`}: use letters, digits, ".", "_" and "-", several separated by commas (e.g. ${provider === 'github' ? 'ubuntu-24.04 or self-hosted,linux,x64' : 'podman or privileged,x86_64'}).`,
    );
  }
  return labels.length > 0 ? labels : fallback;
}

// The inferred targets' names, as the plugin's registration in nx.json sets them (the defaults when it is not registered yet).
/** The target names the plugin's options in nx.json give, checked to be runnable from a pipeline. */
export function pluginTargetNames(tree: Tree): TargetNames {
  const entry = readNxJson(tree)?.plugins?.find((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  const options = typeof entry === 'object' ? (entry.options as ImmutableOsPluginOptions | undefined) : undefined;
  const targets = normalizeTargetNames(options);
  for (const [option, name] of Object.entries(targets)) {
    if (!TARGET_NAME.test(name)) {
      throw new Error(`nx.json: the immutable-os plugin option ${option} is "${name}", which the pipeline cannot run as a target: use letters, digits, "_", ".", ":" and "-".`);
    }
  }
  return targets;
}
