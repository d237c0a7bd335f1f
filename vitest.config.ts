import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS as "main" and ESM as "module": Vite would take the ESM copy for our
    // sources while Yoga and graphql-ws load the CJS one, and GraphQLError instanceof checks
    // (error masking) would fail across the two. One copy, as under Node and tsx.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Starts (or finds) PostgreSQL and Redis once for the whole run, on ports of its own, and puts
    // DATABASE_URL / REDIS_URL in the environment of every test file and of what they spawn.
    globalSetup: ['test/global-setup.ts', 'test/web-build-setup.ts'],
    // the processes' JSON logs stay out of the test report; LOG_LEVEL=info npm test shows them
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    // child processes, not worker threads: tests spawn processes and use real sockets and signals
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
