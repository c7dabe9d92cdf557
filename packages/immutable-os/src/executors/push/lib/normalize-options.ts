import { existsSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { ENGINE_NAMES, type EnginePreference } from '../../../utils/engine';
import { registryCredentials, type RegistryCredentials } from '../../../utils/registry-credentials';
import { resolveWorkspacePath } from '../../../utils/workspace-path';
import type { PushExecutorSchema } from '../schema';

export type { RegistryCredentials };

export interface NormalizedPushOptions {
  projectName: string;
  engine: EnginePreference;
  tlsVerify: boolean;
  retries: number;
  credentials?: RegistryCredentials;
  signBySigstoreKey?: string;
  signBy?: string;
  extraArgs: string[];
}


/** Checks every option before anything runs. Error messages name environment variables, never their values. */
export function normalizeOptions(options: PushExecutorSchema, context: ExecutorContext, env: NodeJS.ProcessEnv = process.env): NormalizedPushOptions {
  const projectName = context.projectName;
  if (!projectName) throw new Error('bootc-push must run for a project (nx run <project>:bootc-push).');
  const project = context.projectsConfigurations.projects[projectName];

  const engine = options.engine ?? 'auto';
  if (engine !== 'auto' && !ENGINE_NAMES.includes(engine)) throw new Error(`engine: "${engine}" is not an engine; use auto, ${ENGINE_NAMES.join(', ')}.`);

  const retries = options.retries ?? 3;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new Error(`Expected \`retries\` to be a non-negative integer, got \`${String(retries)}\` (${typeof retries}).`);
  }

  const credentials = registryCredentials(options, 'bootc-push', env);

  let signBySigstoreKey: string | undefined;
  if (options.signBySigstoreKey) {
    signBySigstoreKey = resolveWorkspacePath(options.signBySigstoreKey, { workspaceRoot: context.root, projectRoot: project.root }, 'signBySigstoreKey');
    if (!existsSync(signBySigstoreKey)) throw new Error(`signBySigstoreKey: the key file ${options.signBySigstoreKey} does not exist.`);
  }
  if (signBySigstoreKey && options.signBy) throw new Error('signBySigstoreKey and signBy are alternatives: sign with sigstore or with GPG, not both.');

  return {
    projectName,
    engine,
    tlsVerify: options.tlsVerify ?? true,
    retries,
    credentials,
    signBySigstoreKey,
    signBy: options.signBy || undefined,
    extraArgs: options.extraArgs ?? [],
  };
}
