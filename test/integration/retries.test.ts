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
import { sample, scrape } from '../support/metrics.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { expectCompleteSequence, followOrder, submitOrder, systemForThisTest, type StreamedEvent, type SystemUnderTest } from '../support/orders.js';
import { FAST_STALL, roleEnv, startRole } from '../support/processes.js';

const MAX_ATTEMPTS = 3;
/** The events of an order that a retry could not help: failed in its first attempt. */
const FAILED_AT_ONCE = [
  ['PENDING', 0],
  ['ROUTING', 1],
  ['FAILED', 1],
];

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
    // at this fault rate some order needs all three attempts (each attempt fails with p ≈ 0.6: a
    // quote missing, of two, p ≈ 0.58, or its submit faulting)
    const attemptsSeen = streams.map((events) => new Set(events.map((e) => e.attempt)));
    expect(attemptsSeen.some((seen) => seen.has(2) && seen.has(3))).toBe(true);
    // A venue's quote missing retries the attempt: an order is routed on every venue's quote,
    // but on its last attempt, which goes on with the quotes it has and says which is missing.
    for (const order of orders) {
      for (const decision of order.routingDecisions) {
        if (decision.attempt < MAX_ATTEMPTS) expect(decision.quotes).toHaveLength(2);
        if (decision.quotes.length === 1) expect(decision.reason).toMatch(/^only (RAYDIUM|METEORA) answered, on the last attempt \((RAYDIUM|METEORA): /);
      }
    }
    const events = streams.flat();
    const missing = events.filter((e) => /^attempt [23] after: a venue did not quote \((RAYDIUM|METEORA): .*\); routing waits for every venue's quote while attempts remain$/.test(e.message ?? ''));
    expect(missing.length).toBeGreaterThan(0);
    // counted apart from attempts that had no quote at all
    const metrics = await scrape(new URL('/metrics', system.url));
    expect(sample(metrics, 'dex_order_retries_total', { cause: 'missing_quote' })).toBe(missing.length);
    // p ≈ 0.16 per order (reaching attempt 3, then one quote of two)
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

  it('routes an order more than one pool can take to the other venue, showing the first quote as unfillable, with no fee', async () => {
    const system = await systemForThisTest();
    // Meteora's SOL/USDC bins run out well before this; Raydium's constant product takes any amount
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '100000', slippageBps: 5_000 });

    const events = await followOrder(system.url, order.id);

    expect(events.at(-1)!.status).toBe('CONFIRMED');
    const { order: filled } = await httpData(system.url, OrderDetails, { id: order.id });
    const [decision] = filled!.routingDecisions;
    expect(decision).toMatchObject({ chosenDex: 'RAYDIUM', reason: 'only RAYDIUM returned a non-zero amount' });
    expect(decision!.quotes.find((q) => q.dex === 'METEORA')).toEqual({ dex: 'METEORA', amountOut: '0', fee: '0', priceImpactBps: 0, unfillable: 'TOO_LARGE' });
    expect(decision!.quotes.find((q) => q.dex === 'RAYDIUM')).toMatchObject({ unfillable: null });
  });

  it('never quotes an output larger than an order can store, and routes to the venue that pays a storable one', async () => {
    const system = await systemForThisTest();
    // Two sales of the largest amount of JUP take Raydium's JUP/SOL pool past 2^64 JUP base units
    // (Meteora's bins cannot take them); a SOL sale there would then pay out more JUP than a
    // PostgreSQL bigint holds, and an order routed to it could never store its decision or output.
    for (let i = 0; i < 2; i++) {
      const sale = await submitOrder(system.url, { tokenIn: 'JUP', tokenOut: 'SOL', amountIn: '9223372036854.775807', slippageBps: 5_000 });
      const events = await followOrder(system.url, sale.id);
      expect(events.at(-1)).toMatchObject({ status: 'CONFIRMED' });
    }

    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'JUP', amountIn: '1' });
    const events = await followOrder(system.url, order.id);

    expect(events.map((e) => e.status)).toEqual(['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED']);
    const { order: filled } = await httpData(system.url, OrderDetails, { id: order.id });
    const [decision] = filled!.routingDecisions;
    expect(decision).toMatchObject({ chosenDex: 'METEORA', reason: 'only METEORA returned a non-zero amount' });
    expect(decision!.quotes.find((q) => q.dex === 'RAYDIUM')).toEqual({ dex: 'RAYDIUM', amountOut: '0', fee: '0', priceImpactBps: 0, unfillable: 'TOO_LARGE' });
    const [swap] = (await httpData(system.url, SimulatedSwaps, { orderId: order.id })).simulatedSwaps;
    expect(swap).toMatchObject({ dex: 'METEORA', amountOut: filled!.amountOut });
  });

  it("never executes on a quote whose price impact is above the order's maxPriceImpactBps, and fails at once when every venue's is", async () => {
    const system = await systemForThisTest();
    // 1,000 SOL moves either pool by far more than 1 bp; 0.01 SOL by less than 10
    const refused = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1000', maxPriceImpactBps: 1 });
    const small = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.01', maxPriceImpactBps: 10 });

    const events = await followOrder(system.url, refused.id);
    expect(events.map((e) => [e.status, e.attempt])).toEqual(FAILED_AT_ONCE);
    const { order: failed } = await httpData(system.url, OrderDetails, { id: refused.id });
    expect(failed).toMatchObject({ status: 'FAILED', maxPriceImpactBps: 1, routingDecisions: [] });
    expect(failed!.failureReason).toMatch(
      /^no venue can fill 1000 SOL within the order's price impact limit of 1 bps: RAYDIUM's price impact would be \d+ bps; METEORA('s price impact would be \d+ bps| has too little liquidity for it)$/,
    );
    expect((await httpData(system.url, SimulatedSwaps, { orderId: refused.id })).simulatedSwaps).toEqual([]);

    expect((await followOrder(system.url, small.id)).at(-1)!.status).toBe('CONFIRMED');
    const { order: filled } = await httpData(system.url, OrderDetails, { id: small.id });
    expect(filled!.maxPriceImpactBps).toBe(10);
    const chosen = filled!.routingDecisions[0]!.quotes.find((q) => q.dex === filled!.dex)!;
    expect(chosen.priceImpactBps).toBeLessThanOrEqual(10);

    // Meteora's deep bins take 1,000 SOL at a few bps, Raydium's pool at a couple of hundred
    const choosy = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1000', maxPriceImpactBps: 100 });
    expect((await followOrder(system.url, choosy.id)).at(-1)!.status).toBe('CONFIRMED');
    const { order: passedOver } = await httpData(system.url, OrderDetails, { id: choosy.id });
    const [decision] = passedOver!.routingDecisions;
    expect(decision!.chosenDex).toBe('METEORA');
    expect(decision!.reason).toMatch(/^RAYDIUM passed over: its price impact of \d{3,} bps is above the order's limit of 100 bps; METEORA is within it$/);
    // both quotes are kept, the one passed over too
    expect(decision!.quotes.map((q) => q.dex).sort()).toEqual(['METEORA', 'RAYDIUM']);
  });

  it.each([
    { limit: 'a limit equal to the impact: within it', offset: 0, passedOver: false },
    { limit: 'a limit one basis point below it: passed over', offset: -1, passedOver: true },
  ])("judges a quote's price impact against maxPriceImpactBps at the boundary, $limit", async ({ offset, passedOver }) => {
    const system = await systemForThisTest();
    // quoted on the order's fresh pool, which a quote does not move: the order's own quote is this one
    const raydium = await system.runtime.market.venue('RAYDIUM').quote(findPair('SOL', 'USDC')!, 1_000n * 10n ** 9n);
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1000', maxPriceImpactBps: raydium.priceImpactBps + offset });

    expect((await followOrder(system.url, order.id)).at(-1)!.status).toBe('CONFIRMED');
    const { order: filled } = await httpData(system.url, OrderDetails, { id: order.id });
    const [decision] = filled!.routingDecisions;
    expect(decision!.quotes.find((q) => q.dex === 'RAYDIUM')!.priceImpactBps).toBe(raydium.priceImpactBps);
    expect(decision!.reason.startsWith('RAYDIUM passed over')).toBe(passedOver);
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

    expect(events.map((e) => [e.status, e.attempt])).toEqual(FAILED_AT_ONCE);
    const { order: failed } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, routingDecisions: [], failureReason: reason });
    expect((await httpData(system.url, SimulatedSwaps, { orderId: order.id })).simulatedSwaps).toEqual([]);
  });
});


/**
 * Trades the pool the order's attempt chose, in the order's direction, until the order's own swap
 * would get less than `below` (the attempt's minimum unless given), with trades from `firstStep`
 * (the order's amount unless given) on. Returns the order as it stood (BUILDING).
 */
async function movePoolPastMinimum(system: SystemUnderTest, orderId: string, { below, firstStep }: { below?: bigint; firstStep?: bigint } = {}) {
  const order = (await system.runtime.store.findById(orderId))!;
  expect(order.status).toBe('BUILDING');
  const venue = system.runtime.market.venue(order.dex!);
  const route = findPair(order.tokenIn, order.tokenOut)!;
  const bound = below ?? order.minAmountOut!;
  let step = firstStep ?? order.amountIn;
  for (let trades = 0; (await venue.quote(route, order.amountIn)).amountOut >= bound; trades++) {
    if (trades > 40) throw new Error(`${order.dex}'s pool did not move past ${bound}`);
    try {
      await venue.submit({ signature: randomUUID(), orderId: randomUUID(), route, amountIn: step, minAmountOut: 0n });
      step *= 2n;
    } catch (error) {
      // more than the pool can fill: trade less
      if (!(error instanceof SlippageExceededError)) throw error;
      step /= 2n;
    }
  }
  return order;
}

/** Kills a worker once the order's next attempt is BUILDING, then moves that attempt's pool past its minimum (or `options.below`). */
async function buildThenMovePool(system: SystemUnderTest, orderId: string, options: Parameters<typeof movePoolPastMinimum>[2] = {}) {
  const worker = await startRole('worker', { ...roleEnv(system.config, FAST_STALL), ENGINE_FAILPOINTS: 'after-build' });
  expect((await worker.exited).signal).toBe('SIGKILL');
  return movePoolPastMinimum(system, orderId, options);
}

describe('slippage refusals', () => {
  // in whole units of tokenOut, as every message a person reads
  const refusal = /^attempt \d after: (RAYDIUM|METEORA) rejected the swap: output \d+(\.\d+)? (USDC|SOL) is below the minimum \d+(\.\d+)? \3$/;

  it('refuse a swap whose pool moved past its minimum, and the order fills on a fresh quote', async () => {
    const system = await systemForThisTest({ worker: false });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '3', slippageBps: 10 });
    const refused = await buildThenMovePool(system, order.id);
    await startRole('worker', roleEnv(system.config, FAST_STALL));

    const events = await followOrder(system.url, order.id);
    expect(events.map((e) => `${e.status} ${e.attempt}`)).toEqual(['PENDING 0', 'ROUTING 1', 'BUILDING 1', 'ROUTING 2', 'BUILDING 2', 'SUBMITTED 2', 'CONFIRMED 2']);
    expect(events[3]!.message).toMatch(refusal);
    // in base units, from the store
    const filled = (await system.runtime.store.findById(order.id))!;
    expect(filled).toMatchObject({ status: 'CONFIRMED', attempts: 2, failureReason: null });
    // the second attempt quoted the moved pool: its minimum is below the refused one's
    const [first, second] = await system.runtime.store.routingDecisions(order.id);
    expect([first!.attempt, second!.attempt]).toEqual([1, 2]);
    expect(first!.minAmountOut).toBe(refused.minAmountOut);
    expect(second!.minAmountOut).toBeLessThan(refused.minAmountOut!);
    expect(filled.amountOut).toBeGreaterThanOrEqual(second!.minAmountOut);
    // one swap, the second attempt's: the refused one never executed
    const { simulatedSwaps } = await httpData(system.url, SimulatedSwaps, { orderId: order.id });
    expect(simulatedSwaps.map((s) => s.signature)).toEqual([filled.txSignature]);
    expect(filled.txSignature).not.toBe(refused.txSignature);
  });

  it('never settle an order for nothing: an expected output of one base unit is guarded by a minimum of one, not rounded down to 0', async () => {
    const system = await systemForThisTest({ worker: false });
    // 850 base units of BONK buy one lamport (about 1.1 before rounding) on either venue; at the
    // default 50 bps a minimum rounded down was 0, which any swap meets, one that pays nothing too
    const order = await submitOrder(system.url, { tokenIn: 'BONK', tokenOut: 'SOL', amountIn: '0.0085' });
    // the chosen pool sold down until the order's 850 units would buy nothing at all
    const built = await buildThenMovePool(system, order.id, { below: 1n, firstStep: 10n ** 9n });
    await startRole('worker', roleEnv(system.config, FAST_STALL));

    const events = await followOrder(system.url, order.id);
    // refused on the moved pool, then filled on the venue nobody moved, which still pays one lamport
    expect(events.map((e) => `${e.status} ${e.attempt}`)).toEqual(['PENDING 0', 'ROUTING 1', 'BUILDING 1', 'ROUTING 2', 'BUILDING 2', 'SUBMITTED 2', 'CONFIRMED 2']);
    expect(events[3]!.message).toMatch(/rejected the swap: output 0 SOL is below the minimum 0\.000000001 SOL$/);
    const { order: filled } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(filled!.amountOut).toBe('0.000000001');
    expect(filled!.routingDecisions.map((d) => [d.expectedAmountOut, d.minAmountOut])).toEqual([
      ['0.000000001', '0.000000001'],
      ['0.000000001', '0.000000001'],
    ]);
    expect(filled!.routingDecisions[1]!.chosenDex).not.toBe(built.dex);
    const { simulatedSwaps } = await httpData(system.url, SimulatedSwaps, { orderId: order.id });
    expect(simulatedSwaps.map((s) => s.amountOut)).toEqual(['0.000000001']);
  });

  it('say that the pool can no longer take the whole amount, not that an output above the minimum is below it, when liquidity ran out since the quote', async () => {
    const system = await systemForThisTest({ worker: false });
    // Meteora's deep bins take 1,000 SOL within 100 bps of impact, Raydium's pool does not
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1000', slippageBps: 5_000, maxPriceImpactBps: 100 });
    const worker = await startRole('worker', { ...roleEnv(system.config, FAST_STALL), ENGINE_FAILPOINTS: 'after-build' });
    expect((await worker.exited).signal).toBe('SIGKILL');
    const built = (await system.runtime.store.findById(order.id))!;
    expect(built.dex).toBe('METEORA');
    // another trader sells all but about 700 SOL's worth of the bins' USDC: the order's 1,000 SOL
    // would now fill about 70 % and pay out about that, above its 50 % minimum
    const venue = system.runtime.market.venue('METEORA');
    const route = findPair('SOL', 'USDC')!;
    let [fills, refused] = [built.amountIn, built.amountIn * 1_000n];
    while (refused - fills > 10n ** 9n) {
      const middle = (fills + refused) / 2n;
      if ((await venue.quote(route, middle)).unfillable) refused = middle;
      else fills = middle;
    }
    await venue.submit({ signature: randomUUID(), orderId: randomUUID(), route, amountIn: fills - 700n * 10n ** 9n, minAmountOut: 0n });
    await startRole('worker', roleEnv(system.config, FAST_STALL));

    const events = await followOrder(system.url, order.id);
    expect(events.slice(0, 4).map((e) => `${e.status} ${e.attempt}`)).toEqual(['PENDING 0', 'ROUTING 1', 'BUILDING 1', 'ROUTING 2']);
    expect(events[3]!.message).toMatch(/^attempt 2 after: METEORA rejected the swap: its pool can no longer take all of 1000 SOL \(it would take \d+(\.\d+)? SOL\): its liquidity moved since the quote$/);
    expect((await httpData(system.url, SimulatedSwaps, { orderId: order.id })).simulatedSwaps.length).toBeLessThanOrEqual(1);
  });

  it('fail the order with the reason once all 3 attempts are refused, having swapped nothing', async () => {
    const system = await systemForThisTest({ worker: false });
    const order = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '250', slippageBps: 10 });
    // each worker resumes the attempt before (refused), retries, and is killed at the next BUILDING
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect((await buildThenMovePool(system, order.id)).attempts).toBe(attempt);
    }
    await startRole('worker', roleEnv(system.config, FAST_STALL));

    const events = await followOrder(system.url, order.id);
    expect(events.map((e) => `${e.status} ${e.attempt}`)).toEqual([
      'PENDING 0', 'ROUTING 1', 'BUILDING 1', 'ROUTING 2', 'BUILDING 2', 'ROUTING 3', 'BUILDING 3', 'FAILED 3',
    ]);
    expect(events[3]!.message).toMatch(refusal);
    expect(events[5]!.message).toMatch(refusal);
    const { order: failed } = await httpData(system.url, OrderDetails, { id: order.id });
    // no signature and no venue: the last attempt's transaction was built, and refused, never executed
    // (its routing decision still names the venue it chose)
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, amountOut: null, txSignature: null, dex: null });
    expect(failed!.routingDecisions.at(-1)).toMatchObject({ attempt: 3, chosenDex: expect.stringMatching(/^(RAYDIUM|METEORA)$/) });
    expect(failed!.failureReason).toMatch(/rejected the swap: output \d+(\.\d+)? SOL is below the minimum \d+(\.\d+)? SOL \(gave up after 3 attempts\)$/);
    expect((await httpData(system.url, SimulatedSwaps, { orderId: order.id })).simulatedSwaps).toEqual([]);
  });
});
