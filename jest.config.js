// Two projects: fast unit tests (parallel) and lab end-to-end scenarios (serial, long).
const common = {
  preset: 'ts-jest',
  // Only these trees are crawled: the lab's state dir (.lab/) holds mounted root filesystems.
  roots: ['<rootDir>/__tests__', '<rootDir>/src', '<rootDir>/test-doubles'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/cdktf.out/', '/.lab/'],
};

module.exports = {
  globalSetup: '<rootDir>/__tests__/global-setup.ts',
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '/__tests__/e2e/'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.e2e.test.ts'] },
  ],
};
