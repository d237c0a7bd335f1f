// Many orders at once: none is lost, every one reaches a terminal status with a whole event
// sequence, and no confirmed order swaps twice.
import { describe, expect, it } from 'vitest';
import type { ExecuteMarketOrderInput } from '../gql/graphql.js';
import { httpData } from '../support/clients.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { LIFECYCLE, expectCompleteSequence, followOrder, submitOrder, systemForThisTest } from '../support/orders.js';

const ORDERS = 200;

/** Both directions of several pairs, each small against its pool so the default slippage holds. */
const MIX: ExecuteMarketOrderInput[] = [
  { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.1' },
  { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '15' },
  { tokenIn: 'JUP', tokenOut: 'USDC', amountIn: '10' },
  { tokenIn: 'USDC', tokenOut: 'JUP', amountIn: '8' },
  { tokenIn: 'BONK', tokenOut: 'SOL', amountIn: '1000000' },
  { tokenIn: 'SOL', tokenOut: 'BONK', amountIn: '0.02' },
  { tokenIn: 'SOL', tokenOut: 'USDT', amountIn: '0.05' },
  { tokenIn: 'USDT', tokenOut: 'USDC', amountIn: '20' },
];

describe(`${ORDERS} orders submitted at once`, () => {
  it('all reach a terminal status with gap-free event sequences, none lost, each confirmed one swapped exactly once', async () => {
    const system = await systemForThisTest();
    const inputs = Array.from({ length: ORDERS }, (_, i) => MIX[i % MIX.length]!);

    const accepted = await Promise.all(inputs.map((input) => submitOrder(system.url, input)));
    const ids = accepted.map((order) => order.id);
    expect(new Set(ids).size).toBe(ORDERS);
    expect(await system.runtime.prisma.order.count({ where: { id: { in: ids } } })).toBe(ORDERS);

    const streams = await Promise.all(ids.map((id) => followOrder(system.url, id)));

    for (const [i, events] of streams.entries()) {
      expectCompleteSequence(events);
      expect(events.every((e) => e.orderId === ids[i])).toBe(true);
    }
    const details = await Promise.all(ids.map(async (id) => (await httpData(system.url, OrderDetails, { id })).order!));
    for (const [i, order] of details.entries()) {
      // what was streamed is what is stored, and the order stands where its stream ended
      expect(order.events).toEqual(streams[i]);
      expect(order.status).toBe(streams[i]!.at(-1)!.status);
      expect(order).toMatchObject({ tokenIn: inputs[i]!.tokenIn, tokenOut: inputs[i]!.tokenOut, amountIn: inputs[i]!.amountIn });
    }

    // with no faults and no background flow, nothing here has a reason to fail
    expect(details.filter((o) => o.status !== 'CONFIRMED').map((o) => [o.id, o.status, o.failureReason])).toEqual([]);
    for (const [i, events] of streams.entries()) {
      // the final attempt went through every step (an earlier one may have met a moved price)
      const final = events.filter((e) => e.attempt === details[i]!.attempts);
      expect(final.map((e) => e.status)).toEqual(LIFECYCLE.slice(1));
    }
    const swaps = await Promise.all(ids.map(async (orderId) => (await httpData(system.url, SimulatedSwaps, { orderId })).simulatedSwaps));
    for (const [i, order] of details.entries()) {
      expect(swaps[i]!.map((s) => s.signature)).toEqual([order.txSignature]);
      expect(swaps[i]![0]).toMatchObject({ dex: order.dex, amountIn: order.amountIn, amountOut: order.amountOut });
    }
  });
});
