// Pool state and the executed-swap ledger of the simulated venues, kept in Redis so that every
// worker process trades against the same pools. A swap is computed in Node with bigint math and
// committed by one Lua script that checks the pool version it was computed against (optimistic
// concurrency) and the transaction signature (a signature executes at most once, like on chain).
// The durable copy of both is the ChainJournal in PostgreSQL.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Dex } from '../types.js';
import type { PoolFields } from './pool-models.js';

/** A pool's state as the journal and the venue's readers see it. */
export interface PoolSnapshot {
  /** serialized pool state (JSON) */
  state: string;
  /** bumped by every committed swap */
  version: string;
}

/** Which of a pool's states a reader holds. */
export interface PoolVersion {
  version: string;
  /**
   * Random id written whenever the pool is created or restored. Versions start over when Redis
   * loses a pool (the journal's copy is a few swaps behind), so a version number alone could
   * name two different states; epoch and version together name one.
   */
  epoch: string;
}

export interface StoredPool extends PoolVersion {
  /** the state's fields, as its model wrote them (PoolModel.toFields) */
  fields: PoolFields;
}

/** The pool is still at the version the reader holds, so its state was not sent. */
export interface UnchangedPool extends PoolVersion {
  fields: null;
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
  | { kind: 'duplicate'; record: SwapRecord }
  | { kind: 'expired' };

/** What a signature's ledger entry holds once it was expired without executing. */
const EXPIRED = '{"expired":true}';

/** A ledger entry as Redis holds it: a swap's record, the expired marker, or nothing. */
const entryOf = (raw: string | null | undefined): SwapRecord | 'expired' | null => (!raw ? null : raw === EXPIRED ? 'expired' : (JSON.parse(raw) as SwapRecord));

// A pool is one hash: its state's fields as the model names them, and the store's own '@version'
// and '@epoch'. A swap rewrites only the fields it changed (a DLMM pool holds 121 bins and a swap
// crosses a few), and a reader whose copy is current gets the version alone.

// KEYS: pool. ARGV: the version and epoch the reader holds (empty for none).
const LOAD_SCRIPT = `
local version, epoch = unpack(redis.call('HMGET', KEYS[1], '@version', '@epoch'))
if not version then return false end
if version == ARGV[1] and epoch == ARGV[2] then return {version} end
return redis.call('HGETALL', KEYS[1])`;

// KEYS: pool. ARGV: version, epoch, then the state's fields as name, value, name, value... A hash
// without '@version' is replaced: it is no pool (or one stored by an older layout).
const SEED_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], '@version') == 1 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], '@version', ARGV[1], '@epoch', ARGV[2], unpack(ARGV, 3))
return 1`;

// KEYS: pool, tx record. ARGV: expected version, expected epoch, signature, record JSON, then the
// changed fields as name, value... An empty signature is background flow: no ledger entry. Version
// and epoch together name the state the swap was priced on (a version alone could name a state of
// a re-created pool).
const COMMIT_SCRIPT = `
if ARGV[3] ~= '' then
  local existing = redis.call('GET', KEYS[2])
  if existing then return {'duplicate', existing} end
end
local version, epoch = unpack(redis.call('HMGET', KEYS[1], '@version', '@epoch'))
if version ~= ARGV[1] or epoch ~= ARGV[2] then return {'conflict'} end
if #ARGV > 4 then redis.call('HSET', KEYS[1], unpack(ARGV, 5)) end
local next = redis.call('HINCRBY', KEYS[1], '@version', 1)
if ARGV[3] ~= '' then redis.call('SET', KEYS[2], ARGV[4]) end
return {'committed', tostring(next)}`;

// KEYS: tx record. ARGV: the expired marker. The record if the signature executed; otherwise
// the marker takes its place, so that the signature never executes (COMMIT_SCRIPT finds it).
const EXPIRE_SCRIPT = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
return false`;

const flatten = (fields: PoolFields): string[] => Object.entries(fields).flat();

/**
 * The read script as an ioredis command: its text goes once per connection, then EVALSHA. (The
 * commit stays a plain EVAL: the bench counts EVALs as compare-and-swap attempts.)
 */
interface PoolReadCommand {
  /** the version alone, or the whole hash as name, value, name, value... */
  simPoolLoad(pool: string, knownVersion: string, knownEpoch: string): Promise<string[] | null>;
}

function withPoolReadCommand(redis: Redis): Redis & PoolReadCommand {
  // markets sharing a client would define the same script again, which only makes it resend its text
  if (!('simPoolLoad' in redis)) redis.defineCommand('simPoolLoad', { numberOfKeys: 1, lua: LOAD_SCRIPT });
  return redis as Redis & PoolReadCommand;
}

export class PoolStore {
  private readonly redis: Redis & PoolReadCommand;

  constructor(
    redis: Redis,
    /** key prefix; tests give each market its own so they never share pools */
    private readonly namespace = 'sim',
  ) {
    this.redis = withPoolReadCommand(redis);
  }

  private poolKey = (dex: Dex, pairId: string) => `${this.namespace}:pool:${dex}:${pairId}`;
  private txKey = (signature: string) => `${this.namespace}:tx:${signature}`;

  /** The pool's current state, or only its version when that is the `known` one; null if the pool does not exist. */
  async load(dex: Dex, pairId: string): Promise<StoredPool | null>;
  async load(dex: Dex, pairId: string, known: PoolVersion | undefined): Promise<StoredPool | UnchangedPool | null>;
  async load(dex: Dex, pairId: string, known?: PoolVersion): Promise<StoredPool | UnchangedPool | null> {
    const reply = await this.redis.simPoolLoad(this.poolKey(dex, pairId), known?.version ?? '', known?.epoch ?? '');
    if (reply === null) return null;
    // a version alone comes back only when it matched `known` (no version is ever empty)
    if (reply.length === 1) return { version: reply[0]!, epoch: known!.epoch, fields: null };
    let version = '';
    let epoch = '';
    const fields: PoolFields = {};
    for (let i = 0; i < reply.length; i += 2) {
      const [name, value] = [reply[i]!, reply[i + 1]!];
      if (name === '@version') version = value;
      else if (name === '@epoch') epoch = value;
      else fields[name] = value;
    }
    return { version, epoch, fields };
  }

  /** Stores a state (genesis, or restored from the journal) unless the pool exists; returns whether it did. */
  async seed(dex: Dex, pairId: string, pool: { fields: PoolFields; version: string }): Promise<boolean> {
    const epoch = randomBytes(8).toString('hex');
    return (await this.redis.eval(SEED_SCRIPT, 1, this.poolKey(dex, pairId), pool.version, epoch, ...flatten(pool.fields))) === 1;
  }

  /**
   * Writes the `changes` a swap made if the pool is still at `expected` (its version and epoch),
   * and the swap's record with them unless its signature executed already (`duplicate`, nothing
   * written).
   */
  async commit(input: {
    dex: Dex;
    pairId: string;
    expected: PoolVersion;
    changes: PoolFields;
    record?: SwapRecord;
  }): Promise<CommitOutcome> {
    const { record } = input;
    const reply = (await this.redis.eval(
      COMMIT_SCRIPT,
      2,
      this.poolKey(input.dex, input.pairId),
      this.txKey(record?.signature ?? ''),
      input.expected.version,
      input.expected.epoch,
      record?.signature ?? '',
      record ? JSON.stringify(record) : '',
      ...flatten(input.changes),
    )) as [string, string?];
    if (reply[0] === 'duplicate') {
      const entry = entryOf(reply[1]) as SwapRecord | 'expired';
      return entry === 'expired' ? { kind: 'expired' } : { kind: 'duplicate', record: entry };
    }
    if (reply[0] === 'committed') return { kind: 'committed', version: reply[1]! };
    return { kind: 'conflict' };
  }

  /** The swap a signature executed; null when it did not (or was expired). */
  async transaction(signature: string): Promise<SwapRecord | null> {
    const entry = await this.ledgerEntry(signature);
    return entry === 'expired' ? null : entry;
  }

  /** What the ledger holds for a signature: its swap, 'expired', or nothing. */
  async ledgerEntry(signature: string): Promise<SwapRecord | 'expired' | null> {
    return entryOf(await this.redis.get(this.txKey(signature)));
  }

  /** Puts an executed swap back in the ledger (Redis lost it; the journal had it), over an expiry written meanwhile. */
  async restoreTransaction(record: SwapRecord): Promise<void> {
    await this.redis.set(this.txKey(record.signature), JSON.stringify(record));
  }

  /**
   * Makes a signature that has not executed unable to execute ever after, atomically with looking
   * it up: returns its swap if it had executed, null if it now never will.
   */
  async expire(signature: string): Promise<SwapRecord | null> {
    const entry = entryOf((await this.redis.eval(EXPIRE_SCRIPT, 1, this.txKey(signature), EXPIRED)) as string | null);
    return entry === 'expired' ? null : entry;
  }
}
