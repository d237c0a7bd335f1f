import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_MAX_BACKOFF_MS, MAX_ATTEMPTS } from '../../src/engine/backoff.js';

const runs = { seed: 9_017, numRuns: 500 };

describe('backoffDelayMs', () => {
  it('allows three attempts in all', () => {
    expect(MAX_ATTEMPTS).toBe(3);
  });

  it.each([
    [-3, 0],
    [0, 0],
    [1, 0], // the first attempt runs immediately
    [2, 500], // 500 × 2^0
    [3, 1_000], // 500 × 2^1
    [4, 2_000], // 500 × 2^2
    [7, 16_000], // 500 × 2^5
    [8, 30_000], // 500 × 2^6 = 32000, capped at 30000
    [1_000_000, 30_000], // far past the cap, still instant and finite
  ])('waits before attempt %i, base 500 ms: %i ms', (attempt, delay) => {
    expect(backoffDelayMs(attempt, 500)).toBe(delay);
  });

  it('honours a custom cap, including a base already above it', () => {
    expect(backoffDelayMs(5, 100, 250)).toBe(250); // 100 × 2^3 = 800 -> 250
    expect(backoffDelayMs(4, 100, 1_000)).toBe(400); // 100 × 2^2, under the cap
    expect(backoffDelayMs(2, 50_000)).toBe(DEFAULT_MAX_BACKOFF_MS);
    expect(backoffDelayMs(9, 0)).toBe(0);
  });

  it.each([
    [2.5, 100, 1_000],
    [2, -1, 1_000],
    [2, 1.5, 1_000],
    [2, 100, -1],
    [Number.NaN, 100, 1_000],
  ])('rejects attempt %s, baseMs %s, maxMs %s', (attempt, baseMs, maxMs) => {
    expect(() => backoffDelayMs(attempt, baseMs, maxMs)).toThrow(RangeError);
  });

  it('is baseMs × 2^(attempt − 2) capped at maxMs, and never shrinks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 80 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (attempt, baseMs, maxMs) => {
          const uncapped = BigInt(baseMs) << BigInt(attempt - 2); // exact, no float
          const expected = uncapped < BigInt(maxMs) ? Number(uncapped) : maxMs;
          const delay = backoffDelayMs(attempt, baseMs, maxMs);
          expect(delay).toBe(expected);
          expect(backoffDelayMs(attempt + 1, baseMs, maxMs)).toBeGreaterThanOrEqual(delay);
        },
      ),
      runs,
    );
  });
});
