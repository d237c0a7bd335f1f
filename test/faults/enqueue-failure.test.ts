// The order row is written but the job never reaches Redis: the reconciler finds the order and
// enqueues it, so it is not stranded.
import { expect, it, onTestFinished } from 'vitest';
import { startApi } from '../../src/api-process.js';
import { createOrderQueue } from '../../src/engine/order-queue.js';
import { OrderService } from '../../src/engine/order-service.js';
import { createRuntime } from '../../src/runtime.js';
import { registerKey } from '../support/clients.js';
import { LIFECYCLE, followOrder, submitOrder, systemForThisTest } from '../support/orders.js';
import { ownDatabase } from '../support/own-database.js';
import { freePort } from '../support/processes.js';

it('enqueues an order whose enqueue failed after it was stored, and executes it once', async () => {
  // a worker with a reconciler that looks often
  const system = await systemForThisTest({ databaseUrl: await ownDatabase(), engine: { reconcileIntervalMs: 300, reconcileIdleMs: 500 } });

  // a second API whose BullMQ queue points at a Redis that is not there (a real connection failure)
  const runtime = await createRuntime(system.config);
  const deadQueue = createOrderQueue(
    { host: '127.0.0.1', port: await freePort(), maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null },
    system.config.engine.queueName,
  );
  deadQueue.on('error', () => undefined);
  runtime.services.orders = new OrderService(runtime.store, runtime.bus, deadQueue);
  const api = await startApi(runtime, 0);
  registerKey(api.url, system.key);
  onTestFinished(async () => {
    await api.close();
    await deadQueue.close().catch(() => undefined);
    await runtime.close();
  });

  const order = await submitOrder(api.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.25' });
  expect(order.status).toBe('PENDING');
  expect(await system.runtime.queue.getJob(order.id)).toBeUndefined();

  const events = await followOrder(system.url, order.id);
  expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
  expect(await system.runtime.market.journal.swapsOfOrder(order.id)).toHaveLength(1);
});
