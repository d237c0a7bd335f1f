// PostgreSQL and Redis for a bench run: the URLs from the environment when set, otherwise an
// embedded PostgreSQL and a local redis-server of the bench's own (ports and data directory apart
// from `npm start`'s and `npm test`'s), emptied at the start so every run measures the same thing.
import path from 'node:path';
import pg from 'pg';
import { bootstrapInfrastructure } from '../../src/infra/bootstrap.js';
import { findRunningServer } from '../../src/infra/embedded-postgres.js';
import { createRedis } from '../../src/infra/redis.js';
import { ROOT } from './processes.js';

export const BENCH_INFRASTRUCTURE = {
  pgPort: 54359,
  redisPort: 63819,
  dataDir: path.join(ROOT, '.data', 'pg-bench'),
  database: 'bench_engine',
};

export interface BenchInfrastructure {
  databaseUrl: string;
  redisUrl: string;
  /** true when the bench runs its own server (and may empty it); false for a URL from the environment */
  owned: { postgres: boolean; redis: boolean };
  /** pid of the postmaster, when the bench runs it (for CPU readings of PostgreSQL) */
  postmasterPid?: number;
  /** the bench's own connection pool, for counts, synthetic rows and EXPLAIN */
  pool: pg.Pool;
  stop(): Promise<void>;
}

/** Tables emptied at the start of a run on the bench's own database. */
const TABLES = ['order_events', 'routing_decisions', 'orders', 'sim_swaps', 'sim_pools', 'api_keys', 'accounts'];

export async function startInfrastructure(log: (line: string) => void): Promise<BenchInfrastructure> {
  const owned = { postgres: !process.env.DATABASE_URL, redis: !process.env.REDIS_URL };
  const infra = await bootstrapInfrastructure({ ...BENCH_INFRASTRUCTURE, log });
  const pool = new pg.Pool({ connectionString: infra.databaseUrl, max: 4 });
  try {
    if (owned.postgres) {
      await pool.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
      await pool.query('VACUUM ANALYZE');
      log('PostgreSQL: emptied the bench database');
    }
    if (owned.redis) {
      const redis = await createRedis(infra.redisUrl);
      await redis.flushall();
      redis.disconnect();
      log('Redis: flushed the bench server');
    }
  } catch (error) {
    await pool.end();
    await infra.stop();
    throw error;
  }
  const postmasterPid = owned.postgres ? (await findRunningServer(BENCH_INFRASTRUCTURE.dataDir))?.pid : undefined;
  return {
    databaseUrl: infra.databaseUrl,
    redisUrl: infra.redisUrl,
    owned,
    postmasterPid,
    pool,
    async stop() {
      await pool.end().catch(() => undefined);
      await infra.stop();
    },
  };
}
