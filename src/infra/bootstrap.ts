// Finds or starts what the app needs, so `npm start` works on a machine with only Node.js:
// DATABASE_URL unset -> embedded PostgreSQL; REDIS_URL unset -> a local redis-server; then the
// database is migrated. With both URLs set it starts nothing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startLocalRedis } from './local-redis.js';
import { applyMigrations } from './migrate.js';
import { redactUrl } from './redact-url.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What `npm start` uses. Tests use their own (test/global-setup.ts), so they never share these. */
export const DEFAULTS = {
  /** Embedded PostgreSQL port (not 5432, so it never meets a system PostgreSQL). */
  pgPort: 54329,
  /** Local redis-server port (not 6379, so it never meets a system Redis). */
  redisPort: 63790,
  /** Embedded PostgreSQL data directory. */
  dataDir: path.join(ROOT, '.data', 'pg'),
  /** Database created in the embedded server. */
  database: 'dex_engine',
} as const;

export interface BootstrapOptions {
  /** Embedded PostgreSQL port when DATABASE_URL is unset; default 54329. */
  pgPort?: number;
  /** Local redis-server port when REDIS_URL is unset; default 63790. */
  redisPort?: number;
  /** Embedded PostgreSQL data directory; default `.data/pg` in the repository. */
  dataDir?: string;
  /** Database name in the embedded server; default `dex_engine`. */
  database?: string;
  /** Receives one line per thing started or reused; default console.log. */
  log?: (line: string) => void;
  /** Environment to read DATABASE_URL / REDIS_URL from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Infrastructure {
  databaseUrl: string;
  redisUrl: string;
  /** Which servers this call started (and stop() stops); false for a URL from the environment or a server reused. */
  started: { postgres: boolean; redis: boolean };
  /** Stops what this call started, Redis first; idempotent. */
  stop(): Promise<void>;
}

export interface Database {
  databaseUrl: string;
  started: boolean;
  stop(): Promise<void>;
}

/** DATABASE_URL, or the embedded PostgreSQL (started, or reused when already running). No migrations. */
export async function startDatabase(opts: BootstrapOptions = {}): Promise<Database> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? console.log;
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL, started: false, stop: async () => {} };

  const dataDir = path.resolve(opts.dataDir ?? DEFAULTS.dataDir);
  const shownDir = path.relative(process.cwd(), dataDir) || dataDir;
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: opts.pgPort ?? DEFAULTS.pgPort,
    database: opts.database ?? DEFAULTS.database,
  });
  const where = `${redactUrl(pg.url, 'the embedded server')} (data in ${shownDir})`;
  if (!pg.started) log(`PostgreSQL: reusing the embedded server already running at ${where}`);
  else if (pg.timings.initdbMs !== null) log(`PostgreSQL: initialised and started embedded server at ${where} in ${pg.timings.initdbMs + pg.timings.startMs} ms`);
  else log(`PostgreSQL: started embedded server at ${where} in ${pg.timings.startMs} ms`);
  return { databaseUrl: pg.url, started: pg.started, stop: () => pg.stop() };
}

export async function bootstrapInfrastructure(opts: BootstrapOptions = {}): Promise<Infrastructure> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? console.log;
  const stops: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    // reverse order of start: Redis first, PostgreSQL last
    stopping ??= stops.reverse().reduce((done, next) => done.then(next, next), Promise.resolve());
    return stopping;
  };

  try {
    const database = await startDatabase({ ...opts, env, log });
    stops.push(database.stop);

    let redisUrl = env.REDIS_URL;
    let redisStarted = false;
    if (!redisUrl) {
      const redis = await startLocalRedis({ port: opts.redisPort ?? DEFAULTS.redisPort });
      stops.push(redis.stop);
      redisUrl = redis.url;
      redisStarted = redis.started;
      log(redis.started ? `Redis: started redis-server at ${redis.url} in ${redis.startMs} ms` : `Redis: reusing the server already answering at ${redis.url}`);
    }

    const t0 = Date.now();
    const applied = await applyMigrations(database.databaseUrl).catch((error: unknown) => {
      throw new Error(`cannot migrate the database at ${redactUrl(database.databaseUrl, 'DATABASE_URL')}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    if (applied.length) log(`PostgreSQL: applied ${applied.length} migration(s) in ${Date.now() - t0} ms: ${applied.join(', ')}`);

    return { databaseUrl: database.databaseUrl, redisUrl, started: { postgres: database.started, redis: redisStarted }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
