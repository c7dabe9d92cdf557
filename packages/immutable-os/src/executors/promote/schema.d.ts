import type { ReleaseSchema } from './lib/normalize-options';

/** Options of the immutable-os:promote executor (the inferred bootc-promote target); see schema.json. */
export interface PromoteExecutorSchema extends ReleaseSchema {
  /** The tag to move, e.g. stable. */
  channel: string;
  /** The digest to promote; it must be push.json's. Default: push.json's. */
  digest?: string;
  /** Default: true. */
  requireBootTest?: boolean;
  /** Default: dist/tests/{projectName}/result.json. */
  testReport?: string;
  /** Default: bootc-build (named in messages). */
  buildTarget?: string;
}
