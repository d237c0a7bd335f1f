// SIGTERM: processes stop taking work, finish or hand back what they hold, and leave nothing
// half-done.
import { expect, it, vi } from 'vitest';
import { collect, wsClient, registerKey } from '../support/clients.js';
import { OrderStatusUpdates } from '../support/operations.js';
import { LIFECYCLE, executeMarketOrder, followOrder, submitOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';
import { freePort, roleEnv, startRole } from '../support/processes.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

it('a worker finishes its active orders on SIGTERM and exits cleanly', async () => {
  const system = await systemForThisTest({ worker: false });
  const worker = await startRole('worker', roleEnv(system.config, { SIM_CONFIRM_MS: '1500', SHUTDOWN_GRACE_MS: '15000' }));
  const orders = await Promise.all([1, 2, 3, 4].map((n) => submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: String(n) })));
  const ids = orders.map((o) => o.id);
  await waitForStoredStatus(system, ids, (s) => s === 'SUBMITTED');

  worker.child.kill('SIGTERM');
  // from then on it takes no new order, though it runs for another 1.5 s finishing its own
  await vi.waitFor(() => expect(worker.output()).toContain('shutting down'));
  const late = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '5' });
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  // no other worker exists: everything it held, it finished before exiting
  for (const id of ids) {
    expect((await system.runtime.store.findById(id))!.status).toBe('CONFIRMED');
    expect(await system.runtime.market.journal.swapsOfOrder(id)).toHaveLength(1);
  }
  expect((await system.runtime.store.findById(late.id))!.status).toBe('PENDING');
  // the late order waited in the queue for the next worker
  await startRole('worker', roleEnv(system.config));
  await waitForStoredStatus(system, [late.id], (s) => s === 'CONFIRMED');
  expect(await system.runtime.market.journal.swapsOfOrder(late.id)).toHaveLength(1);
});

it('a worker whose orders outlast the grace period hands them back, and another worker finishes them once', async () => {
  const system = await systemForThisTest({ worker: false });
  const env = roleEnv(system.config, { JOB_LOCK_MS: '2000', STALLED_INTERVAL_MS: '1000' });
  const worker = await startRole('worker', { ...env, SIM_CONFIRM_MS: '4000', SHUTDOWN_GRACE_MS: '300' });
  const order = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '75' });
  await waitForStoredStatus(system, [order.id], (s) => s === 'SUBMITTED');

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  expect((await system.runtime.store.findById(order.id))!.status).toBe('SUBMITTED');

  await startRole('worker', env);
  const events = await followOrder(system.url, order.id);
  expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
  expect(await system.runtime.market.journal.swapsOfOrder(order.id)).toHaveLength(1);
});

it('a worker given a grace period past 30 s uses all of it, then hands its orders back and exits 0', async () => {
  const system = await systemForThisTest({ worker: false });
  const env = roleEnv(system.config, { JOB_LOCK_MS: '2000', STALLED_INTERVAL_MS: '1000' });
  // SHUTDOWN_GRACE_MS 31 s: the process's fixed 30 s shutdown backstop cut the grace period
  // short, exiting 1 with "shutdown took longer than the grace period", as the line then read (an operator's review)
  const worker = await startRole('worker', { ...env, SIM_CONFIRM_MS: '40000', SHUTDOWN_GRACE_MS: '31000' });
  const order = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '75' });
  await waitForStoredStatus(system, [order.id], (s) => s === 'SUBMITTED');

  const signalledAt = Date.now();
  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(31_000);
  expect(worker.output()).toMatch(/handing them back/);
  expect(worker.output()).not.toMatch(/shutdown took longer/);
  expect((await system.runtime.store.findById(order.id))!.status).toBe('SUBMITTED');

  // another worker finishes it, once
  await startRole('worker', { ...env, SIM_CONFIRM_MS: '100' });
  expect((await followOrder(system.url, order.id)).map((e) => e.status)).toEqual(LIFECYCLE);
  expect(await system.runtime.market.journal.swapsOfOrder(order.id)).toHaveLength(1);
}, 120_000);

it('a worker riding out a PostgreSQL outage stops waiting when it hands its orders back, and exits 0', async () => {
  const system = await systemForThisTest({ worker: false });
  const { proxy, url } = await proxyInFrontOf(process.env.DATABASE_URL!);
  const env = roleEnv(system.config, { JOB_LOCK_MS: '2000', STALLED_INTERVAL_MS: '1000' });
  // STORE_RETRY_MS 60 s (the default): a worker whose hand-back did not stop the retries went on
  // retrying the order's CONFIRMED write, so BullMQ could not close within a second grace period
  // either, and with the default 20 s grace the 30 s shutdown backstop exited 1 (a review's)
  const worker = await startRole('worker', { ...env, DATABASE_URL: url, SIM_CONFIRM_MS: '1000', SHUTDOWN_GRACE_MS: '1000', STORE_RETRY_MS: '60000' });
  const order = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '75' });
  await waitForStoredStatus(system, [order.id], (s) => s === 'SUBMITTED');
  await proxy.cut();
  // the swap confirms after 1 s; its CONFIRMED write then meets the outage and is retried
  await vi.waitFor(() => expect(worker.output()).toMatch(/store unavailable, retrying/), { timeout: 10_000 });

  worker.child.kill('SIGTERM');
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  expect(worker.output()).toMatch(/handing them back/);
  expect(worker.output()).not.toMatch(/did not close its Redis connections|shutdown took longer/);
  await proxy.restore();
  expect((await system.runtime.store.findById(order.id))!.status).toBe('SUBMITTED');

  // another worker finishes it, once
  await startRole('worker', env);
  expect((await followOrder(system.url, order.id)).map((e) => e.status)).toEqual(LIFECYCLE);
  expect(await system.runtime.market.journal.swapsOfOrder(order.id)).toHaveLength(1);
}, 60_000);

it('an API process on SIGTERM closes subscriptions with 1001, answers what it accepted, and stores nothing half-done', async () => {
  const system = await systemForThisTest({ sim: { confirmMs: { min: 5000, max: 5000 } } });
  const port = await freePort();
  const api = await startRole('api', roleEnv(system.config, { PORT: String(port) }));
  const url = `http://localhost:${port}/graphql`;
  registerKey(url, system.key);

  const watched = await submitOrder(url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  const client = wsClient(url);
  const closed = new Promise<number>((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));
  const stream = collect(client, OrderStatusUpdates, { orderId: watched.id }).catch((error: unknown) => error);
  await new Promise<void>((resolve) => client.on('message', () => resolve()));

  // a burst of mutations with SIGTERM in the middle of it
  const burst = Array.from({ length: 30 }, (_, i) =>
    executeMarketOrder(url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.1', clientOrderId: `shutdown-burst-${i}` }).then(
      (result) => ({ accepted: result.__typename === 'ExecuteMarketOrderSuccess' }),
      () => ({ accepted: false }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  api.child.kill('SIGTERM');

  expect(await closed).toBe(1001);
  await stream;
  expect(await api.exited).toEqual({ code: 0, signal: null });
  const answered = (await Promise.all(burst)).filter((r) => r.accepted).length;
  // every order the database holds was answered to its client, and nothing else was stored
  const stored = await system.runtime.prisma.order.count({ where: { clientOrderId: { startsWith: 'shutdown-burst-' }, accountId: system.accountId } });
  expect(stored).toBe(answered);
});
