// An order's transitions before its last are HOT updates: PostgreSQL writes the new row version on
// the same page and adds no index entry, because no index of orders names a column they change
// (migration 20261202000000_hot_transitions). An index on status, even a partial one, would make
// every transition write an entry into every index of the table again.
import { describe, expect, it } from 'vitest';
import { ownDatabase } from '../support/own-database.js';
import { rowsOn } from '../support/sql.js';
import { storeOn } from '../support/store.js';

/** What the transition statement (src/engine/order-store.ts, transition-batch.ts) may change. */
const CHANGED_BY_TRANSITIONS = ['status', 'attempts', 'last_seq', 'updated_at', 'dex', 'tx_signature', 'min_amount_out', 'amount_out', 'failure_reason'];

describe('transitions of orders', () => {
  it('leave every index alone until the last one: no index names a column they change', async () => {
    const url = await ownDatabase();
    const indexes = await rowsOn<{ name: string; definition: string }>(
      url,
      `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'orders'::regclass`,
    );

    expect(indexes.length).toBeGreaterThan(3);
    for (const { name, definition } of indexes) {
      const named = CHANGED_BY_TRANSITIONS.filter((column) => new RegExp(`\\b${column}\\b`).test(definition));
      expect(named, `${name}: ${definition}`).toEqual([]);
    }
  });

  it('are HOT updates, all but the one that finishes the order', async () => {
    const url = await ownDatabase();
    const { database, create, walk } = await storeOn(url);
    const orderIds: string[] = [];
    try {
      for (let i = 0; i < 3; i++) orderIds.push(await create());
      await Promise.all(orderIds.map((orderId) => walk(orderId, ['ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED'])));
    } finally {
      // a backend publishes its statistics as it exits
      await database.prisma.$disconnect();
    }

    // 3 orders × 4 transitions, of which 3 × 3 leave outcome (the only indexed column that moves) null
    const counts = async () =>
      (await rowsOn<{ updates: number; hot: number }>(url, `SELECT n_tup_upd::int AS updates, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'orders'`))[0];
    await expect.poll(counts, { timeout: 10_000 }).toEqual({ updates: 12, hot: 9 });
    const outcomes = await rowsOn(url, `SELECT DISTINCT status, outcome FROM orders WHERE id = ANY($1::uuid[])`, [orderIds]);
    expect(outcomes).toEqual([{ status: 'CONFIRMED', outcome: 'CONFIRMED' }]);
  });

  // no index names status: the gauge and the reconciler find orders through outcome
  it('leave the status counts and the unfinished orders exact', async () => {
    const url = await ownDatabase();
    const { database, store, accountId, create, walk } = await storeOn(url);
    try {
      const [confirmed, failed, submitted, pending] = [await create(), await create(), await create(), await create()];
      await walk(confirmed, ['ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED']);
      await walk(failed, ['ROUTING', 'FAILED']);
      await walk(submitted, ['ROUTING', 'BUILDING', 'SUBMITTED']);

      expect(await store.countByStatus()).toEqual({ CONFIRMED: 1, FAILED: 1, SUBMITTED: 1, PENDING: 1 });
      // idle for at least -1 min: every unfinished order. (With 0, the one just moved could be left
      // out: updated_at is rounded to the millisecond, up as often as down, and this ran within one.)
      const stale = await store.stale(-60_000, 10);
      expect(stale.map((o) => o.id).sort()).toEqual([submitted, pending].sort());
      // and an account's page by status, terminal or not
      for (const [status, ids] of [
        ['CONFIRMED', [confirmed]],
        ['FAILED', [failed]],
        ['SUBMITTED', [submitted]],
        ['PENDING', [pending]],
        ['ROUTING', []],
      ] as const) {
        const page = await store.page({ accountId, status, limit: 10, inverted: false });
        expect(page.map((o) => o.id), status).toEqual(ids);
      }
    } finally {
      await database.prisma.$disconnect();
    }
  });
});
