// The one way the app opens Redis connections.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from './redact-url.js';

export type { Redis, RedisOptions };

export interface CreateRedisOptions extends RedisOptions {
  /** Shown by CLIENT LIST (ioredis `connectionName`), to tell the app's connections apart. */
  name?: string;
  /** How long to wait for the connection to become ready before giving up; default 10 s. */
  readyTimeoutMs?: number;
}

/**
 * Opens a connection and resolves once it is 'ready'. ioredis 5.9-5.11 queue commands sent before
 * that point, and a SUBSCRIBE sent between TCP connect and the ready check leaves the connection in
 * subscriber mode with messages silently never delivered: so nothing may use it earlier.
 */
export async function createRedis(url: string, opts: CreateRedisOptions = {}): Promise<Redis> {
  const { name, readyTimeoutMs = 10_000, ...redisOptions } = opts;
  const redis = new Redis(url, { ...redisOptions, ...(name ? { connectionName: name } : {}) });
  let lastError: Error | undefined;
  const onError = (error: Error) => (lastError = error);
  redis.on('error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`Redis at ${redactUrl(url, 'REDIS_URL')} was not ready within ${readyTimeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`));
      }, readyTimeoutMs);
      const settle = (error?: Error) => {
        clearTimeout(timer);
        redis.removeListener('ready', onReady).removeListener('end', onEnd);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => settle();
      const onEnd = () => settle(lastError ?? new Error(`Redis connection to ${redactUrl(url, 'REDIS_URL')} ended before it was ready`));
      redis.once('ready', onReady).once('end', onEnd);
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  } finally {
    redis.removeListener('error', onError);
  }
  return redis;
}

/**
 * Reports a connection's errors once per outage: the first after each time it was ready (ioredis
 * emits one per failed reconnection, and without a listener prints each to the console); and
 * `back` once it is ready again.
 */
export function reportOutages(redis: Redis, report: (error: Error) => void, back?: () => void): void {
  let reported = false;
  redis.on('ready', () => {
    // and its end, once: without it the log of a recovered process read as one still cut off
    if (reported) back?.();
    reported = false;
  });
  redis.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    report(error);
  });
}

/**
 * Closes a connection: with QUIT while Redis answers, so that replies on their way still arrive;
 * otherwise, or if QUIT has no answer within `timeoutMs`, by dropping the socket. With Redis gone,
 * a QUIT queued behind a command still waiting for it (a worker's release of the flow's lease)
 * is retried with that command until maxRetriesPerRequest gives up, about ten seconds, which
 * turned a worker's shutdown without Redis into "shutdown failed".
 */
export async function closeRedis(redis: Redis, timeoutMs = 2_000): Promise<void> {
  if (redis.status === 'ready') {
    const quit = redis.quit().then(
      () => true,
      () => false,
    );
    if (await Promise.race([quit, sleep(timeoutMs, false, { ref: false })])) return;
  }
  redis.disconnect();
}

/**
 * Connection options for BullMQ. Its workers block on Redis commands indefinitely, so ioredis must
 * never give up on a command (`maxRetriesPerRequest: null`, which BullMQ insists on for workers).
 * Options rather than an instance: BullMQ then opens and closes its own connections.
 */
export function createBullConnection(url: string): RedisOptions & { maxRetriesPerRequest: null } {
  const u = new URL(url);
  const db = Number(u.pathname.slice(1) || 0);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
