import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { startApi } from '../../src/api-process.js';
import { createRuntime } from '../../src/runtime.js';
import { ownRedis } from '../support/own-redis.js';
import { testConfig } from '../support/system.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

/** An API alone (no worker, no account): /ready and /health need no key. */
async function apiForThisTest(config = testConfig()) {
  const runtime = await createRuntime(config);
  const api = await startApi(runtime, 0);
  onTestFinished(async () => {
    await api.close();
    await runtime.close();
  });
  const ask = async (path: string) => {
    const response = await fetch(new URL(path, api.url));
    return { status: response.status, body: await response.text() };
  };
  return { runtime, ask, get: async (path: string) => (await ask(path)).status };
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

  it('says which dependency answered', async () => {
    const { ask } = await apiForThisTest();
    expect(await ask('/ready')).toEqual({ status: 200, body: JSON.stringify({ postgres: 'up', redis: 'up' }) });
  });

  // a probe must get its answer in time: a stopped Redis holds a command through ioredis's
  // reconnection retries (~10 s), a silent one holds it until the connection breaks, a silent
  // PostgreSQL up to DATABASE_QUERY_TIMEOUT_MS (here a minute); without the bound the second
  // test hangs past vitest's timeout
  it('answers 503 naming Redis while Redis is stopped', async () => {
    const redis = await ownRedis();
    const { ask } = await apiForThisTest({ ...testConfig(), redisUrl: redis.url });
    await redis.stop();
    expect(await ask('/ready')).toEqual({ status: 503, body: JSON.stringify({ postgres: 'up', redis: 'down' }) });
    await redis.start();
    await vi.waitFor(async () => expect((await ask('/ready')).status).toBe(200), { timeout: 10_000, interval: 100 });
  });

  it('answers 503 naming each dependency that has gone silent, and 200 once both answer again', async () => {
    const config = testConfig();
    const [redis, postgres] = await Promise.all([proxyInFrontOf(config.redisUrl), proxyInFrontOf(config.databaseUrl)]);
    const { ask } = await apiForThisTest({ ...config, redisUrl: redis.url, databaseUrl: postgres.url, databaseQueryTimeoutMs: 60_000 });
    expect((await ask('/ready')).status).toBe(200);

    redis.proxy.blackhole();
    expect(await ask('/ready')).toEqual({ status: 503, body: JSON.stringify({ postgres: 'up', redis: 'down' }) });
    postgres.proxy.blackhole();
    expect(await ask('/ready')).toEqual({ status: 503, body: JSON.stringify({ postgres: 'down', redis: 'down' }) });

    // what the silence swallowed stays lost: the connections are dropped so that fresh ones answer
    redis.proxy.heal();
    postgres.proxy.heal();
    await Promise.all([redis.proxy.cut(), postgres.proxy.cut()]);
    await Promise.all([redis.proxy.restore(), postgres.proxy.restore()]);
    await vi.waitFor(async () => expect((await ask('/ready')).status).toBe(200), { timeout: 10_000, interval: 100 });
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
