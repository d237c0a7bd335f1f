import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starts (or finds) PostgreSQL and Redis once for the whole run, on ports of its own, and puts
    // DATABASE_URL / REDIS_URL in the environment of every test file and of what they spawn.
    globalSetup: ['test/global-setup.ts'],
    // child processes, not worker threads: tests spawn processes and use real sockets and signals
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
