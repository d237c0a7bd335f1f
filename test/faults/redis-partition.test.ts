// A worker cut off from Redis by a partition (nothing lost, nothing answered) while it holds an
// order whose swap it is about to send. Its job lock lapses; another worker, if there is one,
// resumes the order and swaps. Then the partition heals and the first worker, which never knew,
// carries on and sends the same swap.
import { expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime.js';
import { findPair } from '../../src/engine/venues/pools.js';
import { startWorker } from '../../src/worker-process.js';
import { createLogger } from '../../src/observability/logger.js';
import { followOrder, LIFECYCLE, submitOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

/**
 * A system with no worker of its own, and worker A on its queue and market whose Redis goes
 * through a proxy, with short locks so that a takeover comes within a second or two. A's log
 * lines are kept, debug included. The partition starts as A's BUILDING event of the order reaches
 * Redis (subscribers see it): A then waits for the publish's answer, with the swap it has built
 * (signature stored) not yet sent.
 */
async function orderOfAPartitionedWorker() {
  const system = await systemForThisTest({ worker: false, engine: { jobLockMs: 1_000, stalledIntervalMs: 500 } });
  const { proxy, url } = await proxyInFrontOf(system.config.redisUrl);
  const lines: { msg: string; to?: string; orderId?: string }[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const runtimeA = await createRuntime({ ...system.config, redisUrl: url }, { logger });
  const workerA = await startWorker(runtimeA);

  const partitioned = proxy.holdAfter((chunk) => chunk.includes('BUILDING'));
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
  await partitioned;
  return {
    system,
    proxy,
    order,
    linesOfA: () => lines.filter((line) => line.orderId === order.id),
    async stopA() {
      await workerA.close();
      await runtimeA.close();
    },
  };
}

/** The order CONFIRMED with one swap, events 1-5 once each, as stored and as streamed. */
async function expectDoneOnce(system: Awaited<ReturnType<typeof systemForThisTest>>, orderId: string) {
  const swaps = await system.runtime.market.journal.swapsOfOrder(orderId);
  expect(swaps).toHaveLength(1);
  const events = await system.runtime.store.eventsAfter(orderId);
  expect(events.map(({ status, seq }) => ({ status, seq }))).toEqual(LIFECYCLE.map((status, i) => ({ status, seq: i + 1 })));
  expect((await followOrder(system.url, orderId)).map((e) => e.status)).toEqual(LIFECYCLE);
  return swaps[0]!;
}

it('a worker that comes back from a partition after another took its order over does not swap again', async () => {
  const { system, proxy, order, linesOfA, stopA } = await orderOfAPartitionedWorker();

  // worker B, on Redis directly: A's lock lapses, B resumes the order from BUILDING and finishes it
  const workerB = await system.startWorker();
  await waitForStoredStatus(system, [order.id], (status) => status === 'CONFIRMED');
  const swap = await expectDoneOnce(system, order.id);
  // the pool's version counts the swaps committed on it
  const venue = system.runtime.market.venue(swap.dex);
  const pool = { pair: findPair('SOL', 'USDC')!.pair };
  const poolAfterB = await venue.pool(pool);

  // the partition heals: A hears its publish answered and sends the swap it built, same signature
  proxy.release();
  await stopA();
  await workerB.close();
  // A went on past its send: its SUBMITTED found the order moved on by B
  expect(linesOfA()).toContainEqual(expect.objectContaining({ msg: 'another worker moved the order first', to: 'SUBMITTED' }));

  // A's send found the signature executed: the pool did not move again, the journal has one swap
  expect(await venue.pool(pool)).toEqual(poolAfterB);
  expect(await expectDoneOnce(system, order.id)).toEqual(swap);
});

it('a worker alone, partitioned for longer than its job lock, finishes the order once when the partition heals', async () => {
  const { system, proxy, order, stopA } = await orderOfAPartitionedWorker();
  // three lock periods: the lock lapses in Redis, and nobody else can take the order
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  expect((await system.runtime.store.findById(order.id))?.status).toBe('BUILDING');

  proxy.release();
  await waitForStoredStatus(system, [order.id], (status) => status === 'CONFIRMED');
  await stopA();
  await expectDoneOnce(system, order.id);
});
