import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
// Types only: loading @nx/devkit at run time costs the graph about 100 ms per run (see BENCHMARKS.md).
import type { CreateNodes, CreateNodesContext, CreateNodesResult, TargetConfiguration } from '@nx/devkit';
import { CONTAINERFILE_NAMES } from '../image/build-spec';
import { DEFAULT_PINS_FILE, pinnedBases, readPins, type Pin } from '../image/pins';
import { resolveWorkspacePath, workspaceRelative } from '../utils/workspace-path';
import type { VariantCell } from '../image/variant-matrix';
import { variantRoot, type VariantOrigin } from '../image/variants';
import { METADATA_KEY } from '../utils/image-project';
import { isPreprocessed, type PreprocessedContainerfile } from '../utils/preprocess';
import { buildOptions, builderInputs, configInputs, findProjectJson, includeInputs, sharedBuildInputs, type ProjectJsonTargets } from './build-inputs';
import { ContainerfileCache, fileSha256, includesUnchanged } from './containerfile-cache';
import { readImageUses, workspaceDataDirectory } from './create-dependencies';
import { normalizeTargetNames, type ImmutableOsPluginOptions, type TargetNames } from './target-names';

export const CONTAINERFILE_GLOB = `**/{${CONTAINERFILE_NAMES.join(',')}}`;
/** Where createNodes keeps the files each Containerfile.in includes (keyed by its content and cpp options). */
export const INCLUDES_CACHE_FILE = 'immutable-os-includes.json';
export const TARGET_GROUP = 'bootc';
const LINT_PROJECTS_INPUT = '{workspaceRoot}/**/project.json';
const IMAGE_OUTPUT = '{workspaceRoot}/dist/images/{projectName}';

/** Infers the bootc targets on every project that has a Containerfile (or Containerfile.in; a Dockerfile where project.json has metadata["immutable-os"]) at its root. */
export const createNodes: CreateNodes<ImmutableOsPluginOptions> = [
  CONTAINERFILE_GLOB,
  (files, options, context) => {
    const names = normalizeTargetNames(options);
    // What createNodesFromFiles does (one failing file does not hide the others' projects), without loading @nx/devkit.
    const results: Array<[file: string, value: CreateNodesResult]> = [];
    const errors: Array<[file: string, error: Error]> = [];
    const pinsFile = options?.pins ?? DEFAULT_PINS_FILE;
    let pins: Pin[] | undefined;
    try {
      pins = readPins(context.workspaceRoot, pinsFile);
    } catch (error) {
      errors.push([pinsFile, error as Error]);
    }
    const cache = files.some(isPreprocessed) || pins ? new ContainerfileCache(join(workspaceDataDirectory(), INCLUDES_CACHE_FILE)) : undefined;
    const facts: FactsContext = { context, names, cache, pins, pinsFile, cppRuns: new Map() };
    for (const file of files) {
      try {
        results.push([file, createImageProject(file, facts)]);
      } catch (error) {
        errors.push([file, error as Error]);
      }
    }
    cache?.save();
    if (errors.length > 0) {
      const { AggregateCreateNodesError } = require('@nx/devkit') as typeof import('@nx/devkit');
      throw new AggregateCreateNodesError(errors, results);
    }
    return results;
  },
];

/** What every project of one createNodes call shares: the cache of Containerfile facts, the lock file's pins. */
interface FactsContext {
  context: CreateNodesContext;
  names: TargetNames;
  cache: ContainerfileCache | undefined;
  pins: Pin[] | undefined;
  pinsFile: string;
  /** cpp's results in this call: a family's variants share one run per cpp flag set. */
  cppRuns: Map<string, PreprocessedContainerfile>;
}

function createImageProject(containerfile: string, facts: FactsContext): CreateNodesResult {
  const { context, names } = facts;
  const root = dirname(containerfile);
  const segments = root.split('/');
  if (segments.includes('node_modules') || segments.includes('dist')) return {};
  // One project a folder: the first of CONTAINERFILE_NAMES there makes it (bootc-build builds that one).
  const name = basename(containerfile);
  const earlier = CONTAINERFILE_NAMES.slice(0, CONTAINERFILE_NAMES.indexOf(name as (typeof CONTAINERFILE_NAMES)[number]));
  if (earlier.some((other) => existsSync(join(context.workspaceRoot, root, other)))) return {};
  // A Containerfile makes an image project only beside a project.json or package.json: a stray one
  // (a test fixture, an example) must not create a nameless project.
  const projectJson = findProjectJson(context.workspaceRoot, root) ?? (existsSync(join(context.workspaceRoot, root, 'package.json')) ? {} : undefined);
  if (projectJson === undefined) return {};
  // A Dockerfile is a bootc image only where project.json says so (metadata["immutable-os"]): other
  // projects' Dockerfiles (an app's container) get no bootc targets.
  if (name.startsWith('Dockerfile') && projectJson.metadata?.[METADATA_KEY] === undefined) return {};
  const matrix = (projectJson.metadata?.[METADATA_KEY] as { variants?: unknown } | undefined)?.variants;
  if (matrix !== undefined) return createVariantProjects(containerfile, root, matrix, projectJson, facts);
  const shared = sharedBuildInputs(context.workspaceRoot, root, names.buildTargetName, context.nxJsonConfiguration, projectJson);
  const found = containerfileFacts(containerfile, root, projectJson, facts);
  const included = includeInputs(found.includes, root);
  const config = configInputs(context.workspaceRoot, root, names.convertTargetName, context.nxJsonConfiguration, projectJson);
  const builder = builderInputs(context.workspaceRoot, root, names.convertTargetName, context.nxJsonConfiguration, projectJson);
  return {
    projects: {
      [root]: {
        targets: {
          [names.lintTargetName]: withPins(lintTarget(included), facts),
          [names.buildTargetName]: withPinnedBases(buildTarget(names, [...shared, ...included]), found.uses, facts),
          [names.pushTargetName]: pushTarget(names, usesReleaseVersion(projectJson, names)),
          [names.convertTargetName]: convertTarget(names, config, builder),
          [names.testTargetName]: testTarget(names),
          [names.promoteTargetName]: promoteTarget(names),
          [names.rollbackTargetName]: rollbackTarget(),
          'nx-release-publish': releasePublishTarget(names),
        },
        metadata: {
          technologies: ['bootc'],
          targetGroups: { [TARGET_GROUP]: targetList(names) },
        },
      },
    },
  };
}

/**
 * A family: one project per cell of the matrix (image/variant-matrix.ts), each with its own
 * targets, options (the cell's build args, cpp flags, stage, image, tags, formats, platforms),
 * outputs and inputs. A cell's root holds no files (image/variants.ts): its targets name the
 * declaring folder's files as inputs, all but project.json, whose matrix reaches each cell only as
 * its options (so a new axis value builds only the new cells), and an implicit dependency on the
 * declaring project makes a change there affect every cell. The declaring project gets no targets.
 */
function createVariantProjects(containerfile: string, root: string, matrix: unknown, projectJson: ProjectJsonTargets & { name?: unknown; tags?: unknown }, facts: FactsContext): CreateNodesResult {
  const { context, names } = facts;
  const file = root === '.' ? 'project.json' : `${root}/project.json`;
  const family = typeof projectJson.name === 'string' ? projectJson.name : basename(root === '.' ? context.workspaceRoot : root).toLowerCase();
  const ours = targetList(names);
  const own = Object.keys(projectJson.targets ?? {}).find((target) => ours.includes(target));
  if (own !== undefined) {
    throw new Error(`${file}: targets.${own}: a project with variants gets no ${own} of its own, each variant does; move its options to metadata["immutable-os"].variants.options["${own}"].`);
  }
  const outside = ['image', 'tags', 'formats'].find((key) => (projectJson.metadata?.[METADATA_KEY] as Record<string, unknown>)[key] !== undefined);
  if (outside !== undefined) {
    throw new Error(`${file}: metadata["immutable-os"].${outside}: a project with variants does not read it (each variant has its own); move it to metadata["immutable-os"].variants.${outside}, where {axis} tokens name each variant's values.`);
  }
  const { expandVariants } = require('../image/variant-matrix') as typeof import('../image/variant-matrix');
  const cells = expandVariants({ project: family, projectJson: file, matrix });
  for (const cell of cells) {
    const unknown = Object.keys(cell.options).find((target) => !ours.includes(target));
    if (unknown !== undefined) throw new Error(`${file}: metadata["immutable-os"].variants.options: "${unknown}" is not a target of a variant (${ours.join(', ')}).`);
  }
  const at = (path: string) => (root === '.' ? `{workspaceRoot}/${path}` : `{workspaceRoot}/${root}/${path}`);
  const familyTags = Array.isArray(projectJson.tags) ? projectJson.tags.filter((tag): tag is string => typeof tag === 'string') : [];
  // Fragments some cells include from the family's folder: each cell's folder input leaves out those it does not include.
  const planned = cells.map((cell) => {
    const options = cellOptions(cell, names);
    return { cell, options, found: containerfileFacts(containerfile, root, options.json, facts) };
  });
  const familyFragments = [...new Set(planned.flatMap(({ found }) => found.includes))].filter((file) => !includeInputs([file], root).length).sort();
  const projects: Record<string, CreateNodesResult['projects'] extends infer P ? (P extends Record<string, infer V> ? V : never) : never> = {};
  for (const { cell, options, found } of planned) {
    const { build: buildOptions, convert: convertOptions, json: cellJson } = options;
    const shared = sharedBuildInputs(context.workspaceRoot, root, names.buildTargetName, context.nxJsonConfiguration, cellJson);
    const own = found.includes;
    const included = includeInputs(own, root);
    const sourceInputs = [at('**/*'), `!${at('project.json')}`, ...familyFragments.filter((file) => !own.includes(file)).map((file) => `!{workspaceRoot}/${file}`)];
    const config = configInputs(context.workspaceRoot, root, names.convertTargetName, context.nxJsonConfiguration, cellJson).map((input) => input.replace('{projectRoot}', at('').slice(0, -1)));
    const builder = builderInputs(context.workspaceRoot, root, names.convertTargetName, context.nxJsonConfiguration, cellJson);
    const configExcludes = config.map((input) => `!${input}`);
    const withOptions = (target: TargetConfiguration, options: Record<string, unknown> | undefined): TargetConfiguration => (options && Object.keys(options).length > 0 ? { ...target, options } : target);
    const lint = lintTarget(included);
    const build = buildTarget(names, [...shared, ...included]);
    projects[variantRoot(root, cell.name)] = {
      name: cell.name,
      // The family's own tags (os-image, for nx release's tag:os-image) and where the variant sits in it.
      tags: [...familyTags, `family:${family}`, ...Object.entries(cell.values).map(([axis, value]) => `${axis}:${value}`)],
      implicitDependencies: [family],
      targets: {
        [names.lintTargetName]: withPins(withOptions({ ...lint, inputs: [...sourceInputs, ...projectFree(lint.inputs)] }, cell.options[names.lintTargetName]), facts),
        [names.buildTargetName]: withPinnedBases({ ...build, inputs: [...sourceInputs, ...configExcludes, ...projectFree(build.inputs)], options: buildOptions }, found.uses, facts),
        [names.pushTargetName]: withOptions(pushTarget(names, JSON.stringify(cell.tags ?? []).includes('{version}')), cell.options[names.pushTargetName]),
        [names.convertTargetName]: withOptions(convertTarget(names, config, builder), convertOptions),
        [names.testTargetName]: withOptions(testTarget(names), cell.options[names.testTargetName]),
        [names.promoteTargetName]: withOptions(promoteTarget(names), cell.options[names.promoteTargetName]),
        [names.rollbackTargetName]: withOptions(rollbackTarget(), cell.options[names.rollbackTargetName]),
        'nx-release-publish': releasePublishTarget(names),
      },
      metadata: {
        description: `Variant ${Object.entries(cell.values).map(([axis, value]) => `${axis}=${value}`).join(', ')} of ${family} (${file}).`,
        technologies: ['bootc'],
        targetGroups: { [TARGET_GROUP]: ours },
        [METADATA_KEY]: {
          image: cell.image,
          ...(cell.tags ? { tags: cell.tags } : {}),
          ...(cell.formats ? { formats: cell.formats } : {}),
          ...(cell.runner ? { ci: { runner: cell.runner } } : {}),
          variant: { family, sourceRoot: root, values: cell.values } satisfies VariantOrigin,
        },
      },
    };
  }
  return { projects };
}

// A cell's target options (and the same as a project.json's, which the input helpers read).
function cellOptions(cell: VariantCell, names: TargetNames): { build: Record<string, unknown>; convert: Record<string, unknown>; json: ProjectJsonTargets } {
  const build: Record<string, unknown> = {
    ...(cell.options[names.buildTargetName] ?? {}),
    image: cell.image,
    ...(Object.keys(cell.buildArgs).length > 0 ? { buildArgs: { ...(cell.options[names.buildTargetName]?.buildArgs as object | undefined), ...cell.buildArgs } } : {}),
    ...(cell.cppFlags.length > 0 ? { cppFlags: cell.cppFlags } : {}),
    ...(cell.target ? { target: cell.target } : {}),
    ...(cell.tags ? { tags: cell.tags } : {}),
    ...(cell.platforms ? { platform: cell.platforms } : {}),
  };
  const convert: Record<string, unknown> = { ...(cell.options[names.convertTargetName] ?? {}), ...(cell.formats ? { types: cell.formats } : {}) };
  return { build, convert, json: { targets: { [names.buildTargetName]: { options: build }, [names.convertTargetName]: { options: convert } } } };
}

// A cell's inputs without the ones naming its own files ({projectRoot}, default): Nx's
// hasher fails on a project that owns no files ("project <name> not found"), as a cell does.
function projectFree(inputs: TargetConfiguration['inputs']): NonNullable<TargetConfiguration['inputs']> {
  return (inputs ?? []).filter((input) => typeof input !== 'string' || !(input === 'default' || input.includes('{projectRoot}')));
}

/**
 * What createNodes needs of a project's Containerfile, read as bootc-build reads it (through the
 * resolver, with the project's build args and cpp flags): the files a Containerfile.in includes
 * (unless a containerfile option names another file) and, in a workspace that pins its bases, the
 * images its stages use. Cached by content and options while the included files keep their
 * content; a file that cannot be read or processed gives nothing (bootc-lint and bootc-build say why).
 */
function containerfileFacts(containerfile: string, root: string, projectJson: ProjectJsonTargets, facts: FactsContext): { includes: string[]; uses: string[] } {
  const { context, names, cache, pins } = facts;
  const none = { includes: [], uses: [] };
  const preprocessed = isPreprocessed(containerfile);
  if ((!preprocessed && !pins) || !cache) return none;
  const options = buildOptions(names.buildTargetName, context.nxJsonConfiguration, projectJson);
  const own = typeof options.containerfile === 'string' && options.containerfile !== '';
  if (own && !pins) return none;
  const roots = { workspaceRoot: context.workspaceRoot, projectRoot: root };
  let file = containerfile;
  try {
    if (own) file = workspaceRelative(resolveWorkspacePath(String(options.containerfile), roots, 'containerfile'), context.workspaceRoot);
  } catch {
    return none;
  }
  // The same reading as createDependencies', with the stage left out (every stage's FROMs count).
  const read = () => readImageUses(roots, file, { ...options, target: undefined }, facts.cppRuns);
  const args = options.buildArgs && typeof options.buildArgs === 'object' ? options.buildArgs : {};
  if (!preprocessed && Object.keys(args).length === 0) return { includes: [], uses: (read()?.uses ?? []).map((use) => use.ref) };
  const content = fileSha256(join(context.workspaceRoot, file));
  if (content === undefined) return none;
  // Build args decide the images a file uses, not what cpp makes of it: without pins (only includes wanted) they are no part of the key.
  const key = createHash('sha256').update(JSON.stringify([content, file, options.cppFlags ?? [], options.context ?? null, pins ? args : null])).digest('hex');
  const found = cache.entry(key, read, (entry) => includesUnchanged(context.workspaceRoot, entry.includes));
  if (!found) return none;
  return { includes: own ? [] : Object.keys(found.includes ?? {}).sort(), uses: found.uses.map((use) => use.ref) };
}

// bootc-build gets the digests the lock file pins for the images its Containerfile uses: an option, so Nx hashes exactly those pins.
function withPinnedBases(target: TargetConfiguration, uses: readonly string[], facts: FactsContext): TargetConfiguration {
  const pinned = facts.pins ? pinnedBases(facts.pins, uses) : {};
  return Object.keys(pinned).length === 0 ? target : { ...target, options: { ...(target.options ?? {}), pinnedBases: pinned } };
}

// In a workspace that pins, bootc-lint reads the lock file (to warn about external bases it does not pin).
function withPins(target: TargetConfiguration, facts: FactsContext): TargetConfiguration {
  if (!facts.pins) return target;
  return { ...target, inputs: [...(target.inputs ?? []), `{workspaceRoot}/${facts.pinsFile}`], options: { ...(target.options ?? {}), pins: facts.pinsFile } };
}

function lintTarget(includeInputs: string[]): TargetConfiguration {
  return {
    executor: 'immutable-os:lint',
    cache: true,
    // Whether a FROM names a workspace image depends on the other projects' configuration (their
    // project.json), not their files: so every project.json, rather than ^default (Nx's hasher fails
    // on ^default when a dependency owns no files, as a variant does). Files a Containerfile.in
    // includes from elsewhere are read too.
    inputs: ['default', LINT_PROJECTS_INPUT, ...includeInputs],
    options: {},
    metadata: {
      description: 'Checks the Containerfile, rootfs/ and config.toml against the bootc image rules (no engine needed).',
      technologies: ['bootc'],
    },
  };
}

function buildTarget(names: TargetNames, sharedInputs: string[]): TargetConfiguration {
  return {
    executor: 'immutable-os:build',
    cache: true,
    // A flavor builds on the exact image its base's build recorded, so the base builds first and its
    // image.json (with the image ID) is part of the flavor's hash.
    dependsOn: [`^${names.buildTargetName}`],
    // The builder config is bootc-convert's input, not the image's: editing it must not rebuild the image.
    inputs: ['default', '!{projectRoot}/config.toml', '!{projectRoot}/config.json', ...sharedInputs, { dependentTasksOutputFiles: '**/image.json' }],
    outputs: [`${IMAGE_OUTPUT}/image.json`, `${IMAGE_OUTPUT}/image.oci.tar`, `${IMAGE_OUTPUT}/lint.json`],
    options: {},
    metadata: {
      description: 'Builds the bootc image with podman (or docker, buildah) and records it in dist/images/<project>/image.json.',
      technologies: ['bootc'],
    },
  };
}

function pushTarget(names: TargetNames, releaseTags: boolean): TargetConfiguration {
  return {
    executor: 'immutable-os:push',
    cache: true,
    dependsOn: [names.buildTargetName],
    // Pushing is worth repeating only for a different image, or, with {version} tags, at a newly
    // released commit: the build's record (and then the commit's tags) are the inputs.
    inputs: [{ dependentTasksOutputFiles: '**/image.json' }, ...(releaseTags ? [{ runtime: 'git tag --points-at HEAD' }] : [])],
    outputs: [`${IMAGE_OUTPUT}/push.json`],
    options: {},
    metadata: {
      description: 'Pushes every tag of the built image to its registry and records the manifest digest in dist/images/<project>/push.json.',
      technologies: ['bootc'],
    },
  };
}

function convertTarget(names: TargetNames, configInputs: string[], builderInputs: Array<{ runtime: string }>): TargetConfiguration {
  return {
    executor: 'immutable-os:convert',
    cache: true,
    dependsOn: [names.buildTargetName],
    // The image (its record, with the image ID), the builder config and the builder image (its ID,
    // unless pinned by digest) decide the disks; options are hashed by Nx.
    inputs: [...configInputs, { dependentTasksOutputFiles: '**/image.json' }, ...builderInputs],
    outputs: ['{workspaceRoot}/dist/disks/{projectName}', '{options.outputPath}'],
    options: {},
    metadata: {
      description: 'Converts the built image into bootable disks or installers (qcow2, raw, ami, vmdk, vhd, gce, ova, pxe-tar-xz, ISOs) with bootc-image-builder or image-builder, into dist/disks/<project>.',
      technologies: ['bootc'],
    },
  };
}

function testTarget(names: TargetNames): TargetConfiguration {
  return {
    executor: 'immutable-os:test',
    cache: true,
    dependsOn: [names.convertTargetName],
    // The disks as bootc-convert recorded them (each with its sha256) decide the boot; options are hashed by Nx.
    inputs: [{ dependentTasksOutputFiles: '**/artifacts.json' }],
    outputs: ['{workspaceRoot}/dist/tests/{projectName}', '{options.outputPath}'],
    options: {},
    metadata: {
      description: 'Boots the converted disk in a qemu VM (KVM when it works, else TCG) and checks its console; reports in dist/tests/<project> (console.log, result.json, junit.xml).',
      technologies: ['bootc'],
    },
  };
}

// The inferred targets, in pipeline order.
function targetList(names: TargetNames): string[] {
  return [names.lintTargetName, names.buildTargetName, names.pushTargetName, names.convertTargetName, names.testTargetName, names.promoteTargetName, names.rollbackTargetName];
}

// Release targets act on the registry and the release log: never cached, no dependencies (they
// move a tag to what was already built, pushed and tested; they never rebuild).
function promoteTarget(names: TargetNames): TargetConfiguration {
  return {
    executor: 'immutable-os:promote',
    cache: false,
    options: { buildTarget: names.buildTargetName, testReport: 'dist/tests/{projectName}/result.json' },
    metadata: {
      description: 'Moves a channel tag (--channel=stable) to the digest built, pushed and boot-tested here, by digest with skopeo; logs the move in releases/<project>.jsonl.',
      technologies: ['bootc'],
    },
  };
}

function rollbackTarget(): TargetConfiguration {
  return {
    executor: 'immutable-os:rollback',
    cache: false,
    options: {},
    metadata: {
      description: 'Moves a channel tag (--channel=stable) back to the digest it named before its latest promotion, from releases/<project>.jsonl.',
      technologies: ['bootc'],
    },
  };
}

function releasePublishTarget(names: TargetNames): TargetConfiguration {
  return {
    executor: 'immutable-os:release-publish',
    dependsOn: [names.buildTargetName],
    options: {},
    metadata: {
      description: 'Pushes the built image under its release version (run by nx release publish).',
      technologies: ['bootc'],
    },
  };
}

// Whether the project's tags (metadata or bootc-build options in project.json) name {version}.
function usesReleaseVersion(projectJson: ProjectJsonTargets & { metadata?: Record<string, unknown> }, names: TargetNames): boolean {
  const metadataTags = (projectJson.metadata?.['immutable-os'] as { tags?: unknown } | undefined)?.tags;
  const optionTags = (projectJson.targets?.[names.buildTargetName]?.options as { tags?: unknown } | undefined)?.tags;
  return JSON.stringify([metadataTags, optionTags]).includes('{version}');
}
