import type { ReleaseSchema } from '../promote/lib/normalize-options';

/** Options of the immutable-os:rollback executor (the inferred bootc-rollback target); see schema.json: the channel to move back (e.g. stable), the release log, registry access and signing. */
export type RollbackExecutorSchema = ReleaseSchema & { channel: string };
