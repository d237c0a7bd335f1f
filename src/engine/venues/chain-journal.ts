// The simulated chain's durable memory, in PostgreSQL. Redis holds the live pools and answers
// fast; this journal is what a real chain never loses: every executed swap, and each pool's
// latest state. After Redis loses everything, a signature is still known (so no order swaps
// twice) and a pool comes back at its last journaled version instead of its genesis.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Database } from '../../infra/prisma.js';
import { preparedBatch, preparedStatement } from '../../infra/sql.js';
import { GroupCommit } from '../group-commit.js';
import type { Dex } from '../types.js';
import type { SwapRecord } from './pool-store.js';

export interface JournaledPool {
  dex: Dex;
  pairId: string;
  state: string;
  version: string;
}

interface SwapRow {
  signature: string;
  orderId: string;
  dex: Dex;
  pairId: string;
  aToB: boolean;
  amountIn: bigint;
  amountOut: bigint;
  submittedAt: Date;
  confirmAt: Date;
}

const toRecord = (row: SwapRow): SwapRecord => ({
  signature: row.signature,
  orderId: row.orderId,
  dex: row.dex,
  pairId: row.pairId,
  aToB: row.aToB,
  amountIn: row.amountIn.toString(),
  amountOut: row.amountOut.toString(),
  submittedAt: row.submittedAt.getTime(),
  confirmAt: row.confirmAt.getTime(),
});

// A pool's row only ever moves forward: journal writes may land out of order.
const UPSERT_POOL = `
  INSERT INTO sim_pools (namespace, dex, pair_id, state, version, updated_at)
  VALUES ($1, $2::"Dex", $3, $4::jsonb, $5::bigint, now())
  ON CONFLICT (namespace, dex, pair_id) DO UPDATE
  SET state = EXCLUDED.state, version = EXCLUDED.version, updated_at = now()
  WHERE sim_pools.version < EXCLUDED.version`;

// Swaps journaled at the same moment, one array per column: a fixed text, prepared once per connection.
const INSERT_SWAPS = `
  INSERT INTO sim_swaps (signature, order_id, dex, pair_id, a_to_b, amount_in, amount_out, submitted_at, confirm_at)
  SELECT * FROM unnest($1::text[], $2::uuid[], $3::"Dex"[], $4::text[], $5::boolean[], $6::bigint[], $7::bigint[], $8::timestamptz[], $9::timestamptz[])
  ON CONFLICT (signature) DO NOTHING`;

export class ChainJournal {
  private readonly swaps: GroupCommit<SwapRecord, undefined>;
  private readonly upsertPool: (values: unknown[]) => Promise<unknown[]>;
  private readonly prisma: PrismaClient;

  /**
   * The writes swaps make, the insert of every swap and a pool's snapshot every 16 versions, run
   * on Prisma's pool directly (infra/sql.ts). Through Prisma, the snapshots alone took 1.7 % of
   * the worker's CPU in the engine benchmark (docs/performance.md, item 22).
   */
  constructor(
    { prisma, pool, batchWaitMs }: Database,
    private readonly namespace: string,
  ) {
    this.prisma = prisma;
    this.upsertPool = preparedStatement(pool, 'sim-pools-upsert', UPSERT_POOL);
    const insert = preparedBatch(pool, 'sim-swaps-insert', INSERT_SWAPS);
    this.swaps = new GroupCommit(async (records: SwapRecord[]) => {
      await insert(records.map((r) => [r.signature, r.orderId, r.dex, r.pairId, r.aToB, r.amountIn, r.amountOut, new Date(r.submittedAt), new Date(r.confirmAt)]));
      return records.map(() => undefined);
    }, { lingerMs: batchWaitMs });
  }

  /**
   * Journals an executed swap, and the pool state it produced when given. Swaps journaled at the
   * same moment by concurrent orders share one INSERT (group commit).
   */
  async recordSwap(record: SwapRecord, pool: JournaledPool | null): Promise<void> {
    if (pool) await this.recordPool(pool);
    await this.swaps.submit(record);
  }

  /** Journals a pool state that no order caused (background flow). */
  async recordPool(pool: JournaledPool): Promise<void> {
    await this.upsertPool([this.namespace, pool.dex, pool.pairId, pool.state, pool.version]);
  }

  async latestPool(dex: Dex, pairId: string): Promise<JournaledPool | null> {
    const row = await this.prisma.simulatedPool.findUnique({ where: { namespace_dex_pairId: { namespace: this.namespace, dex, pairId } } });
    return row ? { dex, pairId, state: JSON.stringify(row.state), version: row.version.toString() } : null;
  }

  async transaction(signature: string): Promise<SwapRecord | null> {
    const row = await this.prisma.simulatedSwap.findUnique({ where: { signature } });
    return row ? toRecord(row) : null;
  }

  /** The swaps an order caused, oldest first: anyone can count them. */
  async swapsOfOrder(orderId: string): Promise<SwapRecord[]> {
    const rows = await this.prisma.simulatedSwap.findMany({ where: { orderId }, orderBy: { submittedAt: 'asc' } });
    return rows.map(toRecord);
  }
}
