// Pool state and the executed-swap ledger of the simulated venues, kept in Redis so that every
// worker process trades against the same pools. A swap is computed in Node with bigint math and
// committed by one Lua script that checks the pool version it was computed against (optimistic
// concurrency) and the transaction signature (a signature executes at most once, like on chain).
// The durable copy of both is the ChainJournal in PostgreSQL.
import type { Redis } from 'ioredis';
import type { Dex } from '../types.js';

export interface PoolSnapshot {
  /** serialized pool state (JSON) */
  state: string;
  /** bumped by every committed swap */
  version: string;
}

/** What the chain remembers of an executed swap. Amounts are base-unit strings. */
export interface SwapRecord {
  signature: string;
  orderId: string;
  dex: Dex;
  pairId: string;
  aToB: boolean;
  amountIn: string;
  amountOut: string;
  submittedAt: number;
  /** chain time (ms since epoch) from which the transaction counts as confirmed */
  confirmAt: number;
}

export type CommitOutcome =
  | { kind: 'committed'; version: string }
  | { kind: 'conflict' }
  | { kind: 'duplicate'; record: SwapRecord };

const SEED_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'version', ARGV[2])
return 1`;

// KEYS: pool, tx record. ARGV: expected version, next state, signature, record JSON.
// An empty signature is background flow: no ledger entry.
const COMMIT_SCRIPT = `
if ARGV[3] ~= '' then
  local existing = redis.call('GET', KEYS[2])
  if existing then return {'duplicate', existing} end
end
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return {'conflict'} end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) end
return {'committed', tostring(version)}`;

export class PoolStore {
  constructor(
    private readonly redis: Redis,
    /** key prefix; tests give each market its own so they never share pools */
    private readonly namespace = 'sim',
  ) {}

  private poolKey = (dex: Dex, pairId: string) => `${this.namespace}:pool:${dex}:${pairId}`;
  private txKey = (signature: string) => `${this.namespace}:tx:${signature}`;

  async load(dex: Dex, pairId: string): Promise<PoolSnapshot | null> {
    const [state, version] = await this.redis.hmget(this.poolKey(dex, pairId), 'state', 'version');
    return state != null && version != null ? { state, version } : null;
  }

  /** Stores a state (genesis, or restored from the journal) unless the pool exists; returns whether it did. */
  async seed(dex: Dex, pairId: string, pool: PoolSnapshot): Promise<boolean> {
    return (await this.redis.eval(SEED_SCRIPT, 1, this.poolKey(dex, pairId), pool.state, pool.version)) === 1;
  }

  async commit(input: {
    dex: Dex;
    pairId: string;
    expectedVersion: string;
    nextState: string;
    record?: SwapRecord;
  }): Promise<CommitOutcome> {
    const { record } = input;
    const reply = (await this.redis.eval(
      COMMIT_SCRIPT,
      2,
      this.poolKey(input.dex, input.pairId),
      this.txKey(record?.signature ?? ''),
      input.expectedVersion,
      input.nextState,
      record?.signature ?? '',
      record ? JSON.stringify(record) : '',
    )) as [string, string?];
    if (reply[0] === 'duplicate') return { kind: 'duplicate', record: JSON.parse(reply[1]!) as SwapRecord };
    if (reply[0] === 'committed') return { kind: 'committed', version: reply[1]! };
    return { kind: 'conflict' };
  }

  async transaction(signature: string): Promise<SwapRecord | null> {
    const raw = await this.redis.get(this.txKey(signature));
    return raw ? (JSON.parse(raw) as SwapRecord) : null;
  }
}
