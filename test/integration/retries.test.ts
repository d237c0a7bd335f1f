// Transient venue faults are retried with a fresh quote, at most 3 attempts in all; faults that a
// retry cannot fix fail the order at once. Every failure says why.
//
// A slippage refusal needs the pool to move between an attempt's quote and its submit, which run
// back to back inside one job. So a worker kills itself once each attempt's BUILDING is stored
// (ENGINE_FAILPOINTS=after-build), the test trades the pool past the attempt's minimum, and the
// next worker resumes the attempt and sends its swap into the moved pool.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SlippageExceededError } from '../../src/engine/errors.js';
import { findPair } from '../../src/engine/venues/pools.js';
import type { ExecuteMarketOrderInput } from '../gql/graphql.js';
import { httpData } from '../support/clients.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { expectCompleteSequence, followOrder, submitOrder, systemForThisTest, type StreamedEvent, type SystemUnderTest } from '../support/orders.js';
import { FAST_STALL, roleEnv, startRole } from '../support/processes.js';

const MAX_ATTEMPTS = 3;

const BATCH: ExecuteMarketOrderInput[] = [
  { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' },
  { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '120' },
  { tokenIn: 'JUP', tokenOut: 'SOL', amountIn: '40' },
  { tokenIn: 'BONK', tokenOut: 'USDC', amountIn: '2500000' },
  { tokenIn: 'USDT', tokenOut: 'SOL', amountIn: '75' },
];

/** How each attempt's events begin: the first at ROUTING after PENDING, each retry at ROUTING saying why. */
function expectRetriesStartAtRouting(events: StreamedEvent[]): void {
  expect(events[0]).toMatchObject({ status: 'PENDING', attempt: 0 });
  for (const [i, event] of events.entries()) {
    if (i === 0) continue;
    const previous = events[i - 1]!;
    if (event.attempt === previous.attempt) continue;
    expect(event.attempt).toBe(previous.attempt + 1);
    expect(event.status).toBe('ROUTING');
    if (event.attempt > 1) expect(event.message).toMatch(new RegExp(`^attempt ${event.attempt} after: \\S`));
  }
}

describe('retries of transient venue faults', () => {
  it('retries faulty attempts from ROUTING, at most 3 in all, and settles every order with one swap or a reason', async () => {
    const system = await systemForThisTest({ sim: { failRate: 0.35 } });
    const inputs = Array.from({ length: 50 }, (_, i) => BATCH[i % BATCH.length]!);

    const accepted = await Promise.all(inputs.map((input) => submitOrder(system.url, input)));
    const streams = await Promise.all(accepted.map((order) => followOrder(system.url, order.id)));
    const orders = await Promise.all(accepted.map(async ({ id }) => (await httpData(system.url, OrderDetails, { id })).order!));
    const swaps = await Promise.all(accepted.map(async ({ id }) => (await httpData(system.url, SimulatedSwaps, { orderId: id })).simulatedSwaps));

    for (const [i, order] of orders.entries()) {
      const events = streams[i]!;
      expectCompleteSequence(events);
      expectRetriesStartAtRouting(events);
      expect(order.status).toBe(events.at(-1)!.status);
      expect(order.attempts).toBe(events.at(-1)!.attempt);
      expect(order.attempts).toBeGreaterThanOrEqual(1);
      expect(order.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
      // a routing decision for exactly the attempts that got as far as building a transaction
      const built = events.filter((e) => e.status === 'BUILDING').map((e) => e.attempt);
      expect(order.routingDecisions.map((d) => d.attempt)).toEqual(built);
      if (order.status === 'FAILED') {
        expect(order.failureReason).toBeTruthy();
        expect(order.failureReason).toBe(events.at(-1)!.message);
        expect(swaps[i]).toEqual([]);
      } else {
        expect(order.failureReason).toBeNull();
        expect(swaps[i]!.map((s) => s.signature)).toEqual([order.txSignature]);
      }
    }
    // at this fault rate some order needs all three attempts (each attempt fails with p ≈ 0.43)
    const attemptsSeen = streams.map((events) => new Set(events.map((e) => e.attempt)));
    expect(attemptsSeen.some((seen) => seen.has(2) && seen.has(3))).toBe(true);
    // and some attempt went on with one venue's quote, the other's having faulted (p ≈ 0.46 each)
    expect(orders.some((order) => order.routingDecisions.some((d) => d.quotes.length === 1))).toBe(true);
  });

  it('gives up on a venue that has not quoted within QUOTE_TIMEOUT_MS, and fails the order after 3 attempts when neither has', async () => {
    const system = await systemForThisTest({ sim: { quoteMs: 1_000 }, engine: { quoteTimeoutMs: 50 } });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });

    const events = await followOrder(system.url, order.id);

    expect(events.map((e) => `${e.status} ${e.attempt}`)).toEqual(['PENDING 0', 'ROUTING 1', 'ROUTING 2', 'ROUTING 3', 'FAILED 3']);
    const { order: failed } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(failed!.failureReason).toMatch(/RAYDIUM.*no quote within 50 ms/);
    expect(failed!.failureReason).toMatch(/METEORA.*no quote within 50 ms/);
  });

  it('fails an order after exactly 3 attempts when every venue call faults, naming the fault', async () => {
    const system = await systemForThisTest({ sim: { failRate: 1 } });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });

    const events = await followOrder(system.url, order.id);

    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      ['PENDING', 0],
      ['ROUTING', 1],
      ['ROUTING', 2],
      ['ROUTING', 3],
      ['FAILED', 3],
    ]);
    const { order: failed } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, routingDecisions: [], txSignature: null, amountOut: null });
    expect(failed!.failureReason).toMatch(/quote request timed out/);
    expect(failed!.failureReason).toMatch(/gave up after 3 attempts/);
    expect((await httpData(system.url, SimulatedSwaps, { orderId: order.id })).simulatedSwaps).toEqual([]);
  });

  // what a retry could not change fails the order at its first attempt, with no swap and the reason
  it.each([
    { what: 'a pair that no venue lists', input: { tokenIn: 'BONK', tokenOut: 'JUP', amountIn: '1000000' }, reason: 'no venue has a pool for BONK → JUP' },
    {
      // one lamport: at about 150 USDC a SOL, 0.15 of USDC's smallest unit before fees
      what: 'an amount too small to give one base unit',
      input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.000000001' },
      reason: 'no venue can fill 0.000000001 SOL: RAYDIUM would give less than one base unit of USDC; METEORA would give less than one base unit of USDC',
    },
  ])('fails $what after one attempt, saying so, without retrying', async ({ input, reason }) => {
    const system = await systemForThisTest();
    const order = await submitOrder(system.url, input);

    const events = await followOrder(system.url, order.id);

    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      ['PENDING', 0],
      ['ROUTING', 1],
      ['FAILED', 1],
    ]);
    const { order: failed } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, routingDecisions: [], failureReason: reason });
    expect((await httpData(system.url, SimulatedSwaps, { orderId: order.id })).simulatedSwaps).toEqual([]);
  });
});
