// Orders, their lifecycle events and routing decisions in PostgreSQL, the system of record.
// Every state change is one statement: a conditional UPDATE (status and attempt must be what
// the caller saw, so two workers can never both move an order) chained to the INSERT of the
// event it produces, so an order never changes without its event and seq never skips.
import type pg from 'pg';
import type { Order, OrderEvent, PrismaClient, RoutingDecision } from '../generated/prisma/client.js';
import { TERMINAL_STATUSES, type Dex, type OrderStatus, type VenueQuote } from './types.js';
import { GroupCommit } from './group-commit.js';
import { isDataException, isStoreUnavailable, WriteOutcomeUnknownError } from './store-availability.js';
import { transitionWriter } from './transition-batch.js';
import type { Database } from '../infra/prisma.js';
import { preparedBatch, preparedQuery, preparedStatement, toBigInt, withConnection } from '../infra/sql.js';

export type OrderRecord = Order;
export type OrderEventRecord = OrderEvent;
export type RoutingDecisionRecord = RoutingDecision;

export interface NewOrder {
  id: string;
  /** the owner; the engine carries it and never reads it */
  accountId: string;
  clientOrderId: string | null;
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
  slippageBps: number;
  /** the trader's limit on a quote's price impact; none when absent or null */
  maxPriceImpactBps?: number | null;
}

/** Columns a transition may set besides status and attempt. */
export interface OrderChanges {
  dex?: Dex | null;
  txSignature?: string | null;
  minAmountOut?: bigint | null;
  amountOut?: bigint | null;
  failureReason?: string | null;
}

export interface StoredQuote {
  dex: Dex;
  amountOut: string;
  fee: string;
  priceImpactBps: number;
  /** set on a quote of no output, saying why (VenueQuote.unfillable); absent in decisions stored before it existed */
  unfillable?: VenueQuote['unfillable'];
}

export interface NewRoutingDecision {
  chosenDex: Dex;
  quotes: StoredQuote[];
  expectedAmountOut: bigint;
  minAmountOut: bigint;
  reason: string;
}

export interface Transition {
  orderId: string;
  /** the status and attempt the caller saw; the write happens only if they still hold */
  from: { status: OrderStatus; attempt: number };
  to: OrderStatus;
  attempt: number;
  message: string;
  changes?: OrderChanges;
  /** stored in the same statement as the transition */
  decision?: NewRoutingDecision;
}

const ORDER_COLUMNS = `id, account_id AS "accountId", client_order_id AS "clientOrderId", type, status, token_in AS "tokenIn",
  token_out AS "tokenOut", amount_in AS "amountIn", slippage_bps AS "slippageBps", max_price_impact_bps AS "maxPriceImpactBps",
  amount_out AS "amountOut", dex, tx_signature AS "txSignature", min_amount_out AS "minAmountOut",
  attempts, failure_reason AS "failureReason", last_seq AS "lastSeq", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

export interface OrderPageQuery {
  /** only this account's orders */
  accountId: string;
  status?: OrderStatus | null;
  /** (createdAt, id) of the cursor; the page starts after it */
  after?: { createdAt: Date; id: string } | null;
  before?: { createdAt: Date; id: string } | null;
  limit: number;
  /** oldest first instead of newest first (for `last`) */
  inverted: boolean;
}

/** An orders row as node-postgres gives it: int8 amounts arrive as text. */
type OrderRow = Omit<OrderRecord, 'amountIn' | 'amountOut' | 'minAmountOut'> & { amountIn: string; amountOut: string | null; minAmountOut: string | null };

const toOrderRecord = (row: OrderRow): OrderRecord => ({
  ...row,
  amountIn: BigInt(row.amountIn),
  amountOut: toBigInt(row.amountOut),
  minAmountOut: toBigInt(row.minAmountOut),
});

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Many creations as one statement (group commit), one array per column. A row whose
// clientOrderId is taken, by an earlier order or by another row of the same batch, inserts
// nothing (ON CONFLICT makes concurrent duplicates safe).
const CREATE_ORDERS = `
  WITH input AS (
    SELECT * FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::int[], $9::int[], $10::text[])
      AS t(idx, id, account_id, client_order_id, token_in, token_out, amount_in, slippage_bps, max_price_impact_bps, message)
  ), o AS (
    INSERT INTO orders (id, account_id, client_order_id, type, status, token_in, token_out, amount_in, slippage_bps, max_price_impact_bps)
    SELECT id, account_id, client_order_id, 'MARKET', 'PENDING', token_in, token_out, amount_in, slippage_bps, max_price_impact_bps FROM input ORDER BY idx
    ON CONFLICT (account_id, client_order_id) DO NOTHING
    RETURNING *
  ), e AS (
    INSERT INTO order_events (order_id, seq, status, attempt, message, at)
    SELECT o.id, 1, 'PENDING', 0, i.message, o.created_at FROM o JOIN input i ON i.id = o.id
  )
  SELECT i.idx, x.* FROM (SELECT ${ORDER_COLUMNS} FROM o) x JOIN input i ON i.id = x.id`;

const EVENTS_AFTER = `SELECT order_id AS "orderId", seq, status, attempt, message, at FROM order_events
  WHERE order_id = $1::uuid AND seq > $2::int ORDER BY seq`;

type RoutingDecisionRow = Omit<RoutingDecisionRecord, 'expectedAmountOut' | 'minAmountOut'> & { expectedAmountOut: string; minAmountOut: string };
const ROUTING_DECISIONS = `SELECT id, order_id AS "orderId", attempt, chosen_dex AS "chosenDex", quotes,
  expected_amount_out AS "expectedAmountOut", min_amount_out AS "minAmountOut", reason, decided_at AS "decidedAt"
  FROM routing_decisions WHERE order_id = $1::uuid ORDER BY attempt`;

const STALE_ORDERS = `SELECT id, attempts FROM orders WHERE outcome IS NULL AND updated_at < $1::timestamptz
  ORDER BY updated_at LIMIT $2::int`;

// unfinished orders from their partial index, finished ones from the outcome index
const COUNT_BY_STATUS = `SELECT status, count(*)::int AS n FROM orders WHERE outcome IS NULL GROUP BY status
  UNION ALL SELECT outcome, count(*)::int FROM orders WHERE outcome IS NOT NULL GROUP BY outcome`;

const ORDERS_BY_ID = `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1::uuid[])`;
const LAST_SEQS = `SELECT id, last_seq AS "lastSeq" FROM orders WHERE id = ANY($1::uuid[])`;

type Creation = { order: NewOrder; message: string };
type Created = { created: true; order: OrderRecord; event: OrderEventRecord } | { created: false };

export class OrderStore {
  private readonly transitions: GroupCommit<Transition, OrderEventRecord | null>;
  private readonly creations: GroupCommit<Creation, Created>;
  private readonly reads: GroupCommit<string, OrderRecord | null>;

  private readonly prisma: PrismaClient;
  private readonly pool: pg.Pool;

  /**
   * The statements every order makes (create, load, transition) run on Prisma's pool directly,
   * as prepared statements (infra/sql.ts), batched across concurrent orders.
   */
  constructor({ prisma, pool, batchWaitMs }: Database) {
    this.prisma = prisma;
    this.pool = pool;
    // an order's transitions come a few milliseconds apart: they may wait to share a statement;
    // its creation does not (the mutation's answer waits for it). A value PostgreSQL refuses
    // fails its own order only, never the others sharing its statement.
    this.transitions = new GroupCommit(transitionWriter(pool), { lingerMs: batchWaitMs, isolate: isDataException });
    this.creations = new GroupCommit((batch: Creation[]) => this.insertOrders(batch), { isolate: isDataException });
    const select = preparedStatement<OrderRow>(pool, 'orders-by-id', ORDERS_BY_ID);
    this.reads = new GroupCommit(async (ids: string[]) => {
      const byId = new Map((await select([ids])).map((row) => [row.id, toOrderRecord(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  }

  /**
   * Stores a new PENDING order with its first event, unless its clientOrderId is taken: then
   * nothing is written and `created` is false. clientOrderIds are unique per account.
   */
  create(order: NewOrder, message: string): Promise<Created> {
    return this.creations.submit({ order, message });
  }

  /**
   * One statement for the batch, on a connection taken first: failing to get one means nothing
   * was sent, whereas a connection lost with the statement on its way may have committed it
   * (WriteOutcomeUnknownError), which the caller must not report as "nothing was stored".
   */
  private async insertOrders(batch: Creation[]): Promise<Created[]> {
    const rows = batch.map(({ order, message }, idx) => [idx, order.id, order.accountId, order.clientOrderId, order.tokenIn, order.tokenOut, order.amountIn.toString(), order.slippageBps, order.maxPriceImpactBps ?? null, message]);
    let sent = false;
    const inserted = await withConnection(this.pool, (client) => {
      sent = true;
      return preparedBatch<OrderRow & { idx: number }>(client, 'orders-create', CREATE_ORDERS)(rows);
    }).catch((error: unknown) => {
      throw sent && isStoreUnavailable(error) ? new WriteOutcomeUnknownError(error) : error;
    });
    const byIdx = new Map(inserted.map(({ idx, ...row }) => [idx, toOrderRecord(row)]));
    return batch.map(({ message }, idx) => {
      const created = byIdx.get(idx);
      if (!created) return { created: false as const };
      const event: OrderEventRecord = { orderId: created.id, seq: 1, status: 'PENDING', attempt: 0, message, at: created.createdAt };
      return { created: true as const, order: created, event };
    });
  }

  /**
   * Any account's order: for the engine, which executes orders whoever owns them. Loads issued
   * at the same moment share one query.
   */
  async findById(id: string): Promise<OrderRecord | null> {
    return UUID.test(id) ? this.reads.submit(id) : null;
  }

  /** The order if `accountId` owns it; null when it does not exist or belongs to someone else. */
  async findOwned(accountId: string, id: string): Promise<OrderRecord | null> {
    const [row] = await this.query<OrderRow>('orders-owned', `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1::uuid AND account_id = $2::uuid`, [id, accountId]);
    return row ? toOrderRecord(row) : null;
  }

  findByClientOrderId(accountId: string, clientOrderId: string): Promise<OrderRecord | null> {
    return this.prisma.order.findUnique({ where: { accountId_clientOrderId: { accountId, clientOrderId } } });
  }

  /**
   * Applies the transition if the order is still where the caller saw it; null otherwise.
   * Concurrent transitions are group-committed (group-commit.ts), each still conditional.
   */
  transition(t: Transition): Promise<OrderEventRecord | null> {
    return this.transitions.submit(t);
  }

  /** Events with seq above `afterSeq`, oldest first. */
  eventsAfter(orderId: string, afterSeq = 0): Promise<OrderEventRecord[]> {
    return this.query<OrderEventRecord>('order-events-after', EVENTS_AFTER, [orderId, afterSeq]);
  }

  /** The seq of each order's newest event, by id (orders that do not exist are absent). One query for the lot. */
  async lastSeqs(orderIds: string[]): Promise<Map<string, number>> {
    const rows = await this.query<{ id: string; lastSeq: number }>('orders-last-seqs', LAST_SEQS, [orderIds]);
    return new Map(rows.map((row) => [row.id, row.lastSeq]));
  }

  async routingDecisions(orderId: string): Promise<RoutingDecisionRecord[]> {
    const rows = await this.query<RoutingDecisionRow>('order-routing-decisions', ROUTING_DECISIONS, [orderId]);
    return rows.map((row) => ({ ...row, expectedAmountOut: BigInt(row.expectedAmountOut), minAmountOut: BigInt(row.minAmountOut) }));
  }

  /**
   * A page of one account's orders, newest first, by the (account_id, created_at, id) keyset of
   * the indexes. No index names status (see the orders model): a terminal status is found by the
   * outcome index, any other among the account's unfinished orders (outcome null), which are few.
   */
  async page(query: OrderPageQuery): Promise<OrderRecord[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [`account_id = ${param(query.accountId)}::uuid`];
    const terminal = query.status ? TERMINAL_STATUSES.includes(query.status) : false;
    if (query.status && terminal) where.push(`outcome = ${param(query.status)}::"OrderStatus"`);
    if (query.status && !terminal) where.push(`outcome IS NULL AND status = ${param(query.status)}::"OrderStatus"`);
    if (query.after) where.push(`(created_at, id) < (${param(query.after.createdAt)}::timestamptz, ${param(query.after.id)}::uuid)`);
    if (query.before) where.push(`(created_at, id) > (${param(query.before.createdAt)}::timestamptz, ${param(query.before.id)}::uuid)`);
    const direction = query.inverted ? 'ASC' : 'DESC';
    // one prepared statement per shape (filters present, direction): at most 24
    const shape = `orders-page-${query.status ? (terminal ? 't' : 'u') : ''}${query.after ? 'a' : ''}${query.before ? 'b' : ''}-${direction}`;
    const text = `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE ${where.join(' AND ')}
       ORDER BY created_at ${direction}, id ${direction}
       LIMIT ${param(query.limit)}`;
    return (await this.query<OrderRow>(shape, text, params)).map(toOrderRecord);
  }

  /** A read as a named prepared statement (infra/sql.ts): reads serve every page and subscription. */
  private query<Row>(name: string, text: string, values: unknown[]): Promise<Row[]> {
    return preparedQuery<Row>(this.pool, name, text, values);
  }

  /**
   * Orders that are not terminal and have not moved for `idleMs`: candidates for re-enqueueing.
   * Read through the partial index of unfinished orders, which holds only the orders running.
   */
  stale(idleMs: number, limit: number): Promise<{ id: string; attempts: number }[]> {
    return this.query('orders-stale', STALE_ORDERS, [new Date(Date.now() - idleMs), limit]);
  }

  /** How many orders stand in each status now (statuses with none are absent). */
  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const groups = await this.query<{ status: OrderStatus; n: number }>('orders-count-by-status', COUNT_BY_STATUS, []);
    return Object.fromEntries(groups.map((g) => [g.status, g.n]));
  }
}
