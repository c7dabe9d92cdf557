/** Registry credentials read from the environment variables a target's options name. */
export interface RegistryCredentials {
  username: string;
  /** Never logged, never on a command line: it goes to the login command's standard input. */
  password: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONVENTIONAL_ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * The credentials `usernameEnv` and `passwordEnv` name, or undefined when neither is set (an
 * existing login is used). Error messages name the variables, never their values, and hide a
 * value that may be the credential itself.
 */
export function registryCredentials(options: { usernameEnv?: string; passwordEnv?: string }, target: string, env: NodeJS.ProcessEnv = process.env): RegistryCredentials | undefined {
  if (Boolean(options.usernameEnv) !== Boolean(options.passwordEnv)) {
    throw new Error('usernameEnv and passwordEnv go together: set both (the names of the environment variables holding the user and the password), or neither to use an existing login.');
  }
  if (!options.usernameEnv || !options.passwordEnv) return undefined;
  for (const [option, name] of [['usernameEnv', options.usernameEnv], ['passwordEnv', options.passwordEnv]] as const) {
    // Someone may have put the credential itself here: the value is shown only when it looks like a variable name.
    const hidden = !CONVENTIONAL_ENV_NAME.test(name);
    const note = hidden ? ' (The value is not shown: it may be the credential itself.)' : '';
    if (!ENV_NAME.test(name)) {
      throw new Error(`${option}: ${hidden ? 'the value' : `"${name}"`} is not an environment variable name (letters, digits and "_"); give the variable's name, e.g. REGISTRY_PASSWORD, not its value.${note}`);
    }
    if (!env[name]) {
      throw new Error(`${option}: the environment variable ${hidden ? 'it names' : name} is not set or empty. Export it before running ${target}, or fix the name.${note}`);
    }
  }
  return { username: env[options.usernameEnv] as string, password: env[options.passwordEnv] as string };
}
