// The batched writes (order creations, transitions, journaled swaps) carry their rows to
// PostgreSQL as one array per column (infra/sql.ts preparedBatch), which pg formats as array
// literals. Whatever a row holds must arrive exactly: text with quotes, backslashes, braces,
// commas and characters beyond ASCII, the largest int8 amount, NULL set on purpose as against a
// column left alone, and a routing decision's quotes as JSON.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Transition } from '../../src/engine/order-store.js';
import { ChainJournal } from '../../src/engine/venues/chain-journal.js';
import { ownDatabase } from '../support/own-database.js';
import { rowsOn } from '../support/sql.js';
import { storeOn } from '../support/store.js';

const INT8_MAX = 9_223_372_036_854_775_807n;
const AWKWARD = 'say "hi" \\ back\\slash, {braces}, [brackets], a,comma, NULL, é ü 漢字 🚀\nnew line\ttab';

describe('a batch of rows, one array per column', () => {
  it('stores every value of creations and transitions exactly, in one statement each', async () => {
    const url = await ownDatabase();
    const { database, store, accountId } = await storeOn(url);
    try {
      const ids = [randomUUID(), randomUUID()];
      // one turn of the event loop: both creations share a statement
      const created = await Promise.all([
        store.create({ id: ids[0]!, accountId, clientOrderId: AWKWARD, tokenIn: 'SOL', tokenOut: 'USDC', amountIn: INT8_MAX, slippageBps: 50 }, AWKWARD),
        store.create({ id: ids[1]!, accountId, clientOrderId: null, tokenIn: 'USDC', tokenOut: 'SOL', amountIn: 1n, slippageBps: 0 }, 'plain'),
      ]);
      expect(created.map((c) => c.created && [c.order.clientOrderId, c.order.amountIn, c.event.message])).toEqual([
        [AWKWARD, INT8_MAX, AWKWARD],
        [null, 1n, 'plain'],
      ]);

      const quotes = [
        { dex: 'RAYDIUM' as const, amountOut: INT8_MAX.toString(), fee: '0', priceImpactBps: 0 },
        { dex: 'METEORA' as const, amountOut: '1', fee: '3', priceImpactBps: 9999 },
      ];
      const toRouting = (orderId: string): Transition => ({ orderId, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting' });
      await Promise.all(ids.map((id) => store.transition(toRouting(id))));
      const [building, failed] = await Promise.all([
        store.transition({
          orderId: ids[0]!, from: { status: 'ROUTING', attempt: 1 }, to: 'BUILDING', attempt: 1, message: AWKWARD,
          changes: { dex: 'RAYDIUM', minAmountOut: INT8_MAX - 1n, failureReason: AWKWARD },
          decision: { chosenDex: 'RAYDIUM', quotes, expectedAmountOut: INT8_MAX, minAmountOut: INT8_MAX - 1n, reason: AWKWARD },
        }),
        store.transition({ orderId: ids[1]!, from: { status: 'ROUTING', attempt: 1 }, to: 'FAILED', attempt: 1, message: 'no route', changes: { failureReason: 'no route' } }),
      ]);
      expect(building).toMatchObject({ orderId: ids[0], seq: 3, status: 'BUILDING', attempt: 1, message: AWKWARD });
      expect(failed).toMatchObject({ orderId: ids[1], seq: 3, status: 'FAILED' });

      // a change to null clears the column; a column the transition does not name keeps its value
      await store.transition({ orderId: ids[0]!, from: { status: 'BUILDING', attempt: 1 }, to: 'SUBMITTED', attempt: 1, message: 'sent', changes: { failureReason: null, txSignature: AWKWARD } });

      const [order] = await rowsOn(url, `SELECT dex, min_amount_out::text AS min, tx_signature AS sig, failure_reason AS reason, amount_in::text AS amount FROM orders WHERE id = $1`, [ids[0]]);
      expect(order).toEqual({ dex: 'RAYDIUM', min: (INT8_MAX - 1n).toString(), sig: AWKWARD, reason: null, amount: INT8_MAX.toString() });
      const decisions = await store.routingDecisions(ids[0]!);
      expect(decisions.map((d) => [d.chosenDex, d.quotes, d.expectedAmountOut, d.minAmountOut, d.reason])).toEqual([['RAYDIUM', quotes, INT8_MAX, INT8_MAX - 1n, AWKWARD]]);
      expect(await store.routingDecisions(ids[1]!)).toEqual([]);
      const events = await store.eventsAfter(ids[0]!);
      expect(events.map((e) => [e.seq, e.status, e.message])).toEqual([[1, 'PENDING', AWKWARD], [2, 'ROUTING', 'quoting'], [3, 'BUILDING', AWKWARD], [4, 'SUBMITTED', 'sent']]);
    } finally {
      await database.prisma.$disconnect();
    }
  });

  it('fails only the row whose value PostgreSQL refuses, not the others that shared its statement', async () => {
    const url = await ownDatabase();
    const { database, store, accountId } = await storeOn(url);
    try {
      // NUL cannot be stored in a text column (SQLSTATE 22021); the API's validation refuses it
      // first, so this is the store's own guard for a value nobody foresaw
      const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const keys = ['good-1', 'bad\u0000key', 'good-2', 'good-3'];
      const created = await Promise.allSettled(
        ids.map((id, i) => store.create({ id, accountId, clientOrderId: keys[i]!, tokenIn: 'SOL', tokenOut: 'USDC', amountIn: 1n, slippageBps: 50 }, 'accepted')),
      );
      expect(created.map((c) => c.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((created[1] as PromiseRejectedResult).reason).toMatchObject({ code: '22021' });
      const stored = await rowsOn(url, 'SELECT id FROM orders WHERE id = ANY($1::uuid[]) ORDER BY client_order_id', [ids]);
      expect(stored.map((r) => r.id)).toEqual([ids[0], ids[2], ids[3]]);

      // the same for transitions: one with a refused message, two that share its statement
      const good = [ids[0]!, ids[2]!];
      const moved = await Promise.allSettled([
        store.transition({ orderId: good[0]!, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting' }),
        store.transition({ orderId: ids[3]!, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting \u0000' }),
        store.transition({ orderId: good[1]!, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting' }),
      ]);
      expect(moved.map((m) => m.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      const statuses = await rowsOn(url, 'SELECT status FROM orders WHERE id = ANY($1::uuid[]) ORDER BY client_order_id', [[...good, ids[3]]]);
      expect(statuses.map((r) => r.status)).toEqual(['ROUTING', 'ROUTING', 'PENDING']);
    } finally {
      await database.prisma.$disconnect();
    }
  });

  it('journals swaps with their amounts and times exact', async () => {
    const url = await ownDatabase();
    const { database, create } = await storeOn(url);
    try {
      const journal = new ChainJournal(database, `test-${randomUUID()}`);
      const orderId = await create();
      const records = [
        { signature: AWKWARD, orderId, dex: 'METEORA' as const, pairId: 'SOL-USDC', aToB: false, amountIn: INT8_MAX.toString(), amountOut: '0', submittedAt: 1_764_000_000_123, confirmAt: 1_764_000_002_456 },
        { signature: randomUUID(), orderId, dex: 'RAYDIUM' as const, pairId: 'SOL-USDC', aToB: true, amountIn: '1', amountOut: '2', submittedAt: 1_764_000_000_124, confirmAt: 1_764_000_000_125 },
      ];
      await Promise.all(records.map((record) => journal.recordSwap(record, null)));
      expect(await journal.swapsOfOrder(orderId)).toEqual(records);
      expect(await journal.transaction(AWKWARD)).toEqual(records[0]);
    } finally {
      await database.prisma.$disconnect();
    }
  });
});
