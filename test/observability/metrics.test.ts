import { describe, expect, it, onTestFinished } from 'vitest';
import { startApi } from '../../src/api-process.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { ownRedis } from '../support/own-redis.js';
import { testConfig } from '../support/system.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';
import { startMetricsServer } from '../../src/observability/metrics-server.js';
import { scrape, sample } from '../support/metrics.js';
import { followOrder, signal, submitOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';

const metricsUrl = (graphqlUrl: string) => new URL('/metrics', graphqlUrl);

describe('GET /metrics', () => {
  it('reports GraphQL operations, orders by status, routing choices, queue counts and end-to-end latency', async () => {
    const system = await systemForThisTest();
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5' });
    const events = await followOrder(system.url, order.id);
    expect(events.at(-1)?.status).toBe('CONFIRMED');
    // the stream can end before the job does: CONFIRMED is read from PostgreSQL by a subscriber who
    // joined late, while the worker is still publishing it and BullMQ holds the job active
    await expect.poll(() => system.runtime.queue.getJob(order.id), { timeout: 10_000 }).toBeUndefined();

    const text = await scrape(metricsUrl(system.url));
    // Yoga's Prometheus plugin: the mutation, by name and type
    expect(sample(text, 'graphql_envelop_request', { operationName: 'ExecuteMarketOrder', operationType: 'mutation' })).toBe(1);
    expect(sample(text, 'graphql_envelop_request', { operationName: 'OrderStatusUpdates', operationType: 'subscription' })).toBe(1);
    expect(sample(text, 'graphql_envelop_phase_execute_count', { operationName: 'ExecuteMarketOrder' })).toBe(1);
    expect(sample(text, 'graphql_yoga_http_duration_count', { operationName: 'ExecuteMarketOrder', method: 'POST', statusCode: '200' })).toBe(1);
    // no per-URL label: it would make a series per distinct GET query
    expect(text).not.toMatch(/graphql_yoga_http_duration_count\{[^}]*url=/);
    // read from PostgreSQL at scrape time: this system's order is among the CONFIRMED ones
    expect(sample(text, 'dex_orders', { status: 'CONFIRMED' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'dex_orders', { status: 'FAILED' })).toBeGreaterThanOrEqual(0);
    // the worker in this process counted its routing decision on the venue it chose
    const decided = Object.fromEntries(['RAYDIUM', 'METEORA'].map((dex) => [dex, sample(text, 'dex_routing_decisions_total', { dex })]));
    expect(decided).toEqual({ RAYDIUM: expect.any(Number), METEORA: expect.any(Number) });
    expect(decided.RAYDIUM! + decided.METEORA!).toBe(1);
    expect(sample(text, 'dex_orders_finished_total', { status: 'CONFIRMED' })).toBe(1);
    expect(sample(text, 'dex_order_latency_seconds_count', { status: 'CONFIRMED' })).toBe(1);
    expect(sample(text, 'dex_order_latency_seconds_bucket', { status: 'CONFIRMED', le: '+Inf' })).toBe(1);
    // its job waited once for the worker, however many steps the order took
    expect(sample(text, 'dex_order_queue_wait_seconds_count')).toBe(1);
    expect(sample(text, 'dex_order_retries_total', { cause: 'no_quote' })).toBe(0);
    expect(sample(text, 'dex_slippage_rejections_total', { dex: 'RAYDIUM' })).toBe(0);
    // BullMQ, read from Redis at scrape time: the finished job is gone, nothing waits
    for (const state of ['waiting', 'active', 'delayed', 'failed']) {
      expect(sample(text, 'dex_queue_jobs', { queue: system.config.engine.queueName, state })).toBe(0);
    }
    // and the process's own
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('counts each retry by cause and the failure that ends them', async () => {
    // every venue call fails: three attempts without a quote, then FAILED
    const system = await systemForThisTest({ sim: { failRate: 1 } });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    const events = await followOrder(system.url, order.id);
    expect(events.at(-1)?.status).toBe('FAILED');

    const text = await scrape(metricsUrl(system.url));
    expect(sample(text, 'dex_order_retries_total', { cause: 'no_quote' })).toBe(2);
    expect(sample(text, 'dex_orders_finished_total', { status: 'FAILED' })).toBe(1);
    expect(sample(text, 'dex_order_latency_seconds_count', { status: 'FAILED' })).toBe(1);
    expect(sample(text, 'dex_routing_decisions_total', { dex: 'RAYDIUM' })).toBe(0);
  });

  it('has counted a finished order by the time a subscriber can see it finished, its publish not yet answered', async () => {
    const system = await systemForThisTest();
    // the terminal event's publish is held (Redis slow to answer, the worker descheduled): the
    // order is CONFIRMED in PostgreSQL, and a subscriber who joins now reads it from there
    const { bus } = system.runtime;
    const publish = bus.publish.bind(bus);
    const held = signal();
    bus.publish = async (event) => {
      if (event.status === 'CONFIRMED') await held.promise;
      return publish(event);
    };
    try {
      const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
      await waitForStoredStatus(system, [order.id], (status) => status === 'CONFIRMED');
      expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');

      const text = await scrape(metricsUrl(system.url));
      expect(sample(text, 'dex_orders_finished_total', { status: 'CONFIRMED' })).toBe(1);
      expect(sample(text, 'dex_order_latency_seconds_count', { status: 'CONFIRMED' })).toBe(1);
    } finally {
      held.resolve();
    }
  });

  it("shows queued orders as waiting while no worker takes them", async () => {
    const system = await systemForThisTest({ worker: false });
    await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '10' });

    const text = await scrape(metricsUrl(system.url));
    expect(sample(text, 'dex_queue_jobs', { queue: system.config.engine.queueName, state: 'waiting' })).toBe(2);
    expect(sample(text, 'dex_orders', { status: 'PENDING' })).toBeGreaterThanOrEqual(2);
  });

  // Prometheus gives a scrape 10 s by default and counts one that takes longer as the target
  // down: every other series of the process lost, and an "API down" page for an API that serves.
  // The queue's counts waited for Redis for the whole outage (BullMQ's connection retries a
  // command until Redis is back), and the order counts up to DATABASE_QUERY_TIMEOUT_MS for a
  // silent PostgreSQL (an operator's review: curl gave up on /metrics after 15 s)
  it('answers without the gauges whose source does not answer, saying so once and not at every scrape', async () => {
    const redis = await ownRedis();
    const config = testConfig();
    const postgres = await proxyInFrontOf(config.databaseUrl);
    const lines: { msg: string }[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    // a query waits 60 s for a silent PostgreSQL, longer than the test may run
    const runtime = await createRuntime({ ...config, redisUrl: redis.url, databaseUrl: postgres.url, databaseQueryTimeoutMs: 60_000 }, { logger });
    const api = await startApi(runtime, 0);
    onTestFinished(async () => {
      await api.close();
      await runtime.close();
    });
    const metrics = metricsUrl(api.url);
    expect(sample(await scrape(metrics), 'dex_queue_jobs', { queue: config.engine.queueName, state: 'waiting' })).toBe(0);

    await redis.stop();
    postgres.proxy.blackhole();
    for (let i = 0; i < 3; i++) {
      const text = await scrape(metrics);
      expect(sample(text, 'dex_queue_jobs', { queue: config.engine.queueName, state: 'waiting' })).toBeUndefined();
      expect(sample(text, 'dex_orders', { status: 'PENDING' })).toBeUndefined();
      expect(text).toContain('process_cpu_user_seconds_total');
    }
    expect(lines.map((line) => line.msg).filter((msg) => msg.startsWith('metrics: ')).sort()).toEqual(['metrics: could not read order counts', 'metrics: could not read queue counts']);
    // both back, so that the API closes as it would (a Redis-less close is shutdown-without-redis's)
    await redis.start();
    postgres.proxy.heal();
    await postgres.proxy.cut();
    await postgres.proxy.restore();
  });

  it('is served by a worker running alone on a listener of its own', async () => {
    const system = await systemForThisTest();
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
    await followOrder(system.url, order.id);

    const server = await startMetricsServer(system.runtime.metrics, 0);
    try {
      const text = await scrape(server.url);
      expect(sample(text, 'dex_orders_finished_total', { status: 'CONFIRMED' })).toBe(1);
      expect((await fetch(new URL('/other', server.url))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
