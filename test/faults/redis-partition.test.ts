// A worker cut off from Redis by a partition (nothing lost, nothing answered) while it holds an
// order whose swap it is about to send. Its job lock lapses, another worker resumes the order and
// swaps; then the partition heals and the first worker, which never knew, sends the same swap.
import { expect, it } from 'vitest';
import { createRuntime } from '../../src/runtime.js';
import { findPair } from '../../src/engine/venues/pools.js';
import { startWorker } from '../../src/worker-process.js';
import { createLogger } from '../../src/observability/logger.js';
import { followOrder, LIFECYCLE, submitOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';
import { rowsOn } from '../support/sql.js';
import { startTcpProxy, throughProxy } from '../support/tcp-proxy.js';

it('a worker that comes back from a partition after another took its order over does not swap again', async () => {
  // short locks, so that the takeover comes within a second or two
  const engine = { jobLockMs: 1_000, stalledIntervalMs: 500 };
  const system = await systemForThisTest({ worker: false, engine });
  const direct = new URL(system.config.redisUrl);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) });

  // worker A: the same queue and market, its Redis through the proxy; its lines kept, debug included
  const lines: { msg: string; to?: string; orderId?: string }[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const runtimeA = await createRuntime({ ...system.config, redisUrl: throughProxy(system.config.redisUrl, proxy) }, { logger });
  const workerA = await startWorker(runtimeA);

  // The partition starts as A's BUILDING event reaches Redis (subscribers see it): A then waits
  // for the publish's answer, with the swap it has built (signature stored) not yet sent.
  const partitioned = proxy.holdAfter((chunk) => chunk.includes('BUILDING'));
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
  await partitioned;

  // worker B, on Redis directly: A's lock lapses, B resumes the order from BUILDING and finishes it
  const workerB = await system.startWorker();
  await waitForStoredStatus(system, [order.id], (status) => status === 'CONFIRMED');
  const [swap, ...more] = await system.runtime.market.journal.swapsOfOrder(order.id);
  expect(more).toEqual([]);
  // the pool's version counts the swaps committed on it
  const venue = system.runtime.market.venue(swap!.dex);
  const pool = { pair: findPair('SOL', 'USDC')!.pair };
  const poolAfterB = await venue.pool(pool);

  // the partition heals: A hears its publish answered and sends the swap it built, same signature
  proxy.release();
  await workerA.close();
  await workerB.close();
  await runtimeA.close();
  // A went on past its send: its SUBMITTED found the order moved on by B
  expect(lines.filter((line) => line.orderId === order.id)).toContainEqual(expect.objectContaining({ msg: 'another worker moved the order first', to: 'SUBMITTED' }));

  // A's send found the signature executed: the pool did not move again, the journal has one swap
  expect(await venue.pool(pool)).toEqual(poolAfterB);
  expect(await system.runtime.market.journal.swapsOfOrder(order.id)).toEqual([swap]);
  // every event once, in order, as stored and as streamed
  const events = await rowsOn<{ status: string; seq: number }>(process.env.DATABASE_URL!, 'SELECT status, seq FROM order_events WHERE order_id = $1 ORDER BY seq', [order.id]);
  expect(events).toEqual(LIFECYCLE.map((status, i) => ({ status, seq: i + 1 })));
  expect((await followOrder(system.url, order.id)).map((e) => e.status)).toEqual(LIFECYCLE);
});
