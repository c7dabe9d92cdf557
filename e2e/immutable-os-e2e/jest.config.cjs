/**
 * End-to-end tests: the built plugin is published to a throwaway verdaccio, installed once in a
 * template Nx workspace that each spec file copies (src/setup/workspace.ts), and driven through the
 * real nx CLI, npm, git, podman and a local registry (see src/setup/global-setup.ts).
 */
module.exports = {
  displayName: 'immutable-os-e2e',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/src/setup/global-setup.ts',
  globalTeardown: '<rootDir>/src/setup/global-teardown.ts',
  // Each spec file has its own workspace (copied from the template) whose steps build on each
  // other in order; one file at a time, since the builds share podman and this machine's 2 cores.
  maxWorkers: 1,
  // Each step runs the real nx CLI (a cold graph computation takes seconds on this machine) and podman.
  testTimeout: 5 * 60 * 1000,
};
