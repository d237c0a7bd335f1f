// Many order transitions as one statement, for group commit (group-commit.ts). Each row keeps the
// single-transition guarantees: its UPDATE is conditional on the status and attempt its caller
// saw, and it inserts its event (and routing decision) only when that UPDATE matched, all inside
// the one statement. 22 parameters a row: 200 rows stay far under PostgreSQL's 65535.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { OrderEventRecord, Transition } from './order-store.js';

const COLUMNS = 22;

// One VALUES row per transition; every parameter cast, so PostgreSQL knows each column's type.
const ROW = (n: number) => {
  const p = (i: number) => `$${n * COLUMNS + i}`;
  return `(${p(1)}::int, ${p(2)}::uuid, ${p(3)}::"OrderStatus", ${p(4)}::int, ${p(5)}::"OrderStatus", ${p(6)}::int, ${p(7)}::text,
    ${p(8)}::boolean, ${p(9)}::"Dex", ${p(10)}::boolean, ${p(11)}::text, ${p(12)}::boolean, ${p(13)}::bigint,
    ${p(14)}::boolean, ${p(15)}::bigint, ${p(16)}::boolean, ${p(17)}::text,
    ${p(18)}::"Dex", ${p(19)}::jsonb, ${p(20)}::bigint, ${p(21)}::bigint, ${p(22)}::text)`;
};

const statement = (rows: number) => `
  WITH input (idx, order_id, from_status, from_attempt, to_status, attempt, message,
              set_dex, dex, set_sig, sig, set_min, min_out, set_out, amount_out, set_reason, reason,
              d_dex, d_quotes, d_expected, d_min, d_reason) AS (
    VALUES ${Array.from({ length: rows }, (_, n) => ROW(n)).join(',\n')}
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

function parameters(t: Transition, idx: number): unknown[] {
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
export function transitionWriter(prisma: PrismaClient): (transitions: Transition[]) => Promise<(OrderEventRecord | null)[]> {
  return async (transitions) => {
    const rows = await prisma.$queryRawUnsafe<(OrderEventRecord & { idx: number })[]>(
      statement(transitions.length),
      ...transitions.flatMap((transition, idx) => parameters(transition, idx)),
    );
    const byIdx = new Map(rows.map(({ idx, ...event }) => [idx, event as OrderEventRecord]));
    return transitions.map((_, idx) => byIdx.get(idx) ?? null);
  };
}
