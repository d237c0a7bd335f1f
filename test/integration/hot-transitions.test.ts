// An order's transitions before its last are HOT updates: PostgreSQL writes the new row version on
// the same page and adds no index entry, because no index of orders names a column they change
// (migration 20261202000000_hot_transitions). An index on status, even a partial one, would make
// every transition write an entry into every index of the table again.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { OrderStore, type Transition } from '../../src/engine/order-store.js';
import type { OrderStatus } from '../../src/engine/types.js';
import { createDatabase } from '../../src/infra/prisma.js';
import { ownDatabase } from '../support/own-database.js';

/** What the transition statement (src/engine/order-store.ts, transition-batch.ts) may change. */
const CHANGED_BY_TRANSITIONS = ['status', 'attempts', 'last_seq', 'updated_at', 'dex', 'tx_signature', 'min_amount_out', 'amount_out', 'failure_reason'];

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('transitions of orders', () => {
  it('leave every index alone until the last one: no index names a column they change', async () => {
    const url = await ownDatabase();
    const indexes = await withClient(url, async (client) => {
      const { rows } = await client.query<{ name: string; definition: string }>(
        `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'orders'::regclass`,
      );
      return rows;
    });

    expect(indexes.length).toBeGreaterThan(3);
    for (const { name, definition } of indexes) {
      const named = CHANGED_BY_TRANSITIONS.filter((column) => new RegExp(`\\b${column}\\b`).test(definition));
      expect(named, `${name}: ${definition}`).toEqual([]);
    }
  });

  it('are HOT updates, all but the one that finishes the order', async () => {
    const url = await ownDatabase();
    const database = createDatabase(url, { max: 2 });
    const store = new OrderStore(database);
    const accountId = randomUUID();
    const orderIds: string[] = [];
    try {
      await database.prisma.account.create({ data: { id: accountId, name: 'hot' } });
      for (let i = 0; i < 3; i++) {
        const created = await store.create(
          { id: randomUUID(), accountId, clientOrderId: null, tokenIn: 'SOL', tokenOut: 'USDC', amountIn: 1_000_000_000n, slippageBps: 50 },
          'accepted',
        );
        if (!created.created) throw new Error('not created');
        orderIds.push(created.order.id);
      }
      const path: OrderStatus[] = ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED'];
      for (let step = 1; step < path.length; step++) {
        const moved = await Promise.all(
          orderIds.map((orderId) => {
            const t: Transition = { orderId, from: { status: path[step - 1]!, attempt: 0 }, to: path[step]!, attempt: 0, message: path[step]! };
            return store.transition(t);
          }),
        );
        expect(moved.every((event) => event?.status === path[step])).toBe(true);
      }
    } finally {
      // a backend publishes its statistics as it exits
      await database.prisma.$disconnect();
    }

    // 3 orders × 4 transitions, of which 3 × 3 leave outcome (the only indexed column that moves) null
    const counts = () =>
      withClient(url, async (client) => {
        const { rows } = await client.query<{ updates: number; hot: number }>(
          `SELECT n_tup_upd::int AS updates, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'orders'`,
        );
        return rows[0];
      });
    await expect.poll(counts, { timeout: 10_000 }).toEqual({ updates: 12, hot: 9 });
    const outcomes = await withClient(url, (client) => client.query(`SELECT DISTINCT status, outcome FROM orders WHERE id = ANY($1::uuid[])`, [orderIds]));
    expect(outcomes.rows).toEqual([{ status: 'CONFIRMED', outcome: 'CONFIRMED' }]);
  });
});
