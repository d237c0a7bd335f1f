// A rate limit shared by every API process: its state lives in Redis, and one Lua script reads
// and writes it, so concurrent requests on different processes can never both take the last slot.
import type { Redis } from 'ioredis';

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
  constructor(
    private readonly redis: Redis,
    /** Redis key prefix; each subject gets `<prefix>:<subject>` */
    private readonly prefix: string,
    private readonly rate: RateLimit,
  ) {}

  /** Takes one request from `subject`'s allowance, or throws RateLimitedError. */
  async consume(subject: string): Promise<void> {
    const { limit, windowMs } = this.rate;
    if (limit <= 0) return;
    const windowUs = windowMs * 1000;
    const retryAfterMs = (await this.redis.eval(GCRA, 1, `${this.prefix}:${subject}`, windowUs / limit, windowUs)) as number;
    if (retryAfterMs > 0) throw new RateLimitedError(retryAfterMs);
  }
}
