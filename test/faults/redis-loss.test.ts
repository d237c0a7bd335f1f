// Redis loses everything (FLUSHALL, or a restart of a server that keeps nothing on disk):
// PostgreSQL is the system of record, so no order is stranded and none runs twice.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { deserializeDlmm } from '../../src/engine/venues/meteora-math.js';
import { POOL_MODELS } from '../../src/engine/venues/pool-models.js';
import { PAIRS, pairId } from '../../src/engine/venues/pools.js';
import { deserializeCp } from '../../src/engine/venues/raydium-math.js';
import type { Dex } from '../../src/engine/types.js';
import { TERMINAL, submitOrder, systemForThisTest, waitForStoredStatus, type SystemUnderTest } from '../support/orders.js';
import { ownDatabase } from '../support/own-database.js';
import { ownRedis } from '../support/own-redis.js';

const RECOVERY = { reconcileIntervalMs: 300, reconcileIdleMs: 500, jobLockMs: 2000, stalledIntervalMs: 1000 };

async function submitBatch(system: SystemUnderTest, count: number) {
  const pairs = [['SOL', 'USDC', '2'], ['USDC', 'SOL', '300'], ['JUP', 'USDC', '500'], ['BONK', 'SOL', '5000000']] as const;
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const [tokenIn, tokenOut, amountIn] = pairs[i % pairs.length]!;
      return submitOrder(system.url, { tokenIn, tokenOut, amountIn });
    }),
  );
}

type Fault = 'FLUSHALL' | 'restart';

async function loseRedis(redis: Awaited<ReturnType<typeof ownRedis>>, fault: Fault) {
  if (fault === 'FLUSHALL') {
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
  } else {
    await redis.restart();
  }
}

/** Every order CONFIRMED once: one swap on the venue's journal, events 1..n ending in one CONFIRMED. */
async function expectEachExecutedOnce(system: SystemUnderTest, ids: string[]) {
  for (const id of ids) {
    const order = await system.runtime.store.findById(id);
    expect(order!.status).toBe('CONFIRMED');
    const events = await system.runtime.store.eventsAfter(id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.status === 'CONFIRMED')).toHaveLength(1);
    const swaps = await system.runtime.market.journal.swapsOfOrder(id);
    expect(swaps.map((s) => s.signature)).toEqual([order!.txSignature]);
  }
}

for (const fault of ['FLUSHALL', 'restart'] as const) {
  it(`finishes every order exactly once after Redis loses everything (${fault})`, async () => {
    const redis = await ownRedis();
    const system = await systemForThisTest({
      redisUrl: redis.url,
      databaseUrl: await ownDatabase(),
      sim: { confirmMs: { min: 1000, max: 1000 } },
      engine: { ...RECOVERY, concurrency: 4 },
    });
    // trade the Raydium SOL/USDC pool past a journal snapshot, so a restore has something to find
    const raydium = system.runtime.market.venue('RAYDIUM');
    for (let i = 0; i < 20; i++) {
      await raydium.submit({ signature: randomUUID(), orderId: randomUUID(), route: { pair: PAIRS[0]!, aToB: i % 2 === 0 }, amountIn: 10n ** 8n, minAmountOut: 0n });
    }
    const journaled = await system.runtime.market.journal.latestPool('RAYDIUM', 'SOL-USDC');
    expect(BigInt(journaled!.version)).toBeGreaterThanOrEqual(16n);
    const orders = await submitBatch(system, 16);
    const ids = orders.map((o) => o.id);
    // some orders are mid-flight (waiting for confirmation), the rest still queued
    await waitForStoredStatus(system, ids.slice(0, 1), (s) => s === 'SUBMITTED' || TERMINAL.includes(s));

    const lostAt = Date.now();
    await loseRedis(redis, fault);

    await waitForStoredStatus(system, ids, (s) => TERMINAL.includes(s));
    console.info(`[recovery] Redis ${fault}: all ${ids.length} orders terminal ${Date.now() - lostAt} ms later`);
    await expectEachExecutedOnce(system, ids);
    // the pool came back from its journaled snapshot, not from genesis (version 0)
    const poolAfter = await raydium.pool({ pair: PAIRS[0]! });
    expect(BigInt(poolAfter.version)).toBeGreaterThanOrEqual(BigInt(journaled!.version));
    // orders traded it after the restore, so only consistency holds exactly: k never below the snapshot's
    const [after, snapshot] = [deserializeCp(JSON.parse(poolAfter.state)), deserializeCp(JSON.parse(journaled!.state))];
    expect(after.reserveA * after.reserveB).toBeGreaterThanOrEqual(snapshot.reserveA * snapshot.reserveB);
    // and Meteora's SOL/USDC pool, which orders may have traded too, has no negative bin (parsing checks it, so does this)
    const meteora = deserializeDlmm(JSON.parse((await system.runtime.market.venue('METEORA').pool({ pair: PAIRS[0]! })).state));
    expect(Object.values(meteora.bins).filter((bin) => bin.x < 0n || bin.y < 0n)).toEqual([]);
  });
}

for (const fault of ['FLUSHALL', 'restart'] as const) {
  it(`restores each pool exactly to its latest journaled snapshot, not to genesis (${fault})`, async () => {
    const redis = await ownRedis();
    // no worker and no orders: only this test's swaps move the pools, so every state is known
    const system = await systemForThisTest({ redisUrl: redis.url, worker: false });
    const { market } = system.runtime;
    const pair = PAIRS[0]!;
    const swap = (aToB: boolean) => ({ signature: randomUUID(), orderId: randomUUID(), route: { pair, aToB }, amountIn: 10n ** 8n, minAmountOut: 0n });
    // each venue's states after 0..20 swaps, replayed with its own math from genesis as the product seeded it
    const replayed = new Map<Dex, unknown[]>();
    for (const venue of market.venues) {
      const model = POOL_MODELS[venue.dex];
      const genesis = await venue.pool({ pair });
      expect(genesis.version).toBe('0');
      const states = [model.parse(genesis.state)];
      for (let i = 0; i < 20; i++) {
        await venue.submit(swap(i % 2 === 0));
        states.push(model.swap(states.at(-1)!, i % 2 === 0, 10n ** 8n).next);
      }
      replayed.set(venue.dex, states);
      const live = await venue.pool({ pair });
      expect(live.version).toBe('20');
      expect(model.parse(live.state)).toEqual(states[20]);
      // a snapshot goes with every 16th version: the journal is four swaps behind Redis
      const journaled = await market.journal.latestPool(venue.dex, pairId(pair));
      expect(journaled!.version).toBe('16');
      expect(model.parse(journaled!.state)).toEqual(states[16]);
    }

    await loseRedis(redis, fault);
    expect(await market.store.load('RAYDIUM', pairId(pair))).toBeNull();

    for (const venue of market.venues) {
      const model = POOL_MODELS[venue.dex];
      const states = replayed.get(venue.dex)!;
      // reading the missing pool restores it, in Redis, from the journal
      const restored = await venue.pool({ pair });
      expect(restored.version).toBe('16');
      expect(model.parse(restored.state)).toEqual(states[16]);
      expect(model.parse(restored.state)).not.toEqual(states[0]);
      expect(model.fromFields((await market.store.load(venue.dex, pairId(pair)))!.fields)).toEqual(states[16]);
      // the next swap is priced on the snapshot and continues its versions
      const record = await venue.submit(swap(true));
      expect(BigInt(record.amountOut)).toBe(model.swap(states[16], true, 10n ** 8n).amountOut);
      const next = await venue.pool({ pair });
      expect(next.version).toBe('17');
      expect(model.parse(next.state)).toEqual(model.swap(states[16], true, 10n ** 8n).next);
    }
  });
}
