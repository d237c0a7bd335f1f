// A venue's copy of its pools' states in this process, parsed. Other worker processes swap the
// same pools, so the copy is never trusted without asking Redis for the pool's current version;
// but the state itself (over a hundred fields for a DLMM pool) crosses the wire and is parsed only
// when the copy is stale, which it is not after a swap this process made.
import type { ChainJournal } from './chain-journal.js';
import type { PoolModel } from './pool-models.js';
import type { PoolStore, PoolVersion, StoredPool } from './pool-store.js';
import { pairId, type PairSpec } from './pools.js';

export interface CachedPool<S> extends PoolVersion {
  /** parsed; never mutated, so concurrent quotes share it */
  state: S;
}

export class PoolCache<S> {
  private readonly pools = new Map<string, CachedPool<S>>();

  constructor(
    private readonly model: PoolModel<S>,
    private readonly store: PoolStore,
    private readonly journal: ChainJournal,
    /** a pool's state when the market first opens */
    private readonly genesis: (pair: PairSpec) => S,
  ) {}

  /**
   * The pool's current state. A pool missing from Redis is restored from the journal at its
   * latest version, or created at genesis the first time (every process seeds it identically).
   */
  async current(pair: PairSpec): Promise<CachedPool<S>> {
    const id = pairId(pair);
    const held = this.pools.get(id);
    const read = await this.store.load(this.model.dex, id, held);
    if (read === null) return this.restore(pair);
    // no state came back: Redis is still at `held` (this one, though the map may hold a newer one by now)
    return read.fields === null ? held! : this.adopt(id, read);
  }

  /**
   * The state this process last saw, without asking Redis whether the pool has moved since: for a
   * commit, whose compare-and-set on version and epoch refuses a state that is no longer current.
   */
  held(pair: PairSpec): CachedPool<S> | undefined {
    return this.pools.get(pairId(pair));
  }

  /**
   * Keeps the state this process's own swap committed, so the next read of the pool carries no
   * state. It keeps the epoch of the state the swap was priced on: had Redis re-created the pool
   * in between, the next read finds another epoch and fetches the state.
   */
  committed(pair: PairSpec, base: PoolVersion, next: { version: string; state: S }): void {
    this.pools.set(pairId(pair), { ...next, epoch: base.epoch });
  }

  private async restore(pair: PairSpec): Promise<CachedPool<S>> {
    const id = pairId(pair);
    const journaled = await this.journal.latestPool(this.model.dex, id);
    const state = journaled ? this.model.parse(journaled.state) : this.genesis(pair);
    await this.store.seed(this.model.dex, id, { fields: this.model.toFields(state), version: journaled?.version ?? '0' });
    return this.adopt(id, (await this.store.load(this.model.dex, id))!);
  }

  private adopt(id: string, read: StoredPool): CachedPool<S> {
    const held = this.pools.get(id);
    // reads in flight together that all found the pool moved parse its new state once
    if (held?.version === read.version && held.epoch === read.epoch) return held;
    const pool: CachedPool<S> = { version: read.version, epoch: read.epoch, state: this.model.fromFields(read.fields) };
    this.pools.set(id, pool);
    return pool;
  }
}
