// A whole system for one test: its own queue and its own simulated market, on the PostgreSQL
// and Redis of the test run (test/global-setup.ts), with a real worker and a real API server,
// and an account of its own whose API key the test clients send to it by default.
import { randomUUID } from 'node:crypto';
import { loadConfig, type EngineSettings, type SecuritySettings, type SimulationSettings } from '../../src/config.js';
import { startApi } from '../../src/api-process.js';
import { createRuntime, type ResolvedConfig } from '../../src/runtime.js';
import { startWorker } from '../../src/worker-process.js';
import { forgetKey, registerKey } from './clients.js';

export interface SystemOptions {
  sim?: Partial<SimulationSettings>;
  engine?: Partial<EngineSettings>;
  /** limits; by default as in production, except no rate limit on executeMarketOrder */
  security?: Partial<SecuritySettings>;
  /** false: API only, no worker in this process */
  worker?: boolean;
  /** STREAM_RECHECK_MS; default as in production (30 s) */
  streamRecheckMs?: number;
  /** DATABASE_QUERY_TIMEOUT_MS; default as in production (10 s) */
  databaseQueryTimeoutMs?: number;
  /** instead of the test run's servers (e.g. a Redis of the test's own, to flush or restart) */
  databaseUrl?: string;
  redisUrl?: string;
}

/** Settings of an isolated test system: zero latency, no background flow, fresh names. */
export function testConfig(options: SystemOptions = {}): ResolvedConfig {
  const base = loadConfig({});
  const id = randomUUID().slice(0, 8);
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL come from test/global-setup.ts');
  return {
    ...base,
    port: 0,
    databaseUrl,
    redisUrl,
    databasePoolSize: 5,
    streamRecheckMs: options.streamRecheckMs ?? base.streamRecheckMs,
    databaseQueryTimeoutMs: options.databaseQueryTimeoutMs ?? base.databaseQueryTimeoutMs,
    sim: { ...base.sim, quoteMs: 0, confirmMs: { min: 0, max: 0 }, flowIntervalMs: 0, namespace: `test-${id}`, ...options.sim },
    security: { ...base.security, orderRateLimit: 0, ...options.security },
    engine: { ...base.engine, concurrency: 50, queueName: `orders-${id}`, retryBaseMs: 5, reconcileIntervalMs: 0, shutdownGraceMs: 5_000, ...options.engine },
  };
}

export type TestSystem = Awaited<ReturnType<typeof startSystem>>;

export async function startSystem(options: SystemOptions = {}) {
  const config = testConfig(options);
  const runtime = await createRuntime(config);
  // logs at LOG_LEVEL, silent under vitest (vitest.config.ts); LOG_LEVEL=warn npm test shows them
  const worker = options.worker === false ? null : await startWorker(runtime);
  const api = await startApi(runtime, 0);
  const { accounts } = runtime.services;
  const issued = await accounts.issueKey(`test-${config.sim.namespace}`);
  registerKey(api.url, issued.key);
  return {
    config,
    runtime,
    url: api.url,
    /** the API key of this system's account, sent by default by every client of `url` */
    key: issued.key,
    accountId: issued.accountId,
    /** a key of another account (a fresh one unless `account` names an existing one) */
    async issueKey(account = `test-${randomUUID()}`) {
      return accounts.issueKey(account);
    },
    async close() {
      forgetKey(api.url);
      await api.close();
      await worker?.close();
      // tidying the test's queue is a courtesy to Redis, bounded: after a test flushed or
      // restarted Redis under a live queue, BullMQ's obliterate can keep finding work
      await Promise.race([runtime.queue.obliterate({ force: true }).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await runtime.close();
    },
  };
}
