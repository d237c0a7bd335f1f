// Many order transitions as one statement, for group commit (group-commit.ts). Each row keeps the
// single-transition guarantees: its UPDATE is conditional on the status and attempt its caller
// saw, and it inserts its event (and routing decision) only when that UPDATE matched, all inside
// the one statement. The batch travels as one array per column, so the text never changes and
// PostgreSQL plans it once per connection (a prepared statement), whatever the batch size.
import type pg from 'pg';
import { preparedBatch } from '../infra/sql.js';
import type { OrderEventRecord, Transition } from './order-store.js';

const STATEMENT = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::"OrderStatus"[], $4::int[], $5::"OrderStatus"[], $6::int[], $7::text[],
                         $8::boolean[], $9::"Dex"[], $10::boolean[], $11::text[], $12::boolean[], $13::bigint[],
                         $14::boolean[], $15::bigint[], $16::boolean[], $17::text[],
                         $18::"Dex"[], $19::jsonb[], $20::bigint[], $21::bigint[], $22::text[])
      AS t(idx, order_id, from_status, from_attempt, to_status, attempt, message,
           set_dex, dex, set_sig, sig, set_min, min_out, set_out, amount_out, set_reason, reason,
           d_dex, d_quotes, d_expected, d_min, d_reason)
  ), u AS (
    UPDATE orders o
    SET status = i.to_status, attempts = i.attempt, last_seq = o.last_seq + 1, updated_at = now(),
        dex = CASE WHEN i.set_dex THEN i.dex ELSE o.dex END,
        tx_signature = CASE WHEN i.set_sig THEN i.sig ELSE o.tx_signature END,
        min_amount_out = CASE WHEN i.set_min THEN i.min_out ELSE o.min_amount_out END,
        amount_out = CASE WHEN i.set_out THEN i.amount_out ELSE o.amount_out END,
        failure_reason = CASE WHEN i.set_reason THEN i.reason ELSE o.failure_reason END
    FROM input i
    WHERE o.id = i.order_id AND o.status = i.from_status AND o.attempts = i.from_attempt
    RETURNING i.idx, i.order_id, o.last_seq AS seq, i.to_status, i.attempt, i.message, o.updated_at AS at,
              i.d_dex, i.d_quotes, i.d_expected, i.d_min, i.d_reason
  ), d AS (
    INSERT INTO routing_decisions (id, order_id, attempt, chosen_dex, quotes, expected_amount_out, min_amount_out, reason, decided_at)
    SELECT gen_random_uuid(), order_id, attempt, d_dex, d_quotes, d_expected, d_min, d_reason, at FROM u WHERE d_dex IS NOT NULL
  ), e AS (
    INSERT INTO order_events (order_id, seq, status, attempt, message, at)
    SELECT order_id, seq, to_status, attempt, message, at FROM u
  )
  SELECT idx, order_id AS "orderId", seq, to_status AS status, attempt, message, at FROM u`;

/** One row of the statement's columns, in its order. */
function row(t: Transition, idx: number): unknown[] {
  const c = t.changes ?? {};
  const has = (key: keyof typeof c) => Object.prototype.hasOwnProperty.call(c, key);
  const text = (value: bigint | null | undefined) => (value == null ? null : value.toString());
  const d = t.decision;
  return [
    idx, t.orderId, t.from.status, t.from.attempt, t.to, t.attempt, t.message,
    has('dex'), c.dex ?? null, has('txSignature'), c.txSignature ?? null, has('minAmountOut'), text(c.minAmountOut),
    has('amountOut'), text(c.amountOut), has('failureReason'), c.failureReason ?? null,
    d?.chosenDex ?? null, d ? JSON.stringify(d.quotes) : null, text(d?.expectedAmountOut), text(d?.minAmountOut), d?.reason ?? null,
  ];
}

/** Writes a batch of transitions in one statement; one event (or null) per transition, in order. */
export function transitionWriter(pool: pg.Pool): (transitions: Transition[]) => Promise<(OrderEventRecord | null)[]> {
  const run = preparedBatch<OrderEventRecord & { idx: number }>(pool, 'order-transitions', STATEMENT);
  return async (transitions) => {
    const rows = await run(transitions.map(row));
    const byIdx = new Map(rows.map(({ idx, ...event }) => [idx, event as OrderEventRecord]));
    return transitions.map((_, idx) => byIdx.get(idx) ?? null);
  };
}
