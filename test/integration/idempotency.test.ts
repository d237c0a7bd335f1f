// clientOrderId is an idempotency key: the same key with the same input is the same order, however
// often and however concurrently it is sent; the same key with other input is a conflict.
// Keys are random per test: the database, and its unique index on the key, outlive a test run.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ExecuteMarketOrderInput } from '../gql/graphql.js';
import { httpData } from '../support/clients.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { LIFECYCLE, executeMarketOrder, followOrder, submitOrder, systemForThisTest, type SystemUnderTest } from '../support/orders.js';

const ordersWithKey = (system: SystemUnderTest, clientOrderId: string) => system.runtime.prisma.order.count({ where: { clientOrderId } });

describe('clientOrderId idempotency', () => {
  it('returns the same order to a repeated request, which executes once', async () => {
    const system = await systemForThisTest();
    const input: ExecuteMarketOrderInput = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '3', clientOrderId: randomUUID() };

    const first = await submitOrder(system.url, input);
    const again = await submitOrder(system.url, input);
    expect(again.id).toBe(first.id);
    await followOrder(system.url, first.id);
    const afterItFinished = await submitOrder(system.url, input);

    expect(afterItFinished).toMatchObject({ id: first.id, status: 'CONFIRMED', clientOrderId: input.clientOrderId });
    expect(await ordersWithKey(system, input.clientOrderId!)).toBe(1);
    const { order } = await httpData(system.url, OrderDetails, { id: first.id });
    expect(order!.events.map((e) => e.status)).toEqual(LIFECYCLE);
    expect((await httpData(system.url, SimulatedSwaps, { orderId: first.id })).simulatedSwaps).toHaveLength(1);
  });

  it('answers 10 simultaneous requests with one order id and stores one row', async () => {
    const system = await systemForThisTest();
    const input: ExecuteMarketOrderInput = { tokenIn: 'USDC', tokenOut: 'JUP', amountIn: '42', slippageBps: 75, clientOrderId: randomUUID() };

    const orders = await Promise.all(Array.from({ length: 10 }, () => submitOrder(system.url, input)));

    expect(new Set(orders.map((o) => o.id)).size).toBe(1);
    expect(await ordersWithKey(system, input.clientOrderId!)).toBe(1);
    const events = await followOrder(system.url, orders[0]!.id);
    expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
    expect((await httpData(system.url, SimulatedSwaps, { orderId: orders[0]!.id })).simulatedSwaps).toHaveLength(1);
  });

  it('treats the same input written differently (symbol case, mint address, trailing zero, default slippage) as the same order', async () => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = randomUUID();
    const first = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5', clientOrderId });

    const same = await submitOrder(system.url, {
      tokenIn: 'sol',
      tokenOut: 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v',
      amountIn: '1.500',
      slippageBps: 50,
      clientOrderId,
    });

    expect(same.id).toBe(first.id);
  });

  it.each([
    { change: 'another amount', input: { amountIn: '2' } },
    { change: 'another token', input: { tokenOut: 'USDT' } },
    { change: 'another slippage', input: { slippageBps: 51 } },
    { change: 'a price impact limit', input: { maxPriceImpactBps: 100 } },
  ])('refuses the same key with $change as an IdempotencyConflictError naming the existing order, creating nothing', async ({ input }) => {
    const system = await systemForThisTest({ worker: false });
    const original: ExecuteMarketOrderInput = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1', clientOrderId: randomUUID() };
    const existing = await submitOrder(system.url, original);

    const result = await executeMarketOrder(system.url, { ...original, ...input });

    expect(result).toEqual({
      __typename: 'IdempotencyConflictError',
      message: expect.stringContaining(original.clientOrderId!),
      clientOrderId: original.clientOrderId,
      existingOrderId: existing.id,
    });
    expect(await ordersWithKey(system, original.clientOrderId!)).toBe(1);
    // the existing order is untouched and still the only job
    const { order } = await httpData(system.url, OrderDetails, { id: existing.id });
    expect(order).toMatchObject({ status: 'PENDING', tokenOut: 'USDC', amountIn: '1', slippageBps: 50 });
    expect(order!.events).toHaveLength(1);
    expect((await system.runtime.queue.getJobs()).map((job) => job.id)).toEqual([existing.id]);
  });
});
