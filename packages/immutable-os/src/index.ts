import type { PostTasksExecution } from '@nx/devkit';
import { createDependencies } from './plugins/create-dependencies';
import { createNodes } from './plugins/create-nodes';
import type { ImmutableOsPluginOptions } from './plugins/target-names';

/** Checks the images of a run's bootc-build tasks (plugins/post-tasks-execution.ts), loaded when a run ends: graph-only commands never pay for it. */
const postTasksExecution: PostTasksExecution<ImmutableOsPluginOptions> = (options, context) =>
  (require('./plugins/post-tasks-execution') as typeof import('./plugins/post-tasks-execution')).postTasksExecution(options, context);

// Nx 23 and 24 read `createNodes` (the v2 signature); neither needs the old `createNodesV2` name.
export { createDependencies, createNodes, postTasksExecution };
export type { ImmutableOsPluginOptions };
