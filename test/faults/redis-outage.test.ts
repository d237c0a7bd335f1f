// Redis down while clients place orders: the API keeps accepting them (PostgreSQL is the system
// of record), keeps their rate limit in each process by itself, and the orders run once Redis is back.
import { expect, it } from 'vitest';
import { executeMarketOrder, systemForThisTest, waitForStoredStatus } from '../support/orders.js';
import { ownDatabase } from '../support/own-database.js';
import { ownRedis } from '../support/own-redis.js';

it('accepts orders while Redis is down, still rate-limited, and runs them once Redis is back', async () => {
  const redis = await ownRedis();
  // 3 orders per minute per key; a worker whose reconciler looks often, on a database of its own:
  // on the run's, it would take up the orders that test files running alongside keep PENDING on purpose
  const system = await systemForThisTest({
    redisUrl: redis.url,
    databaseUrl: await ownDatabase(),
    security: { orderRateLimit: 3, orderRateWindowMs: 60_000 },
    engine: { reconcileIntervalMs: 300, reconcileIdleMs: 500 },
  });
  await redis.stop();

  const answers = [];
  for (const amountIn of ['1', '2', '3', '4']) answers.push(await executeMarketOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn }));
  // the limit holds without Redis: three accepted, PENDING (stored, not yet enqueued), the fourth refused
  expect(answers.map((a) => a.__typename)).toEqual(['ExecuteMarketOrderSuccess', 'ExecuteMarketOrderSuccess', 'ExecuteMarketOrderSuccess', 'RateLimitedError']);
  const ids = answers.flatMap((a) => (a.__typename === 'ExecuteMarketOrderSuccess' ? [a.order.id] : []));

  // Redis comes back empty: the reconciler enqueues the three, and each runs to CONFIRMED with one swap
  await redis.start();
  await waitForStoredStatus(system, ids, (status) => status === 'CONFIRMED');
  for (const id of ids) expect(await system.runtime.market.journal.swapsOfOrder(id)).toHaveLength(1);
});
