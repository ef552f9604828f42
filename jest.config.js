/** Jest: TypeScript through swc (fast, no type-check; `tsc --noEmit` checks types first in `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 120000,
  // The packages' own names resolve to their TypeScript sources (package.json points at the compiled dist/), as in
  // tsconfig.json's paths.
  moduleNameMapper: {
    '^@rnnlab/engine$': '<rootDir>/engine/index.ts',
    '^@rnnlab/engine/(advanced|node|keras|psychrnn|gpujs)$': '<rootDir>/engine/$1.ts',
    '^@rnnlab/(tasks|analysis|experiments)$': '<rootDir>/$1/index.ts',
    '^@rnnlab/analysis/browser$': '<rootDir>/analysis/browser.ts',
    '^@rnnlab/experiments/share$': '<rootDir>/experiments/run/share.ts',
  },
};
