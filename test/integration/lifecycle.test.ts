import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseUnits } from '../../src/engine/money.js';
import { tokenBySymbol } from '../../src/engine/tokens.js';
import { collect, collectSse, httpData, wsClient } from '../support/clients.js';
import { ExecuteMarketOrder, OrderDetails, OrderStatusUpdates, SimulatedSwaps } from '../support/operations.js';
import { startSystem, type TestSystem } from '../support/system.js';

const LIFECYCLE = ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED'];

async function submit(system: TestSystem, input: { tokenIn: string; tokenOut: string; amountIn: string; slippageBps?: number }) {
  const data = await httpData(system.url, ExecuteMarketOrder, { input });
  if (data.executeMarketOrder.__typename !== 'ExecuteMarketOrderSuccess') throw new Error(JSON.stringify(data));
  return data.executeMarketOrder.order;
}

describe('an order, from the mutation to CONFIRMED', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system.close());

  it('streams every transition in order and can then be queried with both venues quoted', async () => {
    const order = await submit(system, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5' });
    expect(order).toMatchObject({ status: 'PENDING', tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5', slippageBps: 50 });

    const events = await collect(wsClient(system.url), OrderStatusUpdates, { orderId: order.id });
    const statuses = events.map((e) => e.data!.orderStatus.status);
    expect(statuses).toEqual(LIFECYCLE);
    expect(events.map((e) => e.data!.orderStatus.seq)).toEqual([1, 2, 3, 4, 5]);

    const { order: stored } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(stored).toMatchObject({ status: 'CONFIRMED', attempts: 1, failureReason: null });
    const [decision] = stored!.routingDecisions;
    expect(stored!.routingDecisions).toHaveLength(1);
    expect(decision!.quotes.map((q) => q.dex).sort()).toEqual(['METEORA', 'RAYDIUM']);
    // compared in base units: a Decimal is written without trailing zeros ("224.34" beside
    // "224.341457"), so its digits with the point dropped are no measure of its size
    const usdc = (amount: string) => parseUnits(amount, tokenBySymbol('USDC').decimals);
    const best = [...decision!.quotes].sort((a, b) => Number(usdc(b.amountOut) - usdc(a.amountOut)))[0]!;
    expect(decision!.chosenDex).toBe(best.dex);
    expect(stored!.dex).toBe(decision!.chosenDex);
    expect(decision!.expectedAmountOut).toBe(best.amountOut);
    // with no other trades between quote and swap, the swap fills exactly as quoted
    expect(stored!.amountOut).toBe(decision!.expectedAmountOut);

    const { simulatedSwaps } = await httpData(system.url, SimulatedSwaps, { orderId: order.id });
    expect(simulatedSwaps).toHaveLength(1);
    expect(simulatedSwaps[0]).toMatchObject({ signature: stored!.txSignature, dex: stored!.dex, amountIn: '1.5', amountOut: stored!.amountOut });

    // the same amounts, written the same way, in the events' messages and in the stored rows
    const messages = events.map((e) => e.data!.orderStatus.message);
    expect(messages[2]).toBe(`${decision!.chosenDex} chosen: expected ${decision!.expectedAmountOut} USDC, minimum ${decision!.minAmountOut} USDC`);
    expect(messages[4]).toBe(`received ${stored!.amountOut} USDC on ${stored!.dex}`);
    const row = (await system.runtime.store.findById(order.id))!;
    const [storedDecision] = await system.runtime.store.routingDecisions(order.id);
    expect([row.amountIn, row.amountOut, row.minAmountOut]).toEqual([parseUnits('1.5', 9), usdc(stored!.amountOut!), usdc(decision!.minAmountOut)]);
    expect([storedDecision!.expectedAmountOut, storedDecision!.minAmountOut]).toEqual([usdc(decision!.expectedAmountOut), usdc(decision!.minAmountOut)]);
    // the guard is the quote less 50 bps, rounded up: never looser than asked
    expect(row.minAmountOut! * 10_000n >= storedDecision!.expectedAmountOut * 9_950n).toBe(true);
    expect((row.minAmountOut! - 1n) * 10_000n < storedDecision!.expectedAmountOut * 9_950n).toBe(true);
  });

  it('replays the whole sequence to a subscriber that joins after the order finished, over WebSocket and SSE', async () => {
    const order = await submit(system, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '250' });
    await collect(wsClient(system.url), OrderStatusUpdates, { orderId: order.id });

    const late = await collect(wsClient(system.url), OrderStatusUpdates, { orderId: order.id });
    expect(late.map((e) => e.data!.orderStatus.status)).toEqual(LIFECYCLE);
    const sse = await collectSse(system.url, OrderStatusUpdates, { orderId: order.id });
    expect(sse.map((e) => e.data!.orderStatus)).toEqual(late.map((e) => e.data!.orderStatus));
  });

  it('ends the stream with an error for an unknown order instead of hanging', async () => {
    const results = await collect(wsClient(system.url), OrderStatusUpdates, { orderId: '00000000-0000-4000-8000-000000000000' });
    expect(results).toHaveLength(1);
    expect(results[0]!.data ?? null).toBeNull();
    expect(results[0]!.errors).toMatchObject([{ message: 'order 00000000-0000-4000-8000-000000000000 not found', extensions: { code: 'NOT_FOUND' } }]);
  });
});
