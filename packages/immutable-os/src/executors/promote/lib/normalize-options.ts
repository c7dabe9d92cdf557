import { existsSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { isValidTag } from '../../../utils/image-ref';
import { registryCredentials, type RegistryCredentials } from '../../../utils/registry-credentials';
import { resolveWorkspacePath, workspaceRelative } from '../../../utils/workspace-path';

/** The options bootc-promote and bootc-rollback share (schema.json of each). */
export interface ReleaseSchema {
  /** The tag to move, e.g. stable. */
  channel?: string;
  /** Default: releases/{projectName}.jsonl. */
  releaseLog?: string;
  tlsVerify?: boolean;
  usernameEnv?: string;
  passwordEnv?: string;
  signBy?: string;
  signBySigstoreKey?: string;
}

export interface NormalizedReleaseOptions {
  projectName: string;
  workspaceRoot: string;
  channel: string;
  releaseLog: { path: string; shown: string };
  tlsVerify: boolean;
  credentials?: RegistryCredentials;
  signBy?: string;
  signBySigstoreKey?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Checks the shared options before anything reaches the registry; errors name the option and the fix. */
export function normalizeReleaseOptions(options: ReleaseSchema, context: ExecutorContext, target: string, env: NodeJS.ProcessEnv = process.env): NormalizedReleaseOptions {
  const projectName = context.projectName;
  if (!projectName) throw new Error(`${target} must run for a project (nx run <project>:${target} --channel=stable).`);
  const project = context.projectsConfigurations.projects[projectName];
  const channel = options.channel;
  if (channel === undefined || channel === '') throw new Error(`${target} needs the channel tag to move: --channel=stable (or gts, testing, ...).`);
  if (typeof channel !== 'string' || !isValidTag(channel)) {
    throw new Error(`channel: ${JSON.stringify(channel)} is not a valid tag (letters, digits, "_", "." and "-", at most 128, not starting with "." or "-").`);
  }
  if (DIGEST.test(`sha256:${channel}`) || /^sha256/.test(channel)) throw new Error(`channel: "${channel}" looks like a digest; the channel is the tag to move, e.g. stable.`);
  const roots = { workspaceRoot: context.root, projectRoot: project?.root ?? '.' };
  const logPath = resolveWorkspacePath((options.releaseLog ?? 'releases/{projectName}.jsonl').replace(/\{projectName\}/g, projectName), roots, 'releaseLog');
  let signBySigstoreKey: string | undefined;
  if (options.signBySigstoreKey) {
    signBySigstoreKey = resolveWorkspacePath(options.signBySigstoreKey, roots, 'signBySigstoreKey');
    if (!existsSync(signBySigstoreKey)) throw new Error(`signBySigstoreKey: the key file ${options.signBySigstoreKey} does not exist.`);
  }
  if (signBySigstoreKey && options.signBy) throw new Error('signBySigstoreKey and signBy are alternatives: sign with sigstore or with GPG, not both.');
  const credentials = registryCredentials(options, target, env);
  return {
    projectName,
    workspaceRoot: context.root,
    channel,
    releaseLog: { path: logPath, shown: workspaceRelative(logPath, context.root) },
    tlsVerify: options.tlsVerify ?? true,
    ...(credentials ? { credentials } : {}),
    ...(options.signBy ? { signBy: options.signBy } : {}),
    ...(signBySigstoreKey ? { signBySigstoreKey } : {}),
  };
}

/** A digest option (sha256:<64 hex>), or undefined when it is not given. */
export function digestOption(value: unknown, option: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !DIGEST.test(value)) throw new Error(`${option}: ${JSON.stringify(value)} is not a manifest digest (sha256: and 64 lowercase hex digits, as push.json and skopeo inspect show it).`);
  return value;
}
