/** Unit tests of the immutable-os plugin. */
module.exports = {
  displayName: 'immutable-os',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Many specs run real programs (fake engines are node scripts, qemu, ssh-keygen): on a loaded
  // machine jest's 5 s default is too little. A bound on hangs, not a speed check.
  testTimeout: 30_000,
  testPathIgnorePatterns: ['/files/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
};
