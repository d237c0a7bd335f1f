// The one way the app opens PostgreSQL. Prisma 7 has no query engine binary: the client runs its
// queries through a driver adapter, here node-postgres (`pg`), over a pool we build ourselves so
// that the engine's hot statements can use the same connections directly (infra/sql.ts).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { PrismaClient };

export interface CreatePrismaOptions {
  /** Connections in the pool; default 10 (node-postgres' default). */
  max?: number;
  /**
   * A statement without an answer after this long fails ("Query read timeout", which
   * store-availability.ts reads as PostgreSQL unreachable) and its connection is dropped: without
   * it, a network that loses packets silently holds a statement until the kernel gives up on the
   * connection, a quarter of an hour. Default: no limit (scripts and the bench's bulk loads).
   */
  queryTimeoutMs?: number;
  /**
   * How long the engine's writes that arrive a few at a time (an order's transitions, its swap's
   * journal entry) wait for others to share their statement (group-commit.ts `lingerMs`); default
   * 0: each batch goes at the next turn of the event loop.
   */
  batchWaitMs?: number;
}

/** Prisma for everything, and its pool for the few statements that run for every order. */
export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** CreatePrismaOptions.batchWaitMs */
  batchWaitMs: number;
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;
const POOL_WAIT_TIMEOUT = /^timeout exceeded when trying to connect$/;

/**
 * Reports PostgreSQL going away once (the first connection of the pool that breaks: a restart, a
 * failover, a cut network) and coming back once (the first new connection after it). Without it
 * an API process answered an outage's requests with 503 and logged nothing. A connection breaks
 * idle (the pool's 'error') or under a query, as most do under load: the pool then drops it with
 * the query's error and emits no 'error', so a released connection's error counts too when
 * `isConnectionLoss` (PostgreSQL out of reach, not a statement it refused) says it is one, and
 * so does a connection that could not be opened.
 */
export function reportOutages(pool: pg.Pool, reports: { lost: (error: Error) => void; back: () => void; isConnectionLoss: (error: Error) => boolean }): void {
  let lost = false;
  const lose = (error: Error) => {
    if (lost) return;
    lost = true;
    reports.lost(error);
  };
  pool.on('error', lose);
  pool.on('release', (error: Error | undefined) => {
    if (error && reports.isConnectionLoss(error)) lose(error);
  });
  // A connection that cannot be opened, for which the pool emits nothing: an idle pool closes its
  // connections after 10 s, so a quiet process met an outage only so. The pool's own wait for a
  // free connection timing out ("timeout exceeded when trying to connect") is load, not an outage.
  const opened = (error: Error | undefined) => {
    if (error && reports.isConnectionLoss(error) && !POOL_WAIT_TIMEOUT.test(error.message)) lose(error);
  };
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
  // pool.query opens its connection through this.connect(callback), transactions through connect()
  pool.connect = ((callback?: ConnectCallback) => {
    if (callback) {
      connect((error, client, done) => {
        opened(error);
        callback(error, client, done);
      });
      return undefined;
    }
    return connect()!.catch((error: Error) => {
      opened(error);
      throw error;
    });
  }) as pg.Pool['connect'];
  pool.on('connect', () => {
    if (!lost) return;
    lost = false;
    reports.back();
  });
}

export function createDatabase(databaseUrl: string, opts: CreatePrismaOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    ...(opts.max === undefined ? {} : { max: opts.max }),
    ...(opts.queryTimeoutMs ? { query_timeout: opts.queryTimeoutMs } : {}),
    // an unreachable server fails a query within seconds instead of hanging it
    connectionTimeoutMillis: 5_000,
  });
  // an idle connection that breaks (server restart) is dropped by the pool; without a listener
  // its 'error' would crash the process
  pool.on('error', () => undefined);
  // $disconnect ends the pool too (the cast: the adapter bundles its own copy of pg's type declarations)
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool as unknown as ConstructorParameters<typeof PrismaPg>[0], { disposeExternalPool: true }) });
  return { prisma, pool, batchWaitMs: opts.batchWaitMs ?? 0 };
}

export function createPrisma(databaseUrl: string, opts: CreatePrismaOptions = {}): PrismaClient {
  return createDatabase(databaseUrl, opts).prisma;
}
