// Two workers can hold the same order at once: a job whose lock lapsed is taken over while its
// first worker still runs it. Both then send the same transition, and exactly one may apply, with
// one event: whether the two travel in one group-committed statement or in statements of two
// processes at the same moment (the README's "two workers can never both move an order").
import { describe, expect, it } from 'vitest';
import type { Transition } from '../../src/engine/order-store.js';
import { ownDatabase } from '../support/own-database.js';
import { rowsOn } from '../support/sql.js';
import { storeOn } from '../support/store.js';

const ORDERS = 20;

const toRouting = (orderId: string): Transition => ({ orderId, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting' });

/** Each order moved once: events seq 1 PENDING and 2 ROUTING, nothing more, and last_seq 2. */
async function expectMovedOnce(url: string, orderIds: string[]) {
  const events = await rowsOn<{ orderId: string; moves: string[] }>(
    url,
    `SELECT order_id AS "orderId", array_agg(seq || ' ' || status ORDER BY seq) AS moves FROM order_events WHERE order_id = ANY($1::uuid[]) GROUP BY order_id`,
    [orderIds],
  );
  expect(events).toHaveLength(orderIds.length);
  for (const { moves } of events) expect(moves).toEqual(['1 PENDING', '2 ROUTING']);
  const orders = await rowsOn(url, `SELECT DISTINCT status, attempts, last_seq FROM orders WHERE id = ANY($1::uuid[])`, [orderIds]);
  expect(orders).toEqual([{ status: 'ROUTING', attempts: 1, last_seq: 2 }]);
}

describe('the same transition of an order, sent twice at once', () => {
  it('applies once when both go in one batch', async () => {
    const url = await ownDatabase();
    const { database, store, create } = await storeOn(url);
    try {
      const orderIds = await Promise.all(Array.from({ length: ORDERS }, () => create()));
      // issued in one turn of the event loop, so group commit sends all of them in one statement
      const results = await Promise.all(orderIds.flatMap((orderId) => [store.transition(toRouting(orderId)), store.transition(toRouting(orderId))]));
      for (let i = 0; i < ORDERS; i++) {
        const applied = results.slice(2 * i, 2 * i + 2).filter((event) => event !== null);
        expect(applied.map((event) => [event.orderId, event.seq])).toEqual([[orderIds[i], 2]]);
      }
      await expectMovedOnce(url, orderIds);
    } finally {
      await database.prisma.$disconnect();
    }
  });

  it('applies once when two processes send it, each in a statement of its own, at the same moment', async () => {
    const url = await ownDatabase();
    const [first, second] = [await storeOn(url), await storeOn(url)];
    try {
      const orderIds = await Promise.all(Array.from({ length: ORDERS }, () => first.create()));
      const pairs = await Promise.all(orderIds.map((orderId) => Promise.all([first.store.transition(toRouting(orderId)), second.store.transition(toRouting(orderId))])));
      for (const pair of pairs) expect(pair.filter((event) => event !== null)).toHaveLength(1);
      await expectMovedOnce(url, orderIds);
    } finally {
      await Promise.all([first.database.prisma.$disconnect(), second.database.prisma.$disconnect()]);
    }
  });
});
