// Orders, their lifecycle events and routing decisions in PostgreSQL, the system of record.
// Every state change is one statement: a conditional UPDATE (status and attempt must be what
// the caller saw, so two workers can never both move an order) chained to the INSERT of the
// event it produces, so an order never changes without its event and seq never skips.
import type { Order, OrderEvent, PrismaClient, RoutingDecision } from '../generated/prisma/client.js';
import type { Dex, OrderStatus } from './types.js';
import { GroupCommit } from './group-commit.js';
import { transitionWriter } from './transition-batch.js';

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
  token_out AS "tokenOut", amount_in AS "amountIn", slippage_bps AS "slippageBps",
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

export class OrderStore {
  private readonly transitions: GroupCommit<Transition, OrderEventRecord | null>;
  private readonly creations = new GroupCommit((batch: { order: NewOrder; message: string }[]) => this.insertOrders(batch));

  constructor(private readonly prisma: PrismaClient) {
    this.transitions = new GroupCommit(transitionWriter(prisma));
  }

  /**
   * Stores a new PENDING order with its first event, unless its clientOrderId is taken: then
   * nothing is written and `created` is false (ON CONFLICT makes concurrent duplicates safe).
   * clientOrderIds are unique per account.
   */
  create(order: NewOrder, message: string): Promise<{ created: true; order: OrderRecord; event: OrderEventRecord } | { created: false }> {
    return this.creations.submit({ order, message });
  }

  /**
   * Many creations as one statement (group commit). A row whose clientOrderId is taken, by an
   * earlier order or by another row of the same batch, inserts nothing and answers created: false.
   */
  private async insertOrders(batch: { order: NewOrder; message: string }[]) {
    const columns = 9;
    const rows = batch.map((_, n) => {
      const p = (i: number) => `$${n * columns + i}`;
      return `(${p(1)}::int, ${p(2)}::uuid, ${p(3)}::uuid, ${p(4)}::text, ${p(5)}::text, ${p(6)}::text, ${p(7)}::bigint, ${p(8)}::int, ${p(9)}::text)`;
    });
    const inserted = await this.prisma.$queryRawUnsafe<(OrderRecord & { idx: number })[]>(
      `WITH input (idx, id, account_id, client_order_id, token_in, token_out, amount_in, slippage_bps, message) AS (
         VALUES ${rows.join(', ')}
       ), o AS (
         INSERT INTO orders (id, account_id, client_order_id, type, status, token_in, token_out, amount_in, slippage_bps)
         SELECT id, account_id, client_order_id, 'MARKET', 'PENDING', token_in, token_out, amount_in, slippage_bps FROM input ORDER BY idx
         ON CONFLICT (account_id, client_order_id) DO NOTHING
         RETURNING *
       ), e AS (
         INSERT INTO order_events (order_id, seq, status, attempt, message, at)
         SELECT o.id, 1, 'PENDING', 0, i.message, o.created_at FROM o JOIN input i ON i.id = o.id
       )
       SELECT i.idx, x.* FROM (SELECT ${ORDER_COLUMNS} FROM o) x JOIN input i ON i.id = x.id`,
      ...batch.flatMap(({ order, message }, idx) => [
        idx, order.id, order.accountId, order.clientOrderId, order.tokenIn, order.tokenOut, order.amountIn.toString(), order.slippageBps, message,
      ]),
    );
    const byIdx = new Map(inserted.map(({ idx, ...order }) => [idx, order as OrderRecord]));
    return batch.map(({ message }, idx) => {
      const created = byIdx.get(idx);
      if (!created) return { created: false as const };
      const event: OrderEventRecord = { orderId: created.id, seq: 1, status: 'PENDING', attempt: 0, message, at: created.createdAt };
      return { created: true as const, order: created, event };
    });
  }

  /** Any account's order: for the engine, which executes orders whoever owns them. */
  findById(id: string): Promise<OrderRecord | null> {
    return this.prisma.order.findUnique({ where: { id } });
  }

  /** The order if `accountId` owns it; null when it does not exist or belongs to someone else. */
  findOwned(accountId: string, id: string): Promise<OrderRecord | null> {
    return this.prisma.order.findFirst({ where: { id, accountId } });
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
    return this.prisma.orderEvent.findMany({ where: { orderId, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' } });
  }

  routingDecisions(orderId: string): Promise<RoutingDecisionRecord[]> {
    return this.prisma.routingDecision.findMany({ where: { orderId }, orderBy: { attempt: 'asc' } });
  }

  /** A page of one account's orders, newest first, by the (account_id, created_at, id) keyset of the indexes. */
  page(query: OrderPageQuery): Promise<OrderRecord[]> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [`account_id = ${param(query.accountId)}::uuid`];
    if (query.status) where.push(`status = ${param(query.status)}::"OrderStatus"`);
    if (query.after) where.push(`(created_at, id) < (${param(query.after.createdAt)}::timestamptz, ${param(query.after.id)}::uuid)`);
    if (query.before) where.push(`(created_at, id) > (${param(query.before.createdAt)}::timestamptz, ${param(query.before.id)}::uuid)`);
    const direction = query.inverted ? 'ASC' : 'DESC';
    return this.prisma.$queryRawUnsafe<OrderRecord[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE ${where.join(' AND ')}
       ORDER BY created_at ${direction}, id ${direction}
       LIMIT ${param(query.limit)}`,
      ...params,
    );
  }

  /** Orders that are not terminal and have not moved for `idleMs`: candidates for re-enqueueing. */
  stale(idleMs: number, limit: number): Promise<{ id: string; attempts: number }[]> {
    return this.prisma.order.findMany({
      where: { status: { in: ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED'] }, updatedAt: { lt: new Date(Date.now() - idleMs) } },
      select: { id: true, attempts: true },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
  }

  /** How many orders stand in each status now (statuses with none are absent). */
  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const groups = await this.prisma.order.groupBy({ by: ['status'], _count: { _all: true } });
    return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
  }
}
