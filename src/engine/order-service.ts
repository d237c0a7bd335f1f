// Accepting an order: validate, store it with its PENDING event, enqueue it, publish.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { IdempotencyConflictError, StoreUnavailableError } from './errors.js';
import type { OrderEventBus } from './order-events.js';
import { bulkEnqueuer, type ExecuteOrderJob } from './order-queue.js';
import type { OrderRecord, OrderStore } from './order-store.js';
import { validateMarketOrder, type MarketOrderInput, type ValidMarketOrder } from './order-validation.js';
import { isStoreUnavailable, WriteOutcomeUnknownError } from './store-availability.js';
import { withTimeout } from './timeout.js';
import { TERMINAL_STATUSES } from './types.js';

/** How long the mutation waits for Redis to take the job before leaving it to the reconciler. */
const ENQUEUE_TIMEOUT_MS = 2_000;
/** What a client is told to wait before retrying when PostgreSQL is away. */
const STORE_RETRY_AFTER_MS = 1_000;

const sameInput = (order: OrderRecord, input: ValidMarketOrder) =>
  order.tokenIn === input.tokenIn &&
  order.tokenOut === input.tokenOut &&
  order.amountIn === input.amountIn &&
  order.slippageBps === input.slippageBps &&
  order.maxPriceImpactBps === input.maxPriceImpactBps;

/**
 * PostgreSQL away, as the caller's typed error: with `id` when a write of the order under that
 * id may have committed (WriteOutcomeUnknownError), without when nothing was stored. Any other
 * error as it is.
 */
function storeError(error: unknown, id: string): unknown {
  if (error instanceof WriteOutcomeUnknownError) return new StoreUnavailableError(STORE_RETRY_AFTER_MS, id);
  return isStoreUnavailable(error) ? new StoreUnavailableError(STORE_RETRY_AFTER_MS) : error;
}

export class OrderService {
  private readonly enqueue: (order: OrderRecord, fresh: boolean) => Promise<void>;

  constructor(
    private readonly store: OrderStore,
    private readonly bus: OrderEventBus,
    queue: Queue<ExecuteOrderJob>,
  ) {
    this.enqueue = bulkEnqueuer(queue);
  }

  /**
   * Stores an order of `accountId`. Throws OrderValidationError (nothing stored) or
   * IdempotencyConflictError. The same clientOrderId of the same account with the same input
   * returns the order it created, however many times and however concurrently it is sent.
   */
  async submitMarketOrder(accountId: string, input: MarketOrderInput): Promise<OrderRecord> {
    const order = validateMarketOrder(input);
    const id = randomUUID();
    // One statement: on an outage either the order and its PENDING event exist, or nothing does;
    // which of the two is unknown when the connection broke with the statement on its way.
    const result = await this.store.create({ id, accountId, ...order }, 'accepted and queued').catch((error: unknown) => {
      throw storeError(error, id);
    });
    if (!result.created) {
      return this.existing(accountId, order).catch((error: unknown) => {
        throw storeError(error, id);
      });
    }
    // Both at once: neither depends on the other (a subscriber that hears ROUTING before PENDING
    // re-reads the store). If the enqueue fails (Redis away), the order is stored PENDING and the
    // reconciler enqueues it later: the caller is told it was accepted, because it was. A lost
    // publish only delays subscribers: they re-read the store.
    await Promise.all([
      withTimeout(this.enqueue(result.order, true), ENQUEUE_TIMEOUT_MS).catch(() => undefined),
      withTimeout(this.bus.publish(result.event), ENQUEUE_TIMEOUT_MS).catch(() => undefined),
    ]);
    return result.order;
  }

  private async existing(accountId: string, input: ValidMarketOrder): Promise<OrderRecord> {
    const existing = await this.store.findByClientOrderId(accountId, input.clientOrderId!);
    if (!existing) throw new Error(`order with clientOrderId ${input.clientOrderId} vanished`);
    if (!sameInput(existing, input)) throw new IdempotencyConflictError(input.clientOrderId!, existing.id);
    // the first request may have stored it and lost its enqueue; the job id makes this a no-op otherwise
    if (!TERMINAL_STATUSES.includes(existing.status)) await withTimeout(this.enqueue(existing, false), ENQUEUE_TIMEOUT_MS).catch(() => undefined);
    return existing;
  }
}
