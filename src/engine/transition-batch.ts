// Group commit for order transitions. Transitions issued while a write is on its way are sent
// together as one statement, so hundreds of orders moving at once cost a few commits instead of
// hundreds. Each row keeps the single-transition guarantees: its UPDATE is conditional on the
// status and attempt its caller saw, and it inserts its event (and routing decision) only when
// that UPDATE matched, all inside the one statement.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { OrderEventRecord, Transition } from './order-store.js';

export interface TransitionBatchOptions {
  /** most transitions in one statement; default 200 (22 parameters each, well under PostgreSQL's 65535) */
  maxBatch?: number;
  /** statements in flight at once; more transitions wait and go together in the next; default 4 */
  maxInFlight?: number;
}

interface Pending {
  transition: Transition;
  resolve: (event: OrderEventRecord | null) => void;
  reject: (error: unknown) => void;
}

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

export class TransitionBatch {
  private queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly prisma: PrismaClient,
    options: TransitionBatchOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  /** The event the transition produced, or null when the order was no longer where the caller saw it. */
  write(transition: Transition): Promise<OrderEventRecord | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ transition, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // let every transition issued in this turn of the event loop join the batch
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight++;
    try {
      const rows = await this.prisma.$queryRawUnsafe<(OrderEventRecord & { idx: number })[]>(
        statement(batch.length),
        ...batch.flatMap((pending, idx) => parameters(pending.transition, idx)),
      );
      const byIdx = new Map(rows.map(({ idx, ...event }) => [idx, event as OrderEventRecord]));
      batch.forEach((pending, idx) => pending.resolve(byIdx.get(idx) ?? null));
    } catch (error) {
      // each caller decides: the executor retries while the store is unreachable
      for (const pending of batch) pending.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }
}
