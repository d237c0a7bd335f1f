import { describe, expect, it, onTestFinished } from 'vitest';
import { startApi } from '../../src/api-process.js';
import { createRuntime } from '../../src/runtime.js';
import { testConfig } from '../support/system.js';

/** An API alone (no worker, no account): /ready and /health need no key. */
async function apiForThisTest(config = testConfig()) {
  const runtime = await createRuntime(config);
  const api = await startApi(runtime, 0);
  onTestFinished(async () => {
    await api.close();
    await runtime.close();
  });
  return { runtime, get: async (path: string) => (await fetch(new URL(path, api.url))).status };
}

describe('GET /ready and /health', () => {
  it('answers 200 on both while PostgreSQL and Redis answer', async () => {
    const { get } = await apiForThisTest();
    expect(await get('/ready')).toBe(200);
    expect(await get('/health')).toBe(200);
  });

  it('is not ready when PostgreSQL does not answer, though the process is up', async () => {
    // nothing listens on port 1: every query fails at once
    const { get } = await apiForThisTest({ ...testConfig(), databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    expect(await get('/ready')).toBe(503);
    expect(await get('/health')).toBe(200);
  });

  it('is not ready while Redis does not answer, and ready again when it does', async () => {
    const { runtime, get } = await apiForThisTest();
    expect(await get('/ready')).toBe(200);
    runtime.redis.disconnect();
    expect(await get('/ready')).toBe(503);
    expect(await get('/health')).toBe(200);
    await runtime.redis.connect();
    expect(await get('/ready')).toBe(200);
  });
});
