/** @jest-config-loader esbuild-register */
import type { Config } from 'jest';

// The project is ESM throughout (libxml2-wasm uses top-level await), so jest
// runs with --experimental-vm-modules and swc emits ES modules.
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services'],
  testMatch: ['**/tests/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tools/jest-summary-reporter.js'],
};

export default config;
