// Every setting the processes read from the environment, parsed once, with its default.
import type { Failpoint } from './engine/order-executor.js';

export interface SimulationSettings {
  /** SIM_QUOTE_MS: latency of each venue's quote; default 200 */
  quoteMs: number;
  /** SIM_CONFIRM_MS: time from submit to confirmation, "2500" or a "2000-3000" spread; default 2000-3000 */
  confirmMs: { min: number; max: number };
  /** SIM_FAIL_RATE: probability (0..1) of a transient fault per venue call; default 0 */
  failRate: number;
  /** SIM_SEED: seed of the simulated market; default 42 */
  seed: number;
  /** SIM_FLOW_MS: interval of background trades that move prices, 0 = none; default 250 */
  flowIntervalMs: number;
  /** SIM_NAMESPACE: Redis key prefix of the simulated chain; default "sim" */
  namespace: string;
}

export interface EngineSettings {
  /** WORKER_CONCURRENCY: orders one worker process executes at once; default 500 */
  concurrency: number;
  /** QUEUE_NAME: BullMQ queue of orders; default "orders" */
  queueName: string;
  /** RETRY_BASE_MS: backoff before the 2nd attempt, doubled for the 3rd; default 250 */
  retryBaseMs: number;
  /** QUOTE_TIMEOUT_MS: a venue slower than this is skipped; default 2000 */
  quoteTimeoutMs: number;
  /** STORE_RETRY_MS: how long a worker rides out a PostgreSQL outage mid-order before the job fails (and is retried by BullMQ); default 60000 */
  storeRetryMs: number;
  /** JOB_LOCK_MS: BullMQ job lock; a killed worker's orders resume after at most lock + stalled interval; default 10000 */
  jobLockMs: number;
  /** STALLED_INTERVAL_MS: how often workers look for stalled jobs; default 5000 */
  stalledIntervalMs: number;
  /** SHUTDOWN_GRACE_MS: on SIGTERM a worker finishes its active orders for this long, then hands the rest back; default 20000 */
  shutdownGraceMs: number;
  /** RECONCILE_INTERVAL_MS / RECONCILE_IDLE_MS: how often workers look for non-terminal orders without a live job, and how long such an order must be idle; defaults 10000 / 15000 */
  reconcileIntervalMs: number;
  reconcileIdleMs: number;
  /** ENGINE_FAILPOINTS: test-only crash points (comma-separated, see order-executor.ts); default none */
  failpoints: ReadonlySet<Failpoint>;
}

/** Who may do what, and how much: see "Security" in the README. */
export interface SecuritySettings {
  /** ORDER_RATE_LIMIT: executeMarketOrder calls one API key may make at once and per window; 0 = no limit; default 20 */
  orderRateLimit: number;
  /** ORDER_RATE_WINDOW_MS: the window of ORDER_RATE_LIMIT (the allowance refills evenly over it); default 1000 */
  orderRateWindowMs: number;
  /** MAX_QUERY_DEPTH: deepest selection an operation may have (introspection aside); default 10 */
  maxDepth: number;
  /** MAX_QUERY_ALIASES: aliases in one operation; default 15 */
  maxAliases: number;
  /** MAX_QUERY_TOKENS: lexical tokens in one document; default 1000 */
  maxTokens: number;
  /** MAX_QUERY_COST: GraphQL Armor cost (objects 2, scalars 1, times 1.5 per level of depth); default 5000 */
  maxCost: number;
  /** MAX_QUERY_DIRECTIVES: directives in one operation; default 50 */
  maxDirectives: number;
  /** MAX_REQUEST_BYTES: largest HTTP request body and WebSocket message; default 100000 */
  maxRequestBytes: number;
  /** WS_MAX_SUBSCRIPTIONS: operations one WebSocket may have running at once; default 100 */
  wsMaxSubscriptions: number;
  /** WS_CONNECTION_INIT_TIMEOUT_MS: a WebSocket that has not sent connection_init by then is closed with 4408; default 3000 */
  wsConnectionInitTimeoutMs: number;
  /**
   * HTTP_REQUEST_TIMEOUT_MS: a request whose headers and body have not all arrived by then gets 408
   * and its connection is closed; default 10000 (Node's own is 300 s, which let a review's slowly
   * sent bodies hold thousands of connections for five minutes, until no file descriptor was left)
   */
  httpRequestTimeoutMs: number;
  /** GRAPHQL_INTROSPECTION: answer introspection queries; default true, false when NODE_ENV=production */
  introspection: boolean;
  /** GRAPHIQL: serve GraphiQL at GET /graphql; default true, false when NODE_ENV=production */
  graphiql: boolean;
}

export interface AppConfig {
  /** PORT: HTTP port of the API; default 4000 */
  port: number;
  /** METRICS_PORT: GET /metrics of a worker process running alone (`npm run worker`); default 9464, 0 = none */
  metricsPort: number;
  /** DATABASE_URL: unset = embedded PostgreSQL */
  databaseUrl?: string;
  /** REDIS_URL: unset = a local redis-server started for you */
  redisUrl?: string;
  /** DATABASE_POOL_SIZE: PostgreSQL connections per process; default 10 */
  databasePoolSize: number;
  /** DATABASE_QUERY_TIMEOUT_MS: a statement unanswered this long fails as PostgreSQL unreachable (a silent partition), and its connection is dropped; 0 = wait forever; default 10000 */
  databaseQueryTimeoutMs: number;
  /** DATABASE_BATCH_WAIT_MS: how long an order's transition, or its swap's journal entry, waits for others to share its statement while fewer than 16 are waiting (group commit); 0 = none; default 2 */
  databaseBatchWaitMs: number;
  /** STREAM_RECHECK_MS: how often an API process asks PostgreSQL, for all its orderStatus streams at once, whether an order moved on without its event reaching them; default 30000 */
  streamRecheckMs: number;
  sim: SimulationSettings;
  engine: EngineSettings;
  security: SecuritySettings;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

/** A TCP port: listen() refuses one past 65535 only after the process has connected to everything, with a stack naming "options.port". */
function port(env: Env, name: string, fallback: number): number {
  const value = int(env, name, fallback);
  if (value > 65535) throw new Error(`${name} must be an integer from 0 to 65535, got "${env[name]}"`);
  return value;
}

/**
 * A connection string, refused at startup unless it starts as one of `schemes`: "garbage" was
 * taken as a host name and failed 10-27 s later with an error that never named the variable.
 * Only the start is checked: the client's own parser takes forms a WHATWG URL does not
 * (pg's `postgresql://user@/db?host=/var/run/postgresql`, say).
 */
function connectionString(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  if (!schemes.some((scheme) => raw.toLowerCase().startsWith(scheme))) throw new Error(`${name} must start with ${schemes.join(' or ')}, got something else`);
  return raw;
}

/** Node's longest timer: a longer delay fires after 1 ms (with a TimeoutOverflowWarning). */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A duration in milliseconds that some timer waits; past LONGEST_TIMER_MS it is refused rather
 * than turned into 1 ms. (A duration only compared with clocks, such as RECONCILE_IDLE_MS, is an int.)
 */
function millis(env: Env, name: string, fallback: number, min = 0): number {
  const value = int(env, name, fallback, min);
  if (value > LONGEST_TIMER_MS) throw new Error(`${name} must be at most ${LONGEST_TIMER_MS} ms (about 24.8 days, Node's longest timer), got "${env[name]}"`);
  return value;
}

function range(env: Env, name: string, fallback: { min: number; max: number }) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  if (!match) throw new Error(`${name} must be "MS" or "MIN-MAX", got "${raw}"`);
  const min = Number(match[1]);
  const max = Number(match[2] ?? match[1]);
  if (max < min) throw new Error(`${name}: ${max} is below ${min}`);
  if (max > LONGEST_TIMER_MS) throw new Error(`${name} must be at most ${LONGEST_TIMER_MS} ms, got "${raw}"`);
  return { min, max };
}

function probability(env: Env, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1, got "${raw}"`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function loadConfig(env: Env = process.env): AppConfig {
  return {
    port: port(env, 'PORT', 4000),
    metricsPort: port(env, 'METRICS_PORT', 9464),
    databaseUrl: connectionString(env, 'DATABASE_URL', ['postgresql://', 'postgres://', 'socket:']),
    redisUrl: connectionString(env, 'REDIS_URL', ['redis://', 'rediss://']),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1),
    databaseQueryTimeoutMs: millis(env, 'DATABASE_QUERY_TIMEOUT_MS', 10_000),
    databaseBatchWaitMs: millis(env, 'DATABASE_BATCH_WAIT_MS', 2),
    streamRecheckMs: millis(env, 'STREAM_RECHECK_MS', 30_000, 1),
    sim: {
      quoteMs: millis(env, 'SIM_QUOTE_MS', 200),
      confirmMs: range(env, 'SIM_CONFIRM_MS', { min: 2000, max: 3000 }),
      failRate: probability(env, 'SIM_FAIL_RATE'),
      seed: int(env, 'SIM_SEED', 42),
      flowIntervalMs: millis(env, 'SIM_FLOW_MS', 250),
      namespace: env.SIM_NAMESPACE || 'sim',
    },
    security: {
      orderRateLimit: int(env, 'ORDER_RATE_LIMIT', 20),
      orderRateWindowMs: int(env, 'ORDER_RATE_WINDOW_MS', 1000, 1),
      maxDepth: int(env, 'MAX_QUERY_DEPTH', 10, 1),
      maxAliases: int(env, 'MAX_QUERY_ALIASES', 15),
      maxTokens: int(env, 'MAX_QUERY_TOKENS', 1000, 1),
      maxCost: int(env, 'MAX_QUERY_COST', 5000, 1),
      maxDirectives: int(env, 'MAX_QUERY_DIRECTIVES', 50),
      maxRequestBytes: int(env, 'MAX_REQUEST_BYTES', 100_000, 1024),
      wsMaxSubscriptions: int(env, 'WS_MAX_SUBSCRIPTIONS', 100, 1),
      wsConnectionInitTimeoutMs: millis(env, 'WS_CONNECTION_INIT_TIMEOUT_MS', 3000, 1),
      httpRequestTimeoutMs: millis(env, 'HTTP_REQUEST_TIMEOUT_MS', 10_000, 1),
      introspection: bool(env, 'GRAPHQL_INTROSPECTION', env.NODE_ENV !== 'production'),
      graphiql: bool(env, 'GRAPHIQL', env.NODE_ENV !== 'production'),
    },
    engine: {
      concurrency: int(env, 'WORKER_CONCURRENCY', 500, 1),
      queueName: env.QUEUE_NAME || 'orders',
      retryBaseMs: millis(env, 'RETRY_BASE_MS', 250),
      quoteTimeoutMs: millis(env, 'QUOTE_TIMEOUT_MS', 2000, 1),
      storeRetryMs: int(env, 'STORE_RETRY_MS', 60_000),
      jobLockMs: millis(env, 'JOB_LOCK_MS', 10_000, 1000),
      stalledIntervalMs: millis(env, 'STALLED_INTERVAL_MS', 5_000, 500),
      shutdownGraceMs: millis(env, 'SHUTDOWN_GRACE_MS', 20_000),
      reconcileIntervalMs: millis(env, 'RECONCILE_INTERVAL_MS', 10_000),
      reconcileIdleMs: int(env, 'RECONCILE_IDLE_MS', 15_000),
      failpoints: new Set((env.ENGINE_FAILPOINTS ?? '').split(',').filter(Boolean) as Failpoint[]),
    },
  };
}
