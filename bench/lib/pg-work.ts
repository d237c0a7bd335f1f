// What PostgreSQL did per unit of work, from its cumulative statistics read before and after a
// measurement: WAL written (every heap and index change is logged, so it counts the work itself,
// whatever the machine's speed that hour), buffers touched, and how many updates of `orders` were
// HOT (heap-only: no index entry written). CPU time drifts from run to run on a shared virtual
// machine; these do not, which makes them the way to compare two versions of a statement.
import type pg from 'pg';

export interface PostgresWork {
  /** from the WAL insert position: exact */
  walBytesPerUnit: number;
  walRecordsPerUnit: number;
  /** full-page images: the first change of a page after a checkpoint logs the whole page */
  walFullPagesPerUnit: number;
  /** shared buffers read or hit by statements */
  buffersPerUnit: number;
  ordersUpdatesPerUnit: number;
  /** share of those updates that were HOT, 0-1 */
  ordersHotShare: number;
  /** sequential scans of `orders`, and rows read by sequential scans of any table: every statement of an order is keyed, so both should be near 0 */
  ordersSeqScansPerUnit: number;
  seqRowsReadPerUnit: number;
}

interface Snapshot {
  /** the WAL insert position, in bytes from the start of the WAL */
  walBytes: number;
  walRecords: number;
  walFpi: number;
  buffers: number;
  updates: number;
  hot: number;
  ordersSeqScans: number;
  seqRowsRead: number;
}

const SNAPSHOT = `
  SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::float8 AS "walBytes", w.wal_records::float8 AS "walRecords", w.wal_fpi::float8 AS "walFpi",
         (d.blks_hit + d.blks_read)::float8 AS buffers,
         coalesce(t.n_tup_upd, 0)::float8 AS updates, coalesce(t.n_tup_hot_upd, 0)::float8 AS hot,
         coalesce(t.seq_scan, 0)::float8 AS "ordersSeqScans",
         (SELECT coalesce(sum(seq_tup_read), 0) FROM pg_stat_user_tables WHERE schemaname = current_schema())::float8 AS "seqRowsRead"
  FROM pg_stat_wal w
  CROSS JOIN pg_stat_database d
  LEFT JOIN pg_stat_user_tables t ON t.relname = 'orders' AND t.schemaname = current_schema()
  WHERE d.datname = current_database()`;

async function snapshot(pool: pg.Pool): Promise<Snapshot> {
  const { rows } = await pool.query<Snapshot>(SNAPSHOT);
  return rows[0]!;
}

/**
 * Starts counting; `stop(units)` gives the work per unit. Backends publish their statistics when
 * they exit, and otherwise only every second or so while idle: call `stop` once the processes
 * whose work is counted have closed their connections.
 */
export async function countPostgresWork(pool: pg.Pool): Promise<{ stop(units: number): Promise<PostgresWork> }> {
  const before = await snapshot(pool);
  return {
    async stop(units: number) {
      const after = await snapshot(pool);
      const per = (delta: number, digits = 1) => Math.round((delta / units) * 10 ** digits) / 10 ** digits;
      const delta = (key: keyof Snapshot) => after[key] - before[key];
      const updates = delta('updates');
      return {
        walBytesPerUnit: per(delta('walBytes'), 0),
        walRecordsPerUnit: per(delta('walRecords')),
        walFullPagesPerUnit: per(delta('walFpi'), 2),
        buffersPerUnit: per(delta('buffers')),
        ordersUpdatesPerUnit: per(updates, 2),
        ordersHotShare: updates > 0 ? Math.round((delta('hot') / updates) * 1000) / 1000 : 0,
        ordersSeqScansPerUnit: per(delta('ordersSeqScans'), 3),
        seqRowsReadPerUnit: per(delta('seqRowsRead')),
      };
    },
  };
}

/**
 * Statistics of the tables an order writes, as a running system has them. A phase starts its
 * processes on tables that were emptied or are still small, and each connection caches the plan
 * of a statement it made then: with a few hundred orders stored, the transitions' UPDATE joins its
 * batch to a sequential scan of all of `orders`, and keeps doing so as the table grows, for the
 * rest of the phase (690 rows read per order over the engine phase's 21,000). A fresh database
 * does the same until autovacuum's next ANALYZE, up to a minute later (`autovacuum_naptime`);
 * after the warm-up, ANALYZE gives the statistics now and invalidates those plans.
 */
export async function analyzeOrderTables(pool: pg.Pool): Promise<void> {
  await pool.query('ANALYZE orders, order_events, routing_decisions, sim_swaps');
}
