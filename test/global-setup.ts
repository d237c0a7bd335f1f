// Runs once, in the main vitest process, before any test file: bootstraps infrastructure the way
// `npm start` does, but on its own ports, data directory and database, so a test run never touches
// a developer's running app (54329 / 63790 / .data/pg). DATABASE_URL / REDIS_URL, when set, win.
//
// The URLs reach test files and the processes they spawn through process.env: vitest forks its
// workers after global setup, and they inherit this process's environment. (Also provide()d, for
// tests that prefer inject().)
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { bootstrapInfrastructure } from '../src/infra/bootstrap.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
  }
}

const TEST_INFRASTRUCTURE = {
  pgPort: 54339,
  redisPort: 63799,
  dataDir: fileURLToPath(new URL('../.data/pg-test', import.meta.url)),
  database: 'test_engine',
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const infra = await bootstrapInfrastructure({ ...TEST_INFRASTRUCTURE, log: (line) => console.log(`[test setup] ${line}`) });
  process.env.DATABASE_URL = infra.databaseUrl;
  process.env.REDIS_URL = infra.redisUrl;
  project.provide('databaseUrl', infra.databaseUrl);
  project.provide('redisUrl', infra.redisUrl);
  return () => infra.stop();
}
