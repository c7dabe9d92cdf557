import type { TargetNames } from '../../../plugins/target-names';
import type { ImageType } from '../../../builder/image-types';

/** The environment variables the pipeline puts the registry credentials in; bootc-push reads them by name. */
export const REGISTRY_USER_ENV = 'REGISTRY_USER';
export const REGISTRY_PASSWORD_ENV = 'REGISTRY_PASSWORD';

/** Shell words (they may hold variables) naming the files the pipeline writes the signing secrets to. */
export interface SigningFiles {
  key: string;
  passphrase: string;
}

export interface AffectedCommands {
  /** Every push and pull request. */
  check: string;
  /** The main branch: push, then convert. */
  push: string;
  convert: string;
  /** The main branch, after convert: boot the converted disks. */
  test: string;
}

/**
 * The nx affected commands of the pipeline. Push and convert run as two commands because an
 * option given to nx affected goes to every target it runs, and each executor refuses the other's.
 * Convert runs without its build dependencies (the check command built them, in the same job) and
 * without the Nx cache, so the disks never go into the CI cache. The boot test runs after it the
 * same way: its cache key names the disks through bootc-convert's outputs, which a run without the
 * dependency cannot read, and each run's disks are new anyway.
 */
export function affectedCommands(exec: string, targets: TargetNames, options: { formats: readonly ImageType[]; signing?: SigningFiles; project?: string }): AffectedCommands {
  // A fan-out job runs the same commands for its one project (a shell word, e.g. "$PROJECT").
  const affected = options.project ? `${exec} nx run-many -p ${options.project} -t` : `${exec} nx affected -t`;
  const push = [`${affected} ${targets.pushTargetName}`, `--usernameEnv=${REGISTRY_USER_ENV}`, `--passwordEnv=${REGISTRY_PASSWORD_ENV}`];
  if (options.signing) {
    push.push(`--signBySigstoreKey="${options.signing.key}"`, `--extraArgs=--sign-passphrase-file="${options.signing.passphrase}"`);
  }
  const convert = [`${affected} ${targets.convertTargetName}`, '--excludeTaskDependencies', '--skip-nx-cache'];
  if (options.formats.length > 0) convert.push(`--types=${options.formats.join(',')}`);
  return {
    check: `${affected} ${targets.lintTargetName} ${targets.buildTargetName}`,
    push: push.join(' '),
    convert: convert.join(' '),
    test: `${affected} ${targets.testTargetName} --excludeTaskDependencies --skip-nx-cache`,
  };
}
