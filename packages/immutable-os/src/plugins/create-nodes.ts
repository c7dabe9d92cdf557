import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createNodesFromFiles, type CreateNodes, type CreateNodesResult, type TargetConfiguration } from '@nx/devkit';
import { CONTAINERFILE } from '../utils/image-project';
import { normalizeTargetNames, type ImmutableOsPluginOptions, type TargetNames } from './target-names';

export const CONTAINERFILE_GLOB = `**/${CONTAINERFILE}`;
export const TARGET_GROUP = 'bootc';

/** Infers the bootc targets on every project that has a Containerfile at its root. */
export const createNodes: CreateNodes<ImmutableOsPluginOptions> = [
  CONTAINERFILE_GLOB,
  (files, options, context) => {
    const names = normalizeTargetNames(options);
    return createNodesFromFiles((file) => createImageProject(file, names, context.workspaceRoot), files, options, context);
  },
];

function createImageProject(containerfile: string, names: TargetNames, workspaceRoot: string): CreateNodesResult {
  const root = dirname(containerfile);
  const segments = root.split('/');
  if (segments.includes('node_modules') || segments.includes('dist')) return {};
  // A Containerfile makes an image project only beside a project.json or package.json: a stray one
  // (a test fixture, an example) must not create a nameless project.
  const absRoot = join(workspaceRoot, root);
  if (!existsSync(join(absRoot, 'project.json')) && !existsSync(join(absRoot, 'package.json'))) return {};

  return {
    projects: {
      [root]: {
        targets: { [names.lintTargetName]: lintTarget() },
        metadata: {
          technologies: ['bootc'],
          targetGroups: { [TARGET_GROUP]: [names.lintTargetName] },
        },
      },
    },
  };
}

function lintTarget(): TargetConfiguration {
  return {
    executor: 'immutable-os:lint',
    cache: true,
    // The base images' projects count too: whether a FROM names a bootc image depends on them.
    inputs: ['default', '^default'],
    options: {},
    metadata: {
      description: 'Checks the Containerfile, rootfs/ and config.toml against the bootc image rules (no engine needed).',
      technologies: ['bootc'],
    },
  };
}
