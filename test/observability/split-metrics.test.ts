// `npm run api` and `npm run worker` as separate processes: each serves its own registry. The
// API (here in this process, without a worker) reports the derived gauges; the worker process
// (spawned from src/worker-main.ts) counts what it executed on its own METRICS_PORT.
import { describe, expect, it, onTestFinished } from 'vitest';
import { scrape, sample } from '../support/metrics.js';
import { followOrder, submitOrder, systemForThisTest } from '../support/orders.js';
import { freePort, spawnRole } from '../support/spawned.js';

describe('metrics with the API and the worker in separate processes', () => {
  it('come from the worker on METRICS_PORT and from the API on /metrics', async () => {
    const system = await systemForThisTest({ worker: false });
    const metricsPort = await freePort();
    const worker = await spawnRole('worker', {
      QUEUE_NAME: system.config.engine.queueName,
      SIM_NAMESPACE: system.config.sim.namespace,
      SIM_QUOTE_MS: '0',
      SIM_CONFIRM_MS: '0',
      SIM_FLOW_MS: '0',
      METRICS_PORT: String(metricsPort),
    });
    onTestFinished(async () => void (await worker.stop()));
    expect(worker.output()).toContain(`"metrics":"http://localhost:${metricsPort}/metrics"`);

    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '3' });
    expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');

    // Another process: nothing orders its count after the commit that the stream may have read
    // CONFIRMED from (a worker descheduled between its commit and its next statement). Wait for
    // the count, then expect exactly one.
    const workerMetrics = `http://localhost:${metricsPort}/metrics`;
    await expect.poll(async () => sample(await scrape(workerMetrics), 'dex_orders_finished_total', { status: 'CONFIRMED' }), { timeout: 10_000 }).toBe(1);
    const fromWorker = await scrape(workerMetrics);
    expect(sample(fromWorker, 'dex_orders_finished_total', { status: 'CONFIRMED' })).toBe(1);
    expect(sample(fromWorker, 'dex_order_latency_seconds_count', { status: 'CONFIRMED' })).toBe(1);
    expect((sample(fromWorker, 'dex_routing_decisions_total', { dex: 'RAYDIUM' }) ?? 0) + (sample(fromWorker, 'dex_routing_decisions_total', { dex: 'METEORA' }) ?? 0)).toBe(1);

    const fromApi = await scrape(new URL('/metrics', system.url));
    expect(sample(fromApi, 'dex_orders', { status: 'CONFIRMED' })).toBeGreaterThanOrEqual(1);
    expect(sample(fromApi, 'graphql_envelop_request', { operationName: 'ExecuteMarketOrder' })).toBe(1);
    // this API process executed nothing: no worker counters in its registry
    expect(sample(fromApi, 'dex_orders_finished_total')).toBeUndefined();
  });
});
