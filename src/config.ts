// Every setting the processes read from the environment, parsed once, with its default.

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
}

export interface AppConfig {
  /** PORT: HTTP port of the API; default 4000 */
  port: number;
  /** DATABASE_URL: unset = embedded PostgreSQL */
  databaseUrl?: string;
  /** REDIS_URL: unset = a local redis-server started for you */
  redisUrl?: string;
  /** DATABASE_POOL_SIZE: PostgreSQL connections per process; default 10 */
  databasePoolSize: number;
  sim: SimulationSettings;
  engine: EngineSettings;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
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
  return { min, max };
}

function probability(env: Env, name: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1, got "${raw}"`);
  return value;
}

export function loadConfig(env: Env = process.env): AppConfig {
  return {
    port: int(env, 'PORT', 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1),
    sim: {
      quoteMs: int(env, 'SIM_QUOTE_MS', 200),
      confirmMs: range(env, 'SIM_CONFIRM_MS', { min: 2000, max: 3000 }),
      failRate: probability(env, 'SIM_FAIL_RATE'),
      seed: int(env, 'SIM_SEED', 42),
      flowIntervalMs: int(env, 'SIM_FLOW_MS', 250),
      namespace: env.SIM_NAMESPACE || 'sim',
    },
    engine: {
      concurrency: int(env, 'WORKER_CONCURRENCY', 500, 1),
      queueName: env.QUEUE_NAME || 'orders',
      retryBaseMs: int(env, 'RETRY_BASE_MS', 250),
      quoteTimeoutMs: int(env, 'QUOTE_TIMEOUT_MS', 2000, 1),
    },
  };
}
