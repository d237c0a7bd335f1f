// Runs one order through its lifecycle: ROUTING → BUILDING → SUBMITTED → CONFIRMED, retrying
// transient faults with a fresh quote, at most MAX_ATTEMPTS attempts, or FAILED with a reason.
//
// Delivery is at least once (a killed worker's job runs again elsewhere), so every step starts
// from what PostgreSQL says and is safe to repeat: the signature is fixed and stored at BUILDING,
// before anything is sent, and a resumed attempt asks the venue about that signature before it
// submits; the venue executes a signature at most once.
import { randomBytes } from 'node:crypto';
import bs58 from 'bs58';
import type { Logger } from 'pino';
import type { EngineSettings } from '../config.js';
import { abortableSleep } from './abortable-sleep.js';
import { MAX_ATTEMPTS, backoffDelayMs } from './backoff.js';
import { NoRouteError, reasonOf, SlippageExceededError, TransactionExpiredError, TransientVenueError } from './errors.js';
import { NO_OBSERVER, type ExecutionObserver, type RetryCause } from './execution-observer.js';
import { formatUnits } from './money.js';
import type { OrderEventBus } from './order-events.js';
import type { OrderChanges, OrderRecord, OrderStore, Transition } from './order-store.js';
import { chooseRoute } from './routing.js';
import { minAmountOut } from './slippage.js';
import { tokenBySymbol } from './tokens.js';
import { TERMINAL_STATUSES, type Dex, type OrderStatus, type VenueQuote } from './types.js';
import { retryWhileUnavailable } from './store-availability.js';
import { withTimeout } from './timeout.js';
import type { Market } from './venues/market.js';
import type { SwapRecord } from './venues/pool-store.js';
import { findPair, type PoolRoute } from './venues/pools.js';

/**
 * Points where a test can have the worker process SIGKILL itself, to prove that an order killed
 * there still finishes exactly once (ENGINE_FAILPOINTS; never set in production).
 */
/** `after-swap` is the venue's: its swap committed in Redis, not yet journaled (createMarket's onSwapCommitted). */
export type Failpoint = 'after-quote' | 'after-build' | 'after-swap' | 'after-submit' | 'after-submitted';

export interface OrderExecutorDeps {
  store: OrderStore;
  bus: OrderEventBus;
  market: Market;
  settings: Pick<EngineSettings, 'retryBaseMs' | 'quoteTimeoutMs' | 'failpoints' | 'storeRetryMs'>;
  /** every line it writes carries orderId and attempt */
  logger: Logger;
  /** metrics and the like; default none */
  observer?: ExecutionObserver;
  /**
   * Aborted when the worker hands its orders back at shutdown: no further step is taken, so the
   * order stays where PostgreSQL has it and another worker resumes it from there.
   */
  signal?: AbortSignal;
}

/** Tries for a signature's status before giving up on the venue for this job run. */
const STATUS_LOOKUP_TRIES = 6;

const newSignature = () => bs58.encode(randomBytes(64));
const unfillableWhy = (quote: VenueQuote, tokenOut: string) =>
  `${quote.dex} ${quote.unfillable === 'too_large' ? 'has too little liquidity for it' : `would give less than one base unit of ${tokenOut}`}`;
const amount = (value: bigint, symbol: string) => `${formatUnits(value, tokenBySymbol(symbol).decimals)} ${symbol}`;

export class OrderExecutor {
  private readonly observer: ExecutionObserver;

  constructor(private readonly deps: OrderExecutorDeps) {
    this.observer = deps.observer ?? NO_OBSERVER;
  }

  /** The logger of one order at one attempt: every engine line names both. */
  private log(order: Pick<OrderRecord, 'id' | 'attempts'>, attempt = order.attempts): Logger {
    return this.deps.logger.child({ orderId: order.id, attempt });
  }

  /**
   * Brings the order to a terminal status, resuming from wherever it stands. `accepted` is the
   * order as the API stored it, when the job carries it: its first step (PENDING → ROUTING) then
   * needs no read, as that write happens only if PostgreSQL still has it PENDING at attempt 0;
   * otherwise the order is read and execution carries on from what PostgreSQL has.
   */
  async execute(orderId: string, accepted: OrderRecord | null = null): Promise<OrderRecord | null> {
    // the attempt is the one last seen (0 before the first read)
    const load = (seen: OrderRecord | null) => this.persist(this.log({ id: orderId, attempts: seen?.attempts ?? 0 }), () => this.deps.store.findById(orderId));
    let order = accepted?.id === orderId && accepted.status === 'PENDING' ? accepted : await load(null);
    // Loaded from the store rather than produced by this run: an earlier run (a killed worker)
    // may already have sent the transaction.
    let resumed = true;
    // the swap this job run has seen executed, so confirmation need not look it up again
    let executed: SwapRecord | null = null;
    while (order && !TERMINAL_STATUSES.includes(order.status)) {
      const next = await this.step(order, executed, resumed);
      executed = next.executed;
      // null: another worker moved the order first; carry on from what it left
      resumed = next.order === null;
      order = next.order ?? (await load(order));
    }
    return order;
  }

  private async step(order: OrderRecord, executed: SwapRecord | null, resumed: boolean): Promise<{ order: OrderRecord | null; executed: SwapRecord | null }> {
    switch (order.status) {
      case 'PENDING':
        return { order: await this.move(order, 'ROUTING', 1, 'quoting RAYDIUM and METEORA'), executed: null };
      case 'ROUTING':
        return { order: await this.route(order), executed: null };
      case 'BUILDING':
        return this.submit(order, resumed);
      case 'SUBMITTED':
        return { order: await this.confirm(order, executed), executed };
      default:
        throw new Error(`order ${order.id} has no step from ${order.status}`);
    }
  }

  private async route(order: OrderRecord): Promise<OrderRecord | null> {
    const route = findPair(order.tokenIn, order.tokenOut);
    if (!route) return this.fail(order, new NoRouteError(order.tokenIn, order.tokenOut).message);
    const { quotes, faults } = await this.quoteAll(route, order.amountIn);
    this.failpoint('after-quote');
    // the trader's limit on price impact: a quote above it is not executed on, however much it pays
    const limit = order.maxPriceImpactBps;
    const overLimit = limit === null ? [] : quotes.filter((q) => !q.unfillable && q.priceImpactBps > limit);
    const withinLimit = quotes.filter((q) => !overLimit.includes(q));
    const choice = chooseRoute(withinLimit, { tokenIn: tokenBySymbol(order.tokenIn), tokenOut: tokenBySymbol(order.tokenOut) });
    if (!choice && overLimit.length > 0 && faults.length === 0) {
      // every venue answered: the same quotes would come back, so a retry cannot help
      const why = quotes.map((q) => (q.unfillable ? unfillableWhy(q, order.tokenOut) : `${q.dex}'s price impact would be ${q.priceImpactBps} bps`));
      return this.fail(order, `no venue can fill ${amount(order.amountIn, order.tokenIn)} within the order's price impact limit of ${limit} bps: ${why.join('; ')}`);
    }
    if (!choice && faults.length > 0) return this.retryOrFail(order, `no usable quote: ${faults.join('; ')}`, 'no_quote');
    // Best execution needs every venue's quote: one that faulted may have paid more, by any
    // margin. So a missing quote retries the attempt, and only the last attempt routes on the
    // quotes it has (its reason names the venue that did not answer).
    if (faults.length > 0 && order.attempts < MAX_ATTEMPTS) {
      return this.retryOrFail(order, `a venue did not quote (${faults.join('; ')}); routing waits for every venue's quote while attempts remain`, 'missing_quote');
    }
    // every venue answered, and none can fill the order: the same quotes would come back
    if (!choice) return this.fail(order, `no venue can fill ${amount(order.amountIn, order.tokenIn)}: ${quotes.map((q) => unfillableWhy(q, order.tokenOut)).join('; ')}`);
    const { chosen } = choice;
    // a venue passed over for its impact is named first: "only X answered" would not be true
    const passedOver = overLimit.map((q) => `${q.dex} passed over: its price impact of ${q.priceImpactBps} bps is above the order's limit of ${limit} bps`);
    const chosenWhy = passedOver.length > 0 && withinLimit.filter((q) => !q.unfillable).length === 1 ? `${chosen.dex} is within it` : choice.reason;
    const reason = [...passedOver, chosenWhy].join('; ') + (faults.length > 0 ? `, on the last attempt (${faults.join('; ')})` : '');
    const minimum = minAmountOut(chosen.amountOut, order.slippageBps);
    const built = await this.move(order, 'BUILDING', order.attempts, `${chosen.dex} chosen: expected ${amount(chosen.amountOut, order.tokenOut)}, minimum ${amount(minimum, order.tokenOut)}`, {
      changes: { dex: chosen.dex, txSignature: newSignature(), minAmountOut: minimum },
      decision: {
        chosenDex: chosen.dex,
        quotes: quotes.map((q) => ({ dex: q.dex, amountOut: q.amountOut.toString(), fee: q.fee.toString(), priceImpactBps: q.priceImpactBps, ...(q.unfillable && { unfillable: q.unfillable }) })),
        expectedAmountOut: chosen.amountOut,
        minAmountOut: minimum,
        reason,
      },
    });
    if (built) this.observer.routed(built, chosen.dex);
    // here, not where submit() begins: an attempt resumed from BUILDING goes on to send its swap
    this.failpoint('after-build');
    return built;
  }

  /** Quotes every venue at once; a venue that errs or is too slow is a fault, not a quote (route() decides what follows). */
  private async quoteAll(route: PoolRoute, amountIn: bigint): Promise<{ quotes: VenueQuote[]; faults: string[] }> {
    const { quoteTimeoutMs } = this.deps.settings;
    const settled = await Promise.allSettled(
      this.deps.market.venues.map((venue) =>
        withTimeout(venue.quote(route, amountIn), quoteTimeoutMs, () => new TransientVenueError(venue.dex, `no quote within ${quoteTimeoutMs} ms`)),
      ),
    );
    const quotes: VenueQuote[] = [];
    const faults: string[] = [];
    for (const result of settled) {
      if (result.status === 'fulfilled') quotes.push(result.value);
      else if (result.reason instanceof TransientVenueError) faults.push(result.reason.message);
      else throw result.reason;
    }
    return { quotes, faults };
  }

  private async submit(order: OrderRecord, resumed: boolean): Promise<{ order: OrderRecord | null; executed: SwapRecord | null }> {
    const venue = this.deps.market.venue(order.dex as Dex);
    const signature = order.txSignature!;
    // A resumed attempt may have sent this signature already: ask before sending it again (and
    // have the venue journal what it finds, in case the worker that sent it died first).
    let record = resumed ? await this.lookup(venue.dex, signature, { journal: true }) : null;
    if (!record) {
      try {
        record = await venue.submit({
          signature,
          orderId: order.id,
          route: findPair(order.tokenIn, order.tokenOut)!,
          amountIn: order.amountIn,
          minAmountOut: order.minAmountOut!,
        }, { signal: this.deps.signal });
      } catch (error) {
        if (!(error instanceof SlippageExceededError || error instanceof TransientVenueError || error instanceof TransactionExpiredError)) throw error;
        // Before a retry sends a new signature, this one is given up, so that it can never execute:
        // a second run of the order (its job's lock lapsed) may be sending it right now, and both
        // would swap. If it has executed (the answer was lost, that run sent it, or it executed
        // before Redis lost it and only the journal has it), it stands. Expired already: another
        // run gave it up, and retries (or has retried) without it, unless it had executed.
        record = await this.lookup(venue.dex, signature, { expire: true });
        if (!record && error instanceof SlippageExceededError) {
          this.observer.slippageRejected(order, venue.dex);
          this.log(order).warn({ dex: venue.dex, minAmountOut: order.minAmountOut!.toString() }, error.message);
          return { order: await this.retryOrFail(order, error.message, 'slippage'), executed: null };
        }
        if (!record) return { order: await this.retryOrFail(order, error.message, 'venue_fault'), executed: null };
      }
    }
    this.failpoint('after-submit');
    return { order: await this.move(order, 'SUBMITTED', order.attempts, `sent ${signature} to ${venue.dex}`), executed: record };
  }

  private async confirm(order: OrderRecord, executed: SwapRecord | null): Promise<OrderRecord | null> {
    const venue = this.deps.market.venue(order.dex as Dex);
    const signature = order.txSignature!;
    this.failpoint('after-submitted');
    // resumed from SUBMITTED: the worker that swapped may have died before the journal had it
    const seen = executed ?? (await this.lookup(venue.dex, signature, { journal: true }));
    if (!seen) throw new Error(`order ${order.id}: ${venue.dex} does not know submitted signature ${signature}`);
    const wait = seen.confirmAt - Date.now();
    if (wait > 0) await abortableSleep(wait, this.deps.signal);
    const confirmed = wait > 0 ? await this.lookup(venue.dex, signature) : seen;
    if (!confirmed) throw new Error(`order ${order.id}: ${venue.dex} lost signature ${signature}`);
    const amountOut = BigInt(confirmed.amountOut);
    return this.move(order, 'CONFIRMED', order.attempts, `received ${amount(amountOut, order.tokenOut)} on ${venue.dex}`, {
      changes: { amountOut, dex: venue.dex },
    });
  }

  /**
   * The venue's record of a signature; transient faults of the lookup itself are retried.
   * `expire`: and if it has not executed, it never will (SimulatedVenue.expire).
   */
  private async lookup(dex: Dex, signature: string, { journal, expire }: { journal?: boolean; expire?: boolean } = {}): Promise<SwapRecord | null> {
    const venue = this.deps.market.venue(dex);
    const { signal } = this.deps;
    for (let attempt = 1; ; attempt++) {
      try {
        return await (expire ? venue.expire(signature, { signal }) : venue.transaction(signature, { journal, signal }));
      } catch (error) {
        if (!(error instanceof TransientVenueError) || attempt >= STATUS_LOOKUP_TRIES) throw error;
        await abortableSleep(backoffDelayMs(attempt + 1, this.deps.settings.retryBaseMs), this.deps.signal);
      }
    }
  }

  private async retryOrFail(order: OrderRecord, reason: string, cause: RetryCause): Promise<OrderRecord | null> {
    if (order.attempts >= MAX_ATTEMPTS) return this.fail(order, `${reason} (gave up after ${order.attempts} attempts)`);
    const attempt = order.attempts + 1;
    await abortableSleep(backoffDelayMs(attempt, this.deps.settings.retryBaseMs), this.deps.signal);
    const retried = await this.move(order, 'ROUTING', attempt, `attempt ${attempt} after: ${reason}`, {
      changes: { dex: null, txSignature: null, minAmountOut: null },
    });
    if (retried) this.observer.retried(retried, cause);
    return retried;
  }

  private fail(order: OrderRecord, reason: string): Promise<OrderRecord | null> {
    return this.move(order, 'FAILED', order.attempts, reason, { changes: { failureReason: reason } });
  }

  /** One conditional transition, then its publication; null when the order had moved on. */
  private async move(
    order: OrderRecord,
    to: OrderStatus,
    attempt: number,
    message: string,
    extra: Pick<Transition, 'changes' | 'decision'> = {},
  ): Promise<OrderRecord | null> {
    this.deps.signal?.throwIfAborted();
    const log = this.log(order, attempt);
    const event = await this.persist(log, () =>
      this.deps.store.transition({
        orderId: order.id,
        from: { status: order.status, attempt: order.attempts },
        to,
        attempt,
        message,
        ...extra,
      }),
    );
    if (!event) {
      log.debug({ from: order.status, to }, 'another worker moved the order first');
      return null;
    }
    log[to === 'FAILED' ? 'warn' : 'info']({ status: to, seq: event.seq }, message);
    const changes: OrderChanges = extra.changes ?? {};
    const moved = { ...order, ...changes, status: to, attempts: attempt, lastSeq: event.seq, updatedAt: event.at } as OrderRecord;
    // Counted as soon as it is committed, before the publish: a subscriber who joins now reads the
    // terminal event from PostgreSQL without waiting for Redis, and a scrape of this process that
    // follows must already count it (counted after the publish's answer, it lagged behind).
    if (TERMINAL_STATUSES.includes(to)) this.observer.finished(moved);
    // Published after commit. A lost publish delays subscribers (they re-read the store) but
    // never loses the event, which is already stored.
    await this.deps.bus.publish(event).catch((error: unknown) => {
      log.warn({ status: to, seq: event.seq, err: error }, 'publish failed; subscribers will re-read the store');
    });
    return moved;
  }

  /** A store call that rides out a PostgreSQL outage instead of failing the order. */
  private persist<T>(log: Logger, call: () => Promise<T>): Promise<T> {
    return retryWhileUnavailable(call, {
      maxMs: this.deps.settings.storeRetryMs,
      // a worker handing its orders back stops waiting: PostgreSQL has the order where it was
      signal: this.deps.signal,
      // one line when the outage starts, then one every 10 tries: an outage is not a log flood
      onRetry: (error, attempt) => {
        if (attempt % 10 === 1) log.warn({ retry: attempt, reason: reasonOf(error) }, 'store unavailable, retrying');
      },
    });
  }

  private failpoint(point: Failpoint): void {
    if (this.deps.settings.failpoints?.has(point)) process.kill(process.pid, 'SIGKILL');
  }
}
