import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minAmountOut } from '../../src/engine/slippage.js';

const runs = { seed: 5_113, numRuns: 500 };

describe('minAmountOut', () => {
  it.each([
    [1_000_000n, 50, 995_000n], // 1000000 × 9950 / 10000 = 995000 exactly
    [999n, 30, 997n], // 999 × 9970 = 9960030; / 10000 = 996.003 -> 997: 996 would be 30.03 bps below 999
    [1n, 1, 1n], // 1 × 9999 / 10000 = 0.9999 -> 1: a minimum of 0 would let a swap pay nothing
    [1n, 50, 1n], // the default tolerance on an expected one base unit
    [199n, 50, 199n], // 199 × 9950 / 10000 = 198.005 -> 199
    [123_456_789n, 0, 123_456_789n],
    [123_456_789n, 10_000, 0n],
    [10n ** 30n, 1, 9_999n * 10n ** 26n], // 10^30 × 9999 / 10^4 = 9999 × 10^26, no precision lost
  ])('allows %s at %i bps down to %s', (expected, bps, min) => {
    expect(minAmountOut(expected, bps)).toBe(min);
  });

  it.each([-1, 10_001, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects slippageBps %s', (bps) => {
    expect(() => minAmountOut(1_000n, bps)).toThrow(RangeError);
  });

  it('rejects a negative expected output', () => {
    expect(() => minAmountOut(-1n, 50)).toThrow(RangeError);
  });

  it('is the ceiling of the exact bound, so never looser than asked, and never exceeds the expected output', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n }), fc.integer({ min: 0, max: 10_000 }), (expected, bps) => {
        const min = minAmountOut(expected, bps);
        const exact = expected * BigInt(10_000 - bps); // the bound × 10000
        expect(min * 10_000n >= exact).toBe(true);
        expect((min - 1n) * 10_000n < exact).toBe(true);
        expect(min >= 0n && min <= expected).toBe(true);
      }),
      runs,
    );
  });

  it('never lets an expected output of at least one base unit be met by nothing, at any tolerance an order may ask (at most 50 %)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 64n }), fc.integer({ min: 0, max: 5_000 }), (expected, bps) => {
        expect(minAmountOut(expected, bps) >= 1n).toBe(true);
      }),
      runs,
    );
  });

  it('never rises as the tolerance widens', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.integer({ min: 0, max: 9_999 }),
        fc.integer({ min: 1, max: 10_000 }),
        (expected, bps, widen) => {
          const wider = Math.min(10_000, bps + widen);
          expect(minAmountOut(expected, wider) <= minAmountOut(expected, bps)).toBe(true);
        },
      ),
      runs,
    );
  });
});
