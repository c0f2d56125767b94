import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 has no `exports`: Node loads its CommonJS build for every package (graphql-tools,
    // Apollo), while Vite would pick the ESM build for our own files — two realms whose types fail
    // each other's instanceof checks. Ours get the build Node gives everyone else.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', '.data/**'],
    // Each file gets its own database and queue prefix, so files run in parallel.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/kit/global-setup.ts'],
    reporters: ['default', './test/kit/summary-reporter.ts'],
  },
});
