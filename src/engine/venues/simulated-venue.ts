// A venue as the engine sees it: quote, submit a signed swap, look a signature up. Latency and
// transient faults come from the simulation settings; prices come from the shared pool state.
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulationSettings } from '../../config.js';
import { SlippageExceededError, TransactionExpiredError, TransientVenueError } from '../errors.js';
import { retryWhileUnavailable } from '../store-availability.js';
import type { Dex, VenueQuote } from '../types.js';
import type { ChainJournal, JournaledPool } from './chain-journal.js';
import { PoolCache } from './pool-cache.js';
import type { PoolModel } from './pool-models.js';
import type { PoolSnapshot, PoolStore, SwapRecord } from './pool-store.js';
import { pairId, routeTokens, type PairSpec, type PoolRoute } from './pools.js';
import type { Random } from './random.js';

/** How long one swap may hold its pool's line in this process before the next goes ahead. */
const LANE_PATIENCE_MS = 2_000;

/** A pool's state is journaled with every this-many-th version. */
const SNAPSHOT_EVERY = 16n;

export interface SwapTransaction {
  signature: string;
  orderId: string;
  route: PoolRoute;
  amountIn: bigint;
  minAmountOut: bigint;
}

/**
 * `signal`: a worker handing its orders back; a journal write riding out a PostgreSQL outage stops
 * waiting (the swap is in Redis, where a resumed attempt finds it and has it journaled).
 */
export interface VenueCallOptions {
  signal?: AbortSignal;
}

/** A background trade's direction and size, chosen from the pool's price; no trade when the size is not positive. */
export type FlowSizer = (price: { num: bigint; den: bigint }) => { aToB: boolean; amountIn: bigint };

export class SimulatedVenue<S = unknown> {
  /** the tail of each pool's line of swaps in this process */
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly pools: PoolCache<S>;

  constructor(
    private readonly model: PoolModel<S>,
    private readonly store: PoolStore,
    private readonly journal: ChainJournal,
    private readonly sim: SimulationSettings,
    private readonly random: Random,
    /** called once a swap is committed in Redis, before it is journaled: the `after-swap` failpoint */
    private readonly onSwapCommitted?: () => void,
  ) {
    this.pools = new PoolCache(model, store, journal, (pair) => model.seed(pair, this.seedSkewBps(pairId(pair))));
  }

  get dex(): Dex {
    return this.model.dex;
  }

  async quote(route: PoolRoute, amountIn: bigint): Promise<VenueQuote> {
    if (this.sim.quoteMs > 0) await sleep(this.sim.quoteMs);
    this.maybeFail('quote request timed out');
    const pool = await this.pools.current(route.pair);
    const outcome = this.model.swap(pool.state, route.aToB, amountIn);
    // a partial fill (the pool ran out of bins) is quoted as no output: it cannot fill the order,
    // so it would take no fee and move no price either
    const unfillable = outcome.amountIn < amountIn ? 'too_large' : outcome.amountOut === 0n ? 'too_small' : undefined;
    if (unfillable) return { dex: this.dex, amountIn, amountOut: 0n, fee: 0n, priceImpactBps: 0, unfillable };
    return { dex: this.dex, amountIn, amountOut: outcome.amountOut, fee: outcome.fee, priceImpactBps: outcome.priceImpactBps };
  }

  /**
   * Executes the swap once per signature: submitting a signature that already executed returns
   * its record instead of swapping again, as a chain rejects a duplicate transaction.
   */
  async submit(tx: SwapTransaction, options: VenueCallOptions = {}): Promise<SwapRecord> {
    this.maybeFail('submit failed: RPC node unavailable');
    const record = await this.execute(tx, options);
    // the swap executed but the answer is lost: the caller must ask about the signature
    this.maybeFail('submit response lost');
    return record;
  }

  /**
   * The chain's record of a signature: Redis first, then the journal (Redis may have lost it).
   * `journal`: a swap found in Redis is journaled before it is returned (an insert that does
   * nothing when the journal has it). For a caller resuming another worker's order: that worker
   * may have died between its swap and the swap's journal entry, which nobody else would write.
   */
  async transaction(signature: string, options: VenueCallOptions & { journal?: boolean } = {}): Promise<SwapRecord | null> {
    this.maybeFail('signature status request timed out');
    const live = await this.store.transaction(signature);
    if (live && options.journal) await this.journalSwap(live, null, options);
    return live ?? (await this.journal.transaction(signature));
  }

  /**
   * Gives a signature up: if it executed, its swap (journaled, as `transaction`'s `journal` does);
   * if not, it never will, and a submit of it is refused with TransactionExpiredError. On Solana,
   * advancing the durable nonce the transaction was signed with. An order retried after a fault
   * with a new signature must first give the old one up: a second run of the order (a job whose
   * lock lapsed) may be sending it at that moment, and both would execute.
   */
  async expire(signature: string, options: VenueCallOptions = {}): Promise<SwapRecord | null> {
    this.maybeFail('nonce advance request timed out');
    const live = await this.store.expire(signature);
    if (live) {
      await this.journalSwap(live, null, options);
      return live;
    }
    // Redis may have lost an executed swap that the journal has: it stands, in the ledger again
    const journaled = await this.journal.transaction(signature);
    if (journaled) await this.store.restoreTransaction(journaled);
    return journaled;
  }

  private async execute(tx: SwapTransaction, options: VenueCallOptions): Promise<SwapRecord> {
    const { record, snapshot, fresh } = await this.oneAtATime(pairId(tx.route.pair), () => this.commitSwap(tx));
    if (fresh) this.onSwapCommitted?.();
    // Journaled before the submitter hears of it. A crash in between leaves the swap in Redis,
    // where a resumed attempt finds it and has it journaled (transaction's `journal`); only that
    // crash plus a Redis wipe before any worker resumes the order could lose it. A duplicate
    // (the signature had executed) is journaled again for the same reason.
    await this.journalSwap(record, snapshot, options);
    return record;
  }

  /** Journals a swap (an insert that does nothing when the journal has it), riding out a PostgreSQL outage until `signal`. */
  private journalSwap(record: SwapRecord, snapshot: JournaledPool | null, { signal }: VenueCallOptions): Promise<void> {
    return retryWhileUnavailable(() => this.journal.recordSwap(record, snapshot), { signal });
  }

  /**
   * Prices the swap on the pool's state and commits it if the pool has not moved since. It starts
   * from the state this process holds, without a round trip: after this process's own swaps it is
   * current, and if another process moved the pool, the commit's compare-and-set refuses it and the
   * swap is priced again on the state Redis has. A swap is refused for slippage only on that.
   */
  private async commitSwap(tx: SwapTransaction): Promise<{ record: SwapRecord; snapshot: JournaledPool | null; fresh: boolean }> {
    const held = this.pools.held(tx.route.pair);
    // whether `pool` is the state Redis had when it was read, rather than the one this process held
    let current = held === undefined;
    let pool = held ?? (await this.pools.current(tx.route.pair));
    for (;;) {
      const outcome = this.model.swap(pool.state, tx.route.aToB, tx.amountIn);
      if (outcome.amountIn < tx.amountIn || outcome.amountOut < tx.minAmountOut) {
        if (!current) {
          pool = await this.pools.current(tx.route.pair);
          current = true;
          continue;
        }
        const executed = await this.transactionUnfaulted(tx.signature);
        if (executed) return { record: executed, snapshot: null, fresh: false };
        const { tokenIn, tokenOut } = routeTokens(tx.route);
        // a partial fill is refused whatever it pays: the order's amount is all or nothing
        const unfilled = outcome.amountIn < tx.amountIn ? { tokenIn, amountIn: tx.amountIn, filled: outcome.amountIn } : undefined;
        throw new SlippageExceededError(this.dex, tx.minAmountOut, outcome.amountOut, tokenOut, unfilled);
      }
      const submittedAt = Date.now();
      const { min, max } = this.sim.confirmMs;
      const record: SwapRecord = {
        signature: tx.signature,
        orderId: tx.orderId,
        dex: this.dex,
        pairId: pairId(tx.route.pair),
        aToB: tx.route.aToB,
        amountIn: tx.amountIn.toString(),
        amountOut: outcome.amountOut.toString(),
        submittedAt,
        confirmAt: submittedAt + this.random.int(min, max),
      };
      const { next, changes } = outcome;
      const result = await this.store.commit({
        dex: this.dex,
        pairId: record.pairId,
        expected: pool,
        changes,
        record,
      });
      if (result.kind === 'committed') {
        this.pools.committed(tx.route.pair, pool, { version: result.version, state: next });
        // the pool's state goes along every SNAPSHOT_EVERY versions: enough to restore it after a
        // Redis loss (a few swaps behind at most), without writing kilobytes of state per swap
        const snapshot =
          BigInt(result.version) % SNAPSHOT_EVERY === 0n ? { dex: this.dex, pairId: record.pairId, state: this.model.serialize(next), version: result.version } : null;
        return { record, snapshot, fresh: true };
      }
      if (result.kind === 'duplicate') return { record: result.record, snapshot: null, fresh: false };
      if (result.kind === 'expired') throw new TransactionExpiredError(this.dex, tx.signature);
      // conflict: another process's swap moved the pool since that state; price the swap again
      pool = await this.pools.current(tx.route.pair);
      current = true;
    }
  }

  /**
   * Runs swaps on one pool one after another within this process. Without it, hundreds of
   * concurrent orders on a pool would all price against the same version and all but one lose
   * the compare-and-set, again and again; in line, only other processes can make one retry.
   */
  private oneAtATime<T>(pool: string, work: () => Promise<T>): Promise<T> {
    const previous = this.lanes.get(pool) ?? Promise.resolve();
    const run = previous.then(work, work);
    // A swap stuck on a slow connection holds the line for LANE_PATIENCE_MS at most, counted from
    // when it starts (not from when it queued, or a deep line would be released all at once); the
    // next one then goes ahead, safely: each commit is a compare-and-set on the pool's version.
    const settled = previous
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => Promise.race([run, sleep(LANE_PATIENCE_MS, undefined, { ref: false })]))
      .then(
        () => undefined,
        () => undefined,
      );
    this.lanes.set(pool, settled);
    void settled.then(() => {
      if (this.lanes.get(pool) === settled) this.lanes.delete(pool);
    });
    return run;
  }

  /** A signature's swap, from Redis or the journal; an expired one is refused, as its commit would be. */
  private async transactionUnfaulted(signature: string): Promise<SwapRecord | null> {
    const entry = await this.store.ledgerEntry(signature);
    if (entry === 'expired') throw new TransactionExpiredError(this.dex, signature);
    return entry ?? (await this.journal.transaction(signature));
  }

  /** The pool's current state (JSON, as the journal stores it), seeding the pool if it is missing. */
  async pool(route: Pick<PoolRoute, 'pair'>): Promise<PoolSnapshot> {
    const { state, version } = await this.pools.current(route.pair);
    return { state: this.model.serialize(state), version };
  }

  /**
   * One trade that no order caused (background flow), sized by `size` from the pool's price.
   * Skipped when nothing would come out, or when the pool moved before it committed (an order
   * traded first); every committed one is journaled, since no swap record will carry it.
   */
  async backgroundSwap(pair: PairSpec, size: FlowSizer): Promise<void> {
    const pool = await this.pools.current(pair);
    const trade = size(this.model.price(pool.state));
    if (trade.amountIn <= 0n) return;
    const outcome = this.model.swap(pool.state, trade.aToB, trade.amountIn);
    if (outcome.amountOut <= 0n) return;
    const id = pairId(pair);
    const { next, changes } = outcome;
    const result = await this.store.commit({ dex: this.dex, pairId: id, expected: pool, changes });
    if (result.kind !== 'committed') return;
    this.pools.committed(pair, pool, { version: result.version, state: next });
    await this.journal.recordPool({ dex: this.dex, pairId: id, state: this.model.serialize(next), version: result.version });
  }

  /** Meteora starts a little off Raydium's price, deterministically per SIM_SEED and pair. */
  private seedSkewBps(id: string): number {
    if (this.dex === 'RAYDIUM') return 0;
    let hash = this.sim.seed;
    for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_003;
    return (hash % 61) - 30;
  }

  private maybeFail(message: string): void {
    if (this.random.chance(this.sim.failRate)) throw new TransientVenueError(this.dex, message);
  }
}
