// Two projects: `unit` needs no cluster; `integration` runs against the local control plane
// that scripts/test.sh (or `npm run cluster:up`) starts.
const swcTransform = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swcTransform },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // Unit tests get 30 s each (see the setup file: jest applies no per-project testTimeout).
      setupFilesAfterEnv: ['<rootDir>/test/unit/setup.ts'],
      testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/cluster/**/*.test.ts', '<rootDir>/test/hostile/**/*.test.ts', '<rootDir>/test/chaos/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      slowTestThreshold: 30,
      setupFilesAfterEnv: ['<rootDir>/test/integration/support/setup.ts'],
    },
  ],
};
