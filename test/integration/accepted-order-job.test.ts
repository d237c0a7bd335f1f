// A fresh order's job carries the order as the API stored it, so the worker's first step needs no
// read; that step is conditional on PostgreSQL still having the order PENDING at attempt 0, so a
// job whose copy is out of date (a retried or repeated job) carries on from what PostgreSQL has.
import { describe, expect, it } from 'vitest';
import { EXECUTE_ORDER_JOB, acceptedOrder, type ExecuteOrderJob } from '../../src/engine/order-queue.js';
import { httpData } from '../support/clients.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { LIFECYCLE, followOrder, submitOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';

describe('the job of an accepted order', () => {
  it('carries the stored order, from which the worker executes it', async () => {
    const system = await systemForThisTest({ worker: false });
    const { id } = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.25', slippageBps: 80, clientOrderId: `accepted-${Date.now()}` });

    const stored = await system.runtime.prisma.order.findUniqueOrThrow({ where: { id } });
    const job = await system.runtime.queue.getJob(id);
    expect(job?.data).toEqual({
      orderId: id,
      accepted: {
        accountId: system.accountId,
        clientOrderId: stored.clientOrderId,
        tokenIn: 'SOL',
        tokenOut: 'USDC',
        amountIn: '1250000000',
        slippageBps: 80,
        maxPriceImpactBps: null,
        createdAt: stored.createdAt.toISOString(),
      },
    });

    await system.startWorker();
    await waitForStoredStatus(system, [id], (status) => status === 'CONFIRMED');
    const { order } = await httpData(system.url, OrderDetails, { id });
    expect(order!.events.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(order!.amountIn).toBe('1.25');
  });

  it('never takes an order back: a repeated job with its accepted copy finds it CONFIRMED and leaves it', async () => {
    const system = await systemForThisTest();
    const { id } = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
    await followOrder(system.url, id);
    const confirmed = await system.runtime.prisma.order.findUniqueOrThrow({ where: { id } });

    // the original job is removed on completion, so the same job id can run again; but the stream
    // can end before the job does (a subscriber who joins after the commit reads CONFIRMED from
    // PostgreSQL while the worker is still publishing it), and a job added with the id of an
    // active one is not added: the repeat would not run at all
    await expect.poll(async () => system.runtime.queue.getJob(id), { timeout: 15_000, interval: 50 }).toBeUndefined();
    const job = await system.runtime.queue.add(EXECUTE_ORDER_JOB, { orderId: id, accepted: acceptedOrder(confirmed) } satisfies ExecuteOrderJob, { jobId: id });
    await expect.poll(async () => system.runtime.queue.getJob(job.id!), { timeout: 15_000, interval: 50 }).toBeUndefined();

    const { order } = await httpData(system.url, OrderDetails, { id });
    expect(order!.events.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(await system.runtime.prisma.order.findUniqueOrThrow({ where: { id } })).toEqual(confirmed);
    expect((await httpData(system.url, SimulatedSwaps, { orderId: id })).simulatedSwaps).toHaveLength(1);
  });
});
