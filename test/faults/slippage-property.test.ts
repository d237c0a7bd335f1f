// Thousands of random orders against the shared pools while background flow trades between
// their quotes and their swaps: the slippage guard always holds and no pool invariant breaks.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SlippageExceededError } from '../../src/engine/errors.js';
import { chooseRoute } from '../../src/engine/routing.js';
import { minAmountOut } from '../../src/engine/slippage.js';
import { tokenBySymbol } from '../../src/engine/tokens.js';
import { createMarket, type Market } from '../../src/engine/venues/market.js';
import { MarketFlow } from '../../src/engine/venues/market-flow.js';
import { meteoraModel, raydiumModel, type PoolFields } from '../../src/engine/venues/pool-models.js';
import { PAIRS, routeTokens } from '../../src/engine/venues/pools.js';
import type { Dex } from '../../src/engine/types.js';
import { createDatabase } from '../../src/infra/prisma.js';

const ORDERS_PER_RUN = 250;
const RUNS = 8;

let redis: Redis;
let database: ReturnType<typeof createDatabase>;
beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL!);
  database = createDatabase(process.env.DATABASE_URL!, { max: 4 });
});
afterAll(async () => {
  redis.disconnect();
  await database.prisma.$disconnect();
});

const violations: string[] = [];

/** Checks every committed pool transition: k never decreases, no bin reserve goes negative. */
function watchInvariants(market: Market): { transitions: () => number } {
  let transitions = 0;
  const commit = market.store.commit.bind(market.store);
  market.store.commit = async (input) => {
    const before = await market.store.load(input.dex, input.pairId);
    const result = await commit(input);
    // the CAS succeeded against `expected`, so a `before` at that version and epoch is the swap's base
    if (result.kind === 'committed' && before?.version === input.expected.version && before.epoch === input.expected.epoch) {
      transitions++;
      // the pool now holds its fields before the swap with the swap's changes written over them
      checkTransition(input.dex, input.pairId, before.fields, { ...before.fields, ...input.changes });
    }
    return result;
  };
  return { transitions: () => transitions };
}

function checkTransition(dex: Dex, pool: string, before: PoolFields, after: PoolFields) {
  if (dex === 'RAYDIUM') {
    const [a, b] = [raydiumModel.fromFields(before), raydiumModel.fromFields(after)];
    if (b.reserveA * b.reserveB < a.reserveA * a.reserveB) violations.push(`${pool}: k decreased`);
    if (b.reserveA <= 0n || b.reserveB <= 0n) violations.push(`${pool}: reserve not positive`);
  } else {
    for (const [id, bin] of Object.entries(meteoraModel.fromFields(after).bins)) {
      if (bin.x < 0n || bin.y < 0n) violations.push(`${pool} bin ${id}: negative reserve`);
    }
  }
}

const orderArbitrary = fc.record({
  pair: fc.integer({ min: 0, max: PAIRS.length - 1 }),
  aToB: fc.boolean(),
  /** size in millionths of the pool's depth: from dust to 2% of it */
  sizePpm: fc.integer({ min: 1, max: 20_000 }),
  slippageBps: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
});

it(`never confirms a swap below its minAmountOut, nor breaks a pool, over ${ORDERS_PER_RUN * RUNS} random orders with background flow`, async () => {
  const sim = { ...loadConfig({}).sim, quoteMs: 0, confirmMs: { min: 0, max: 0 }, flowIntervalMs: 0, namespace: `prop-${randomUUID().slice(0, 8)}` };
  const market = createMarket(redis, database, sim);
  const watched = watchInvariants(market);
  const flow = new MarketFlow(redis, market, sim);
  let executed = 0;
  let rejected = 0;

  await fc.assert(
    fc.asyncProperty(fc.array(orderArbitrary, { minLength: ORDERS_PER_RUN, maxLength: ORDERS_PER_RUN }), async (orders) => {
      let trading = true;
      // background flow trading as fast as it can, between quotes and swaps
      const background = (async () => {
        while (trading) await flow.trade();
      })();
      try {
        await Promise.all(
          orders.map(async ({ pair: index, aToB, sizePpm, slippageBps }) => {
            const pair = PAIRS[index]!;
            const route = { pair, aToB };
            // sized against the Raydium pool's current reserve of the token sold
            const reserve = raydiumModel.parse((await market.venue('RAYDIUM').pool({ pair })).state);
            const amountIn = ((aToB ? reserve.reserveA : reserve.reserveB) * BigInt(sizePpm)) / 1_000_000n;
            if (amountIn <= 0n) return;
            const quotes = await Promise.all(market.venues.map((venue) => venue.quote(route, amountIn)));
            const { tokenIn, tokenOut } = routeTokens(route);
            const choice = chooseRoute(quotes, { tokenIn: tokenBySymbol(tokenIn), tokenOut: tokenBySymbol(tokenOut) });
            if (!choice) return;
            const minimum = minAmountOut(choice.chosen.amountOut, slippageBps);
            try {
              const swap = await market.venue(choice.chosen.dex).submit({ signature: randomUUID(), orderId: randomUUID(), route, amountIn, minAmountOut: minimum });
              executed++;
              expect(BigInt(swap.amountOut)).toBeGreaterThanOrEqual(minimum);
            } catch (error) {
              if (!(error instanceof SlippageExceededError)) throw error;
              rejected++;
            }
          }),
        );
      } finally {
        trading = false;
        await background;
      }
      expect(violations).toEqual([]);
    }),
    { numRuns: RUNS, seed: 20261122 },
  );

  console.info(`[slippage property] ${executed} swaps executed, ${rejected} rejected by the guard, ${watched.transitions()} pool transitions checked`);
  // half the orders allow no slippage at all, so many are refused; the rest mostly execute
  expect(executed).toBeGreaterThan(ORDERS_PER_RUN * RUNS * 0.25);
  // the flow really did move prices under some orders: the guard had something to refuse
  expect(rejected).toBeGreaterThan(0);
});
