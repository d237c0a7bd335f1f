// A worker asked to stop while its Redis is gone still stops: BullMQ's close can wait forever for
// a connection that will not come back (taskforcesh/bullmq#4656), and a worker that never finishes
// closing keeps its process, or a test, alive.
import { expect, it } from 'vitest';
import { submitOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';
import { ownDatabase } from '../support/own-database.js';
import { ownRedis } from '../support/own-redis.js';
import { freePort, roleEnv, startRole } from '../support/processes.js';

it('a worker whose Redis went away with orders in flight closes within twice its grace period', async () => {
  const redis = await ownRedis();
  const graceMs = 300;
  const system = await systemForThisTest({
    worker: false,
    redisUrl: redis.url,
    databaseUrl: await ownDatabase(),
    sim: { confirmMs: { min: 5000, max: 5000 } },
    engine: { shutdownGraceMs: graceMs },
  });
  const worker = await system.startWorker();
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  await waitForStoredStatus(system, [order.id], (s) => s === 'SUBMITTED');

  await redis.stop();
  // BullMQ's own close would never finish here: a stuck close shows as still closing long after
  const outcome = await Promise.race([worker.close().then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 10 * graceMs, 'still closing'))]);

  expect(outcome).toBe('closed');
  // handed back, not lost: PostgreSQL still has it where it stood
  expect((await system.runtime.store.findById(order.id))!.status).toBe('SUBMITTED');
  // Redis back, for the rest of the system to close as usual
  await redis.start();
});

it('a worker process sent SIGTERM while its Redis is gone, holding the flow\'s lease and an order, completes its shutdown and exits 0', async () => {
  const redis = await ownRedis();
  const databaseUrl = await ownDatabase();
  const system = await systemForThisTest({ worker: false, redisUrl: redis.url, databaseUrl });
  // background flow on, so the worker holds its lease; a grace period shorter than the order's confirmation
  const worker = await startRole('worker', {
    ...roleEnv(system.config, { SIM_FLOW_MS: '250', SIM_CONFIRM_MS: '5000', SHUTDOWN_GRACE_MS: '300' }),
    REDIS_URL: redis.url,
    DATABASE_URL: databaseUrl,
  });
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  await waitForStoredStatus(system, [order.id], (s) => s === 'SUBMITTED');

  await redis.stop();
  worker.child.kill('SIGTERM');
  // 0, not the 1 of the process's own 30 s shutdown watchdog: every step of the shutdown returned
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  expect(worker.output()).toContain('handing them back');
  // handed back, not lost: PostgreSQL still has it where it stood
  expect((await system.runtime.store.findById(order.id))!.status).toBe('SUBMITTED');
  await redis.start();
});

it('an API process sent SIGTERM while its Redis is gone completes its shutdown and exits 0', async () => {
  const redis = await ownRedis();
  const apiPort = await freePort();
  const api = await startRole('api', { REDIS_URL: redis.url, PORT: String(apiPort) });
  // answered: it handles SIGTERM by now (it starts to in the same turn as its ready line)
  expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200);

  await redis.stop();
  api.child.kill('SIGTERM');
  // 0, not the 1 of the process's own 30 s shutdown watchdog or of a failed step
  expect(await api.exited).toEqual({ code: 0, signal: null });
  expect(api.output()).not.toContain('shutdown failed');
});

it('an API process sent SIGTERM while its Redis is gone, with a command of its queue waiting for Redis, completes its shutdown and exits 0', async () => {
  const redis = await ownRedis();
  const apiPort = await freePort();
  const api = await startRole('api', { REDIS_URL: redis.url, PORT: String(apiPort) });
  expect((await fetch(`http://127.0.0.1:${apiPort}/health`)).status).toBe(200);

  await redis.stop();
  // a scrape during the outage, as Prometheus makes every 15 s: its read of the queue's counts
  // stays queued on BullMQ's connection, whose close waited for it, so the API was cut off by its
  // 30 s shutdown backstop with exit code 1 (an operator's review)
  expect((await fetch(`http://127.0.0.1:${apiPort}/metrics`)).status).toBe(200);
  api.child.kill('SIGTERM');
  // exit code 0: the shutdown finished, where the backstop that cut it off exits 1
  expect(await api.exited).toEqual({ code: 0, signal: null });
  expect(api.output()).not.toMatch(/shutdown failed|shutdown took longer/);
}, 60_000);
