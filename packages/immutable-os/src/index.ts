import { createDependencies } from './plugins/create-dependencies';
import { createNodes } from './plugins/create-nodes';

export { createDependencies, createNodes };
/** The same as createNodes, for Nx versions that look for the V2 name. */
export const createNodesV2 = createNodes;
export type { ImmutableOsPluginOptions } from './plugins/target-names';
