// Two worker processes' markets on one simulated chain: each keeps its pools parsed between
// swaps, yet every quote and swap prices against the latest state in Redis, and a pool's state
// crosses the wire only when another process moved it.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseUnits } from '../../src/engine/money.js';
import type { Dex } from '../../src/engine/types.js';
import { createMarket, type Market } from '../../src/engine/venues/market.js';
import { POOL_MODELS, type PoolFields } from '../../src/engine/venues/pool-models.js';
import { PoolStore, type PoolVersion } from '../../src/engine/venues/pool-store.js';
import { PAIRS, pairId, type PoolRoute } from '../../src/engine/venues/pools.js';
import { createDatabase } from '../../src/infra/prisma.js';

const SOL_USDC = PAIRS.find((p) => pairId(p) === 'SOL-USDC')!;
const USDC_USDT = PAIRS.find((p) => pairId(p) === 'USDC-USDT')!;
const SOL = 10n ** 9n;
const USDC = 10n ** 6n;

let database: ReturnType<typeof createDatabase>;
const connections: Redis[] = [];
beforeAll(() => {
  database = createDatabase(process.env.DATABASE_URL!, { max: 4 });
});
afterAll(async () => {
  for (const redis of connections) redis.disconnect();
  await database.prisma.$disconnect();
});

function connect(): Redis {
  const redis = new Redis(process.env.REDIS_URL!);
  connections.push(redis);
  return redis;
}

interface Worker {
  market: Market;
  /** pool reads this worker's venues made */
  loads: () => number;
  /** of those, the ones whose reply carried the pool's state, not only its version */
  stateReads: () => number;
}

/** What one worker process holds: its own Redis connection and market, on the shared namespace. */
function worker(namespace: string): Worker {
  const sim = { ...loadConfig({}).sim, quoteMs: 0, confirmMs: { min: 0, max: 0 }, failRate: 0, flowIntervalMs: 0, namespace };
  const market = createMarket(connect(), database, sim);
  let loads = 0;
  let stateReads = 0;
  const load = market.store.load.bind(market.store) as (dex: Dex, id: string, known?: PoolVersion) => ReturnType<PoolStore['load']>;
  market.store.load = (async (dex: Dex, id: string, known?: PoolVersion) => {
    const read = await load(dex, id, known);
    loads++;
    if (read?.fields != null) stateReads++;
    return read;
  }) as PoolStore['load'];
  return { market, loads: () => loads, stateReads: () => stateReads };
}

const swap = (w: Worker, dex: Dex, route: PoolRoute, amountIn: bigint, minAmountOut = 0n) =>
  w.market.venue(dex).submit({ signature: randomUUID(), orderId: randomUUID(), route, amountIn, minAmountOut });

/** What a fresh parse of the state Redis holds right now gives for the swap. */
async function expectedSwap(observer: PoolStore, dex: Dex, route: PoolRoute, amountIn: bigint) {
  const model = POOL_MODELS[dex];
  const pool = (await observer.load(dex, pairId(route.pair)))!;
  return { pool, outcome: model.swap(model.fromFields(pool.fields), route.aToB, amountIn) };
}

for (const dex of ['RAYDIUM', 'METEORA'] as const) {
  it(`prices every quote and swap against the latest ${dex} state while two processes take turns on a pool`, async () => {
    const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
    const workers = [worker(namespace), worker(namespace)] as const;
    const observer = new PoolStore(connect(), namespace);
    const model = POOL_MODELS[dex];
    const stateAt = new Map<string, unknown>();
    // runs of one and of several swaps by the same process, past a journal snapshot (version 16)
    const turns = [0, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0];

    for (const [i, turn] of turns.entries()) {
      const own = workers[turn]!;
      const other = workers[1 - turn]!;
      if (i % 5 === 4) {
        // background flow in the other process moves the pool between this process's swaps
        const before = (await observer.load(dex, pairId(SOL_USDC)))!;
        await other.market.venue(dex).backgroundSwap(SOL_USDC, () => ({ aToB: true, amountIn: 20n * SOL }));
        const moved = (await observer.load(dex, pairId(SOL_USDC)))!;
        expect(moved.version).toBe((BigInt(before.version) + 1n).toString());
        stateAt.set(moved.version, model.fromFields(moved.fields));
      }
      const route = { pair: SOL_USDC, aToB: i % 3 !== 0 };
      const amountIn = route.aToB ? BigInt(i + 1) * 50n * SOL : BigInt(i + 1) * 7_500n * USDC;

      const quote = await own.market.venue(dex).quote(route, amountIn);
      const { pool, outcome } = await expectedSwap(observer, dex, route, amountIn);
      expect(quote.amountOut).toBe(outcome.amountOut);
      expect(quote.fee).toBe(outcome.fee);
      expect(outcome.amountOut).toBeGreaterThan(0n);

      // no slippage allowed: the swap executes only at exactly the fresh parse's price
      const record = await swap(own, dex, route, amountIn, outcome.amountOut);
      expect(BigInt(record.amountOut)).toBe(outcome.amountOut);
      const after = (await observer.load(dex, pairId(SOL_USDC)))!;
      expect(after.version).toBe((BigInt(pool.version) + 1n).toString());
      expect(model.fromFields(after.fields)).toEqual(outcome.next);
      stateAt.set(after.version, outcome.next);
    }

    // the journal's snapshot is the state Redis held at that version
    const journaled = (await workers[0].market.journal.latestPool(dex, pairId(SOL_USDC)))!;
    expect(BigInt(journaled.version)).toBeGreaterThanOrEqual(16n);
    expect(stateAt.has(journaled.version)).toBe(true);
    expect(model.parse(journaled.state)).toEqual(stateAt.get(journaled.version));
  });
}

it("receives only a pool's version, never its state, when the pool's last swap was its own", async () => {
  const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
  const [a, b] = [worker(namespace), worker(namespace)];
  const venue = a.market.venue('METEORA');
  const route = { pair: USDC_USDT, aToB: true };
  const amountIn = 1_000n * USDC;

  await venue.quote(route, amountIn); // seeds the pool: its state is read once
  await swap(a, 'METEORA', route, amountIn);
  await venue.quote(route, amountIn);
  await swap(a, 'METEORA', route, amountIn);
  await venue.quote(route, amountIn);
  // every quote asked Redis (the seeding counts one read that found no pool), one read carried
  // the state, and the swaps asked nothing: their compare-and-set checks the state they priced on
  expect(a.loads()).toBe(4);
  expect(a.stateReads()).toBe(1);

  await swap(b, 'METEORA', route, amountIn); // another process moves the pool
  expect(b.stateReads()).toBe(1);
  await venue.quote(route, amountIn);
  expect(a.stateReads()).toBe(2);
  await swap(a, 'METEORA', route, amountIn);
  await venue.quote(route, amountIn);
  expect(a.loads()).toBe(6);
  expect(a.stateReads()).toBe(2);
});

it('prices a swap again on the state Redis has when its process held an older one, and refuses slippage only on that', async () => {
  const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
  const [a, b] = [worker(namespace), worker(namespace)];
  const observer = new PoolStore(connect(), namespace);
  const route = { pair: SOL_USDC, aToB: true };
  const amountIn = 100n * SOL;
  await swap(a, 'RAYDIUM', route, amountIn);
  const heldByA = (await observer.load('RAYDIUM', pairId(SOL_USDC)))!;

  // b sells SOL into the pool: what a holds now prices SOL higher than the pool does
  await swap(b, 'RAYDIUM', route, 5_000n * SOL);
  const stale = POOL_MODELS.RAYDIUM.swap(POOL_MODELS.RAYDIUM.fromFields(heldByA.fields), route.aToB, amountIn);
  const { outcome } = await expectedSwap(observer, 'RAYDIUM', route, amountIn);
  expect(outcome.amountOut).toBeLessThan(stale.amountOut);

  // a minimum between the two: the stale state would have filled it, the pool does not
  const reads = a.stateReads();
  await expect(swap(a, 'RAYDIUM', route, amountIn, (outcome.amountOut + stale.amountOut) / 2n)).rejects.toThrow(/below the minimum/);
  expect(a.stateReads()).toBe(reads + 1);
  // a minimum the pool fills: executed at the pool's price, not at the stale one
  const record = await swap(a, 'RAYDIUM', route, amountIn, outcome.amountOut);
  expect(BigInt(record.amountOut)).toBe(outcome.amountOut);
  const after = (await observer.load('RAYDIUM', pairId(SOL_USDC)))!;
  expect(POOL_MODELS.RAYDIUM.fromFields(after.fields)).toEqual(outcome.next);

  // now b buys SOL: what a holds prices SOL lower than the pool does, and would refuse a minimum
  // that the pool fills; the swap executes
  await swap(b, 'RAYDIUM', { pair: SOL_USDC, aToB: false }, 2_000_000n * USDC);
  const lower = POOL_MODELS.RAYDIUM.swap(POOL_MODELS.RAYDIUM.fromFields(after.fields), route.aToB, amountIn);
  const higher = (await expectedSwap(observer, 'RAYDIUM', route, amountIn)).outcome;
  expect(higher.amountOut).toBeGreaterThan(lower.amountOut);
  const filled = await swap(a, 'RAYDIUM', route, amountIn, (lower.amountOut + higher.amountOut) / 2n);
  expect(BigInt(filled.amountOut)).toBe(higher.amountOut);
});

it('never trusts a held state whose version number came back after Redis lost the pool', async () => {
  const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
  const [a, b] = [worker(namespace), worker(namespace)];
  const observerRedis = connect();
  const observer = new PoolStore(observerRedis, namespace);
  const id = pairId(USDC_USDT);
  const amountIn = 100_000n * USDC;

  for (let i = 0; i < 3; i++) await swap(a, 'RAYDIUM', { pair: USDC_USDT, aToB: true }, amountIn);
  const held = (await observer.load('RAYDIUM', id))!;
  expect(held.version).toBe('3');

  // Redis loses the namespace; no journal snapshot yet, so the pool starts over at genesis
  const keys = await observerRedis.keys(`${namespace}:*`);
  await observerRedis.del(...keys);
  for (let i = 0; i < 3; i++) await swap(b, 'RAYDIUM', { pair: USDC_USDT, aToB: false }, amountIn);
  const route = { pair: USDC_USDT, aToB: true };
  const { pool, outcome } = await expectedSwap(observer, 'RAYDIUM', route, amountIn);
  expect(pool.version).toBe(held.version);
  expect(pool.fields).not.toEqual(held.fields);

  // a still holds version 3 of the pool before the loss: same number, another state
  const quote = await a.market.venue('RAYDIUM').quote(route, amountIn);
  const stale = POOL_MODELS.RAYDIUM.swap(POOL_MODELS.RAYDIUM.fromFields(held.fields), route.aToB, amountIn);
  expect(stale.amountOut).not.toBe(outcome.amountOut);
  expect(quote.amountOut).toBe(outcome.amountOut);
  const record = await swap(a, 'RAYDIUM', route, amountIn, outcome.amountOut);
  expect(BigInt(record.amountOut)).toBe(outcome.amountOut);
});

it('never commits a swap priced on a held state whose version number came back after Redis lost the pool', async () => {
  const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
  const [a, b] = [worker(namespace), worker(namespace)];
  const observerRedis = connect();
  const observer = new PoolStore(observerRedis, namespace);
  const route = { pair: USDC_USDT, aToB: true };
  const amountIn = 100_000n * USDC;
  for (let i = 0; i < 3; i++) await swap(a, 'RAYDIUM', route, amountIn);
  const held = (await observer.load('RAYDIUM', pairId(USDC_USDT)))!;

  await observerRedis.del(...(await observerRedis.keys(`${namespace}:*`)));
  for (let i = 0; i < 3; i++) await swap(b, 'RAYDIUM', { pair: USDC_USDT, aToB: false }, amountIn);
  const { pool, outcome } = await expectedSwap(observer, 'RAYDIUM', route, amountIn);
  expect(pool.version).toBe(held.version);
  expect(pool.epoch).not.toBe(held.epoch);

  // a swaps without quoting first: the commit names version and epoch, so a's old state is refused
  const record = await swap(a, 'RAYDIUM', route, amountIn);
  expect(BigInt(record.amountOut)).toBe(outcome.amountOut);
  expect(POOL_MODELS.RAYDIUM.fromFields((await observer.load('RAYDIUM', pairId(USDC_USDT)))!.fields)).toEqual(outcome.next);
});

it('rewrites in Redis only the fields a swap changed: the bins it crossed, not the whole pool', async () => {
  const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
  const w = worker(namespace);
  const redis = connect();
  const key = `${namespace}:pool:METEORA:${pairId(SOL_USDC)}`;
  const route = { pair: SOL_USDC, aToB: true };
  await w.market.venue('METEORA').quote(route, SOL); // seeds the pool
  const before = await redis.hgetall(key);

  const sent: PoolFields[] = [];
  const commit = w.market.store.commit.bind(w.market.store);
  w.market.store.commit = (input) => {
    sent.push(input.changes);
    return commit(input);
  };
  // a tenth of the pool's depth crosses several bins
  await swap(w, 'METEORA', route, parseUnits(SOL_USDC.depthA, 9) / 10n);
  const after = await redis.hgetall(key);

  expect(sent).toHaveLength(1);
  const changed = Object.keys(sent[0]!);
  expect(changed).toContain('activeId');
  expect(changed.length).toBeGreaterThan(2);
  expect(changed.length).toBeLessThan(Object.keys(before).length / 4);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  const rewritten = Object.keys(after).filter((name) => after[name] !== before[name]);
  expect(rewritten.sort()).toEqual(['@version', ...changed].sort());
});

it('replaces a pool stored in the layout before field-wise commits, as if Redis had lost it', async () => {
  const namespace = `pool-cache-${randomUUID().slice(0, 8)}`;
  const redis = connect();
  const key = `${namespace}:pool:RAYDIUM:${pairId(SOL_USDC)}`;
  await redis.hset(key, 'state', '{"reserveA":"1000","reserveB":"1000","feeBps":25}', 'version', '7', 'epoch', 'e0');

  const w = worker(namespace);
  const route = { pair: SOL_USDC, aToB: true };
  const quote = await w.market.venue('RAYDIUM').quote(route, SOL);
  // this namespace has no journal: the pool starts over at genesis
  const genesis = POOL_MODELS.RAYDIUM.seed(SOL_USDC, 0);
  expect(quote.amountOut).toBe(POOL_MODELS.RAYDIUM.swap(genesis, route.aToB, SOL).amountOut);
  expect(await redis.hget(key, 'state')).toBeNull();
  expect(await redis.hget(key, '@version')).toBe('0');
});
