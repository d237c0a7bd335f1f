// The reconciler revives every stranded order it finds in a pass, even when one of them cannot be
// revived: that one is tried again next pass, and the orders after it do not wait for it.
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { Reconciler } from '../../src/engine/reconciler.js';
import { submitOrder, systemForThisTest } from '../support/orders.js';
import { ownDatabase } from '../support/own-database.js';

it('revives the orders after one whose job cannot be read, and that one once it can', async () => {
  // no worker, and a database of the test's own: the pass sees only these orders
  const system = await systemForThisTest({ worker: false, databaseUrl: await ownDatabase() });
  const { queue, store } = system.runtime;
  const first = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  const second = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });

  // the first order's job is corrupt in Redis (reading it fails with WRONGTYPE); the second's is gone
  const redis = new Redis(system.config.redisUrl!);
  try {
    const jobKey = `bull:${queue.name}:${first.id}`;
    await redis.del(jobKey);
    await redis.set(jobKey, 'not a job');
    await (await queue.getJob(second.id))!.remove();

    const reconciler = new Reconciler(store, queue);
    // the stale orders come oldest first: the corrupt one before the other
    expect(await reconciler.runOnce(0)).toEqual([second.id]);
    expect(await (await queue.getJob(second.id))!.getState()).toBe('waiting');

    // once its job can be read again (here: gone), the next pass revives the first as well
    await redis.del(jobKey);
    expect(await reconciler.runOnce(0)).toEqual([first.id]);
  } finally {
    redis.disconnect();
  }
});
