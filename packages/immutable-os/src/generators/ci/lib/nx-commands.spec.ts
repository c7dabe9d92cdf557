import { DEFAULT_TARGET_NAMES } from '../../../plugins/target-names';
import { affectedCommands } from './nx-commands';

describe('affectedCommands', () => {
  const signing = { key: '$RUNNER_TEMP/sigstore.key', passphrase: '$RUNNER_TEMP/sigstore.pass' };

  test.each([
    [
      'defaults',
      'npx',
      DEFAULT_TARGET_NAMES,
      { formats: [] },
      {
        check: 'npx nx affected -t bootc-lint bootc-build',
        push: 'npx nx affected -t bootc-push --usernameEnv=REGISTRY_USER --passwordEnv=REGISTRY_PASSWORD',
        convert: 'npx nx affected -t bootc-convert --excludeTaskDependencies --skip-nx-cache',
        test: 'npx nx affected -t bootc-test --excludeTaskDependencies --skip-nx-cache',
      },
    ],
    [
      'signing and formats',
      'pnpm exec',
      DEFAULT_TARGET_NAMES,
      { formats: ['qcow2', 'anaconda-iso'] as const, signing },
      {
        check: 'pnpm exec nx affected -t bootc-lint bootc-build',
        push:
          'pnpm exec nx affected -t bootc-push --usernameEnv=REGISTRY_USER --passwordEnv=REGISTRY_PASSWORD' +
          ' --signBySigstoreKey="$RUNNER_TEMP/sigstore.key" --extraArgs=--sign-passphrase-file="$RUNNER_TEMP/sigstore.pass"',
        convert: 'pnpm exec nx affected -t bootc-convert --excludeTaskDependencies --skip-nx-cache --types=qcow2,anaconda-iso',
        test: 'pnpm exec nx affected -t bootc-test --excludeTaskDependencies --skip-nx-cache',
      },
    ],
    [
      'renamed targets',
      'yarn',
      { lintTargetName: 'os-lint', buildTargetName: 'os-build', pushTargetName: 'os-push', convertTargetName: 'disk', testTargetName: 'boot', promoteTargetName: 'release', rollbackTargetName: 'unrelease' },
      { formats: ['raw'] as const },
      {
        check: 'yarn nx affected -t os-lint os-build',
        push: 'yarn nx affected -t os-push --usernameEnv=REGISTRY_USER --passwordEnv=REGISTRY_PASSWORD',
        convert: 'yarn nx affected -t disk --excludeTaskDependencies --skip-nx-cache --types=raw',
        test: 'yarn nx affected -t boot --excludeTaskDependencies --skip-nx-cache',
      },
    ],
  ])('%s', (_case, exec, targets, options, expected) => {
    expect(affectedCommands(exec, targets, options)).toEqual(expected);
  });
});
