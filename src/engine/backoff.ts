// How long to wait before retrying a failed execution attempt: exponential, capped.

/**
 * Total attempts per order, the first included: one try and two retries. After the third
 * failure the order is FAILED rather than retried, so a broken venue cannot hold a worker forever.
 */
export const MAX_ATTEMPTS = 3;

/** Upper bound on any single delay unless the caller passes its own. */
export const DEFAULT_MAX_BACKOFF_MS = 30_000;

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/**
 * The delay before attempt number `attempt` (1-based; attempt 2 is the first retry):
 * baseMs × 2^(attempt − 2), capped at maxMs. Attempts below 2 wait 0.
 * backoffDelayMs(2, 500) === 500, backoffDelayMs(3, 500) === 1000.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number = DEFAULT_MAX_BACKOFF_MS): number {
  if (!Number.isInteger(attempt)) {
    throw new RangeError(`attempt must be an integer, got ${attempt}`);
  }
  assertNonNegativeInteger('baseMs', baseMs);
  assertNonNegativeInteger('maxMs', maxMs);
  if (attempt < 2 || baseMs === 0) return 0;

  // Double step by step and stop at the cap: no Math.pow, and a huge attempt number costs at
  // most ~log2(maxMs / baseMs) iterations instead of overflowing to Infinity.
  let delay = baseMs;
  for (let n = 2; n < attempt && delay < maxMs; n++) {
    delay *= 2;
  }
  return Math.min(delay, maxMs);
}
