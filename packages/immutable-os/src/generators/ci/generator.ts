import { formatFiles, generateFiles, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { initGenerator } from '../init/generator';
import { normalizeOptions } from './lib/normalize-options';
import { affectedCommands, REGISTRY_PASSWORD_ENV, REGISTRY_USER_ENV } from './lib/nx-commands';
import type { CiGeneratorSchema } from './schema';

// Where each provider's pipeline writes the signing secrets: a runner's temp folder, a folder made in the GitLab job.
const SIGNING_FILES = {
  github: { key: '$RUNNER_TEMP/sigstore.key', passphrase: '$RUNNER_TEMP/sigstore.pass' },
  gitlab: { key: '$SIGN_DIR/sigstore.key', passphrase: '$SIGN_DIR/sigstore.pass' },
} as const;

/** Writes the CI pipeline of the OS images; every option is checked before anything is written. */
export async function ciGenerator(tree: Tree, schema: CiGeneratorSchema) {
  const options = normalizeOptions(tree, schema);
  await initGenerator(tree, { skipFormat: true });
  const signing = options.sign ? SIGNING_FILES[options.provider] : undefined;
  const commands = affectedCommands(options.packageManager.exec, options.targets, { formats: options.formats, signing });
  const waveCommands = affectedCommands(options.packageManager.exec, options.targets, { formats: options.formats, signing, project: '"$PROJECT"' });
  // The plan job's command: GitHub step outputs for its wave jobs, or GitLab's child pipeline.
  const plan = (runner: string[], output: string) =>
    [
      `${options.packageManager.exec} immutable-os ci-plan --base="$NX_BASE" --head="$NX_HEAD"`,
      ...(runner.length > 0 ? [`--default-runner=${runner.join(',')}`] : []),
      ...(options.targets.buildTargetName === 'bootc-build' ? [] : [`--target=${options.targets.buildTargetName}`]),
      output,
    ].join(' ');
  const planCommand = plan(options.runner.length > 0 ? options.runner : ['ubuntu-24.04'], `--github-output --wave-jobs=${options.waves}`);
  const gitlabPlanCommand = plan(options.runner, '--gitlab-child=os-images-child.yml');
  generateFiles(tree, join(__dirname, 'files', options.provider), '.', {
    ...options,
    optionsLine: `${OPTIONS_MARKER} ${JSON.stringify(recordedOptions(schema))}`,
    commands,
    waveCommands,
    planCommand,
    gitlabPlanCommand,
    signing,
    pm: options.packageManager,
    userEnv: REGISTRY_USER_ENV,
    passwordEnv: REGISTRY_PASSWORD_ENV,
    dot: '.',
    template: '',
  });
  registerSyncGenerator(tree);
  if (!schema.skipFormat) await formatFiles(tree);
}

/** The line a written pipeline records its generator options on, for the sync generator (ci-sync) to write it again. */
export const OPTIONS_MARKER = '# immutable-os:ci options:';

// The options as given (the choices to keep, skipFormat too: it changes what is written), without --force.
export function recordedOptions(schema: CiGeneratorSchema): Partial<CiGeneratorSchema> {
  const { force: _force, ...kept } = schema;
  return Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined)) as Partial<CiGeneratorSchema>;
}

// nx sync and nx sync:check run immutable-os:ci-sync, which keeps the pipeline what this generator writes now.
const SYNC_GENERATOR = 'immutable-os:ci-sync';
function registerSyncGenerator(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const globals = nxJson.sync?.globalGenerators ?? [];
  if (globals.includes(SYNC_GENERATOR)) return;
  updateNxJson(tree, { ...nxJson, sync: { ...nxJson.sync, globalGenerators: [...globals, SYNC_GENERATOR] } });
}

export default ciGenerator;
