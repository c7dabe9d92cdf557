// Variables the outer run (npx, nx's task runner, jest, a git hook) sets that must not leak into the
// programs the e2e drives: npm_config_registry would override the workspace's .npmrc, NX_TASK_* and
// NX_WORKSPACE_ROOT_PATH would point nx at this repository, GIT_DIR at the wrong repository.
const LEAKING = /^(?:NX_|npm_|GIT_|JEST_|TS_NODE_)/i;

/** The current environment less what the outer run set for itself, plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!LEAKING.test(key) && key !== 'NODE_ENV') env[key] = value;
  }
  return { ...env, ...extra };
}
