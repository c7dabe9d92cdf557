/**
 * End-to-end tests: the built plugin is published to a throwaway verdaccio, installed in a fresh
 * Nx workspace and driven through the real nx CLI, npm and git (see src/setup/global-setup.ts).
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
  // The spec's steps build on each other in one workspace: one file, one worker, in order.
  maxWorkers: 1,
  // Each step runs the real nx CLI (a cold graph computation takes seconds on this machine).
  testTimeout: 5 * 60 * 1000,
};
