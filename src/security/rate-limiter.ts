// A rate limit shared by every API process: its state lives in Redis, and one Lua script reads
// and writes it, so concurrent requests on different processes can never both take the last slot.
// While Redis does not answer, each process keeps the same limit by itself (see consume).
import type { Redis } from 'ioredis';
import { withTimeout } from '../engine/timeout.js';

/** How long a request waits for Redis's answer before this process decides alone. */
const REDIS_ANSWER_MS = 500;
/** Subjects the process-local limit keeps before it drops those whose allowance is whole again. */
const LOCAL_SUBJECTS = 10_000;

/** The caller went over a rate limit; nothing was done. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterMs: number) {
    super(`rate limit exceeded: retry in ${retryAfterMs} ms`);
  }
}

export interface RateLimit {
  /** requests allowed at once (the burst), and per `windowMs` on average after that; 0 = no limit */
  limit: number;
  windowMs: number;
}

// GCRA (the "generic cell rate algorithm", a token bucket kept as one timestamp): each request
// pushes the key's theoretical arrival time (TAT) one interval (window / limit) into the future;
// a request is refused while TAT would end up more than a whole window ahead of now. Times are
// Redis's own clock in microseconds, so the API processes' clocks never disagree, and they are
// formatted with %.0f because Lua's tostring would print them in exponent notation.
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local next = tat + interval
if next - now > window then
  return math.ceil((next - window - now) / 1000)
end
redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000))
return 0
`;

export class RateLimiter {
  /** subject → theoretical arrival time (ms, this process's clock), used only while Redis is away */
  private readonly local = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    /** Redis key prefix; each subject gets `<prefix>:<subject>` */
    private readonly prefix: string,
    private readonly rate: RateLimit,
    /** told each time Redis did not answer and this process decided alone */
    private readonly onRedisAway: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Takes one request from `subject`'s allowance, or throws RateLimitedError. When Redis does not
   * answer within REDIS_ANSWER_MS, this process applies the same limit by itself instead of
   * failing the request: the orders need no Redis to be accepted (they are stored in PostgreSQL,
   * and the reconciler enqueues them later), so a Redis outage neither stops them nor lifts the
   * limit; only its sharing between processes is lost meanwhile.
   */
  async consume(subject: string): Promise<void> {
    const { limit, windowMs } = this.rate;
    if (limit <= 0) return;
    const windowUs = windowMs * 1000;
    const shared = this.redis.eval(GCRA, 1, `${this.prefix}:${subject}`, windowUs / limit, windowUs) as Promise<number>;
    // (a late rejection of `shared` is the race's to handle: it is never unhandled)
    const retryAfterMs = await withTimeout(shared, REDIS_ANSWER_MS).catch((error: unknown) => {
      this.onRedisAway(error);
      return this.consumeLocally(subject);
    });
    if (retryAfterMs > 0) throw new RateLimitedError(retryAfterMs);
  }

  /** The script's GCRA on this process's clock: 0 when allowed, else the ms to wait. */
  private consumeLocally(subject: string): number {
    const { limit, windowMs } = this.rate;
    const now = Date.now();
    const next = Math.max(this.local.get(subject) ?? 0, now) + windowMs / limit;
    if (next - now > windowMs) return Math.ceil(next - windowMs - now);
    if (this.local.size >= LOCAL_SUBJECTS) for (const [key, tat] of this.local) if (tat <= now) this.local.delete(key);
    this.local.set(subject, next);
    return 0;
  }
}
