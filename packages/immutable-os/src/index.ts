import { createDependencies } from './plugins/create-dependencies';
import { createNodes } from './plugins/create-nodes';

// Nx 23 and 24 read `createNodes` (the v2 signature); neither needs the old `createNodesV2` name.
export { createDependencies, createNodes };
export type { ImmutableOsPluginOptions } from './plugins/target-names';
