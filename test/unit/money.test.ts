import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, I64_MAX, MoneyFormatError, parseBaseUnits, parseUnits, shortfallBps } from '../../src/engine/money.js';

const runs = { seed: 7_301, numRuns: 500 };

function reasonOf(thunk: () => unknown): string {
  try {
    thunk();
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyFormatError);
    expect((error as MoneyFormatError).name).toBe('MoneyFormatError');
    return (error as MoneyFormatError).reason;
  }
  throw new Error('expected a MoneyFormatError');
}

describe('parseUnits', () => {
  it.each([
    ['1.5', 6, 1_500_000n], // 1 × 10^6 + 5 × 10^5
    ['0.000001', 6, 1n],
    ['10', 6, 10_000_000n],
    ['0', 6, 0n],
    ['007.50', 2, 750n], // leading zeros ignored; 7 × 100 + 50
    ['1', 0, 1n],
    ['123.456', 9, 123_456_000_000n], // 123 × 10^9 + 456 × 10^6
    // 2^63 − 1 = 9223372036854775807, read with 6 decimals
    ['9223372036854.775807', 6, I64_MAX],
  ])('reads %s with %i decimals as %s base units', (value, decimals, expected) => {
    expect(parseUnits(value, decimals)).toBe(expected);
  });

  it.each(['', ' 1', '1 ', '-1', '+1', '1e3', '.5', '5.', '0x10', '1,5', '1.2.3', 'NaN', 'Infinity', '١'])(
    'rejects %j as not_a_number',
    (value) => {
      expect(reasonOf(() => parseUnits(value, 6))).toBe('not_a_number');
    },
  );

  it('rejects a non-string smuggled past the type checker', () => {
    expect(reasonOf(() => parseUnits(15 as unknown as string, 6))).toBe('not_a_number');
  });

  it.each([
    ['1.0000001', 6],
    ['1.50', 1], // trailing zeros still count: the caller wrote a digit we cannot honour
    ['1.0', 0],
  ])('rejects %s with %i decimals as too_many_decimals', (value, decimals) => {
    expect(reasonOf(() => parseUnits(value, decimals))).toBe('too_many_decimals');
  });

  it.each([
    ['9223372036854.775808', 6], // 2^63 exactly
    ['9223372036854775808', 0],
    ['100000000000000000000000', 0],
  ])('rejects %s with %i decimals as too_large', (value, decimals) => {
    expect(reasonOf(() => parseUnits(value, decimals))).toBe('too_large');
  });

  it('rejects a negative or fractional decimals count with RangeError', () => {
    expect(() => parseUnits('1', -1)).toThrow(RangeError);
    expect(() => parseUnits('1', 1.5)).toThrow(RangeError);
  });
});

describe('formatUnits', () => {
  it.each([
    [1_500_000n, 6, '1.5'],
    [1_000_000n, 6, '1'],
    [1n, 9, '0.000000001'],
    [0n, 6, '0'],
    [0n, 0, '0'],
    [42n, 0, '42'],
    [-1_500_000n, 6, '-1.5'],
    [-1n, 9, '-0.000000001'],
    [I64_MAX, 6, '9223372036854.775807'],
    [10n ** 30n + 1n, 6, '1000000000000000000000000.000001'], // no float ever sees the value
  ])('writes %s at %i decimals as %s', (amount, decimals, expected) => {
    expect(formatUnits(amount, decimals)).toBe(expected);
  });

  it('round-trips through parseUnits for every storable amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: I64_MAX }), fc.integer({ min: 0, max: 18 }), (amount, decimals) => {
        const text = formatUnits(amount, decimals);
        expect(text).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/); // minimal: no stray zeros either end
        expect(parseUnits(text, decimals)).toBe(amount);
      }),
      runs,
    );
  });

  it('writes a negative amount as its magnitude with a leading minus', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: I64_MAX }), fc.integer({ min: 0, max: 18 }), (amount, decimals) => {
        expect(formatUnits(-amount, decimals)).toBe(`-${formatUnits(amount, decimals)}`);
      }),
      runs,
    );
  });
});

describe('parseBaseUnits', () => {
  it('reads a non-negative integer string beyond the i64 range', () => {
    expect(parseBaseUnits('0')).toBe(0n);
    expect(parseBaseUnits('100000000000000000000000')).toBe(10n ** 23n);
  });

  it.each(['-1', '1.0', '', ' 1', '1e3', 5])('rejects %j', (value) => {
    expect(reasonOf(() => parseBaseUnits(value))).toBe('not_a_number');
  });
});

describe('shortfallBps', () => {
  it.each([
    [10_000n, 9_999n, 1],
    [10_000n, 9_000n, 1_000],
    [99n, 90n, 910], // 909.09 bps: never read as less than it is
    [1_000_000n, 999_999n, 1], // 0.01 bps
    [10_000n, 10_000n, 0],
    [10_000n, 10_001n, 0],
    [0n, 0n, 0],
    [7n, 0n, 10_000],
  ])('of %s against %s is %s', (reference, actual, bps) => {
    expect(shortfallBps(reference, actual)).toBe(bps);
  });

  it('is the exact shortfall rounded up to a whole basis point', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 80n }), fc.bigInt({ min: 0n, max: 10_000n }), (reference, share) => {
        const actual = (reference * share) / 10_000n;
        const bps = BigInt(shortfallBps(reference, actual));
        // bps − 1 < shortfall × 10000 / reference ≤ bps
        expect((reference - actual) * 10_000n <= bps * reference).toBe(true);
        expect((bps - 1n) * reference < (reference - actual) * 10_000n).toBe(true);
      }),
      runs,
    );
  });
});
