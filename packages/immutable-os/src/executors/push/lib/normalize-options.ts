import { existsSync } from 'node:fs';
import type { ExecutorContext } from '@nx/devkit';
import { ENGINE_NAMES, type EnginePreference } from '../../../utils/engine';
import { resolveWorkspacePath } from '../../../utils/workspace-path';
import type { PushExecutorSchema } from '../schema';

export interface RegistryCredentials {
  username: string;
  /** Never logged, never on a command line: it goes to the engine's standard input. */
  password: string;
}

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

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONVENTIONAL_ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

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

  if (Boolean(options.usernameEnv) !== Boolean(options.passwordEnv)) {
    throw new Error('usernameEnv and passwordEnv go together: set both (the names of the environment variables holding the user and the password), or neither to use an existing login.');
  }
  let credentials: RegistryCredentials | undefined;
  if (options.usernameEnv && options.passwordEnv) {
    for (const [option, name] of [['usernameEnv', options.usernameEnv], ['passwordEnv', options.passwordEnv]] as const) {
      // Someone may have put the credential itself here: the value is shown only when it looks like a variable name.
      const hidden = !CONVENTIONAL_ENV_NAME.test(name);
      const note = hidden ? ' (The value is not shown: it may be the credential itself.)' : '';
      if (!ENV_NAME.test(name)) {
        throw new Error(
          `${option}: ${hidden ? 'the value' : `"${name}"`} is not an environment variable name (letters, digits and "_"); give the variable's name, e.g. REGISTRY_PASSWORD, not its value.${note}`,
        );
      }
      if (!env[name]) {
        throw new Error(`${option}: the environment variable ${hidden ? 'it names' : name} is not set or empty. Export it before running bootc-push, or fix the name.${note}`);
      }
    }
    credentials = { username: env[options.usernameEnv] as string, password: env[options.passwordEnv] as string };
  }

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
