// The real OrderStore on a database a test made, for tests of what its statements do in
// PostgreSQL, with no worker or API around it.
import { randomUUID } from 'node:crypto';
import { OrderStore } from '../../src/engine/order-store.js';
import type { OrderStatus } from '../../src/engine/types.js';
import { createDatabase } from '../../src/infra/prisma.js';

/** The real OrderStore on `url`, with an account of its own, and helpers to place and move its orders. */
export async function storeOn(url: string) {
  const database = createDatabase(url, { max: 2 });
  const accountId = randomUUID();
  await database.prisma.account.create({ data: { id: accountId, name: `store-${accountId}` } });
  const store = new OrderStore(database);
  const create = async () => {
    const created = await store.create(
      { id: randomUUID(), accountId, clientOrderId: null, tokenIn: 'SOL', tokenOut: 'USDC', amountIn: 1_000_000_000n, slippageBps: 50 },
      'accepted',
    );
    if (!created.created) throw new Error('not created');
    return created.order.id;
  };
  /** Moves the order along `path` (from PENDING), each step as the worker's transition. */
  const walk = async (orderId: string, path: OrderStatus[]) => {
    let from: OrderStatus = 'PENDING';
    for (const to of path) {
      const event = await store.transition({ orderId, from: { status: from, attempt: 0 }, to, attempt: 0, message: to });
      if (event?.status !== to) throw new Error(`${orderId}: ${from} → ${to} did not apply`);
      from = to;
    }
  };
  return { database, store, accountId, create, walk };
}
