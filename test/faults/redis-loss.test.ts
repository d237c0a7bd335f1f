// Redis loses everything (FLUSHALL, or a restart of a server that keeps nothing on disk):
// PostgreSQL is the system of record, so no order is stranded and none runs twice.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { PAIRS } from '../../src/engine/venues/pools.js';
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
    if (fault === 'FLUSHALL') {
      const admin = new Redis(redis.url);
      await admin.flushall();
      admin.disconnect();
    } else {
      await redis.restart();
    }

    await waitForStoredStatus(system, ids, (s) => TERMINAL.includes(s));
    console.info(`[recovery] Redis ${fault}: all ${ids.length} orders terminal ${Date.now() - lostAt} ms later`);
    await expectEachExecutedOnce(system, ids);
    // the pool came back from its journaled snapshot, not from genesis (version 0)
    const poolAfter = await raydium.pool({ pair: PAIRS[0]! });
    expect(BigInt(poolAfter.version)).toBeGreaterThanOrEqual(BigInt(journaled!.version));
  });
}
