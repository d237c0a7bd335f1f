import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binPriceQ64,
  DEFAULT_MAX_FEE_PPM,
  DEFAULT_VARIABLE_FEE_CONTROL,
  defaultBaseFeePpm,
  type DlmmState,
  dlmmFeeRatePpm,
  dlmmSwap,
  deserializeDlmm,
  InsufficientLiquidityError,
  Q64_ONE,
  seedDlmm,
  serializeDlmm,
} from '../../src/engine/venues/meteora-math.js';

const runs = { seed: 8_821, numRuns: 200 };

/** floor((1 + binStep/10000)^id × 2^64) by exact rational arithmetic: the oracle binPriceQ64 approximates. */
function exactPriceQ64(binStep: number, id: number): bigint {
  const num = (10_000n + BigInt(binStep)) ** BigInt(Math.abs(id));
  const den = 10_000n ** BigInt(Math.abs(id));
  return id >= 0 ? (num << 64n) / den : (den << 64n) / num;
}

// Reference values below come from an independent script that follows the documented rounding
// rule: base = floor((10000 + binStep) × 2^64 / 10000); square-and-multiply, each product floored;
// negative id = floor(2^128 / price(|id|)).
const P_100_PLUS_1 = 18_631_211_514_446_647_132n; // floor(1.01 × 2^64) = floor(101 × 2^64 / 100)
const P_100_MINUS_1 = 18_264_103_043_276_783_778n; // floor(2^128 / P_100_PLUS_1) = floor(2^64 / 1.01)

describe('binPriceQ64', () => {
  it('is exactly 1.0 at bin 0 for any step', () => {
    expect(binPriceQ64(1, 0)).toBe(2n ** 64n);
    expect(binPriceQ64(100, 0)).toBe(2n ** 64n);
  });

  it('is the rounded-down step at bin 1 and its reciprocal at bin −1', () => {
    expect(binPriceQ64(100, 1)).toBe(P_100_PLUS_1);
    expect(binPriceQ64(100, 1)).toBe((101n << 64n) / 100n);
    expect(binPriceQ64(100, -1)).toBe(P_100_MINUS_1);
    expect(binPriceQ64(100, -1)).toBe((100n << 64n) / 101n);
  });

  it('squares exactly at bin 2: floor(P1² / 2^64) = floor(1.0201 × 2^64)', () => {
    expect(binPriceQ64(100, 2)).toBe((P_100_PLUS_1 * P_100_PLUS_1) >> 64n);
    expect(binPriceQ64(100, 2)).toBe(18_817_523_629_591_113_603n);
    expect(binPriceQ64(100, 2)).toBe(exactPriceQ64(100, 2));
  });

  it('rounds down at every product, landing a few units under the exact value at bin 40', () => {
    // 1.01^40 = 1.48886..., exact floor(1.01^40 × 2^64) = 27464688254129590116
    expect(binPriceQ64(100, 40)).toBe(27_464_688_254_129_590_083n);
    expect(exactPriceQ64(100, 40) - binPriceQ64(100, 40)).toBe(33n);
  });

  it('stays within 2^-40 of the exact price and rises with the bin id', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: -1_500, max: 1_500 }), (binStep, id) => {
        const exact = exactPriceQ64(binStep, id);
        let price: bigint;
        try {
          price = binPriceQ64(binStep, id);
        } catch {
          // only legitimately out of the unsigned Q64.64 range: a price >= 2^64 or below 2^-64
          expect(exact >= 2n ** 127n || exact <= 2n).toBe(true);
          return;
        }
        const error = price > exact ? price - exact : exact - price;
        expect(error * 2n ** 40n <= exact).toBe(true);
        try {
          expect(binPriceQ64(binStep, id + 1) >= price).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError); // the next bin up left the range
        }
      }),
      runs,
    );
  });

  it('covers exactly the bins whose price fits an unsigned Q64.64', () => {
    // 1.01^4458 ≈ 2^63.99 fits below 2^64; 1.01^4459 does not
    expect(binPriceQ64(100, 4_458) < 2n ** 128n).toBe(true);
    expect(() => binPriceQ64(100, 4_459)).toThrow(RangeError);
    expect(() => binPriceQ64(100, -4_459)).toThrow(RangeError);
    // binStep 1 reaches the id bound itself: 1.0001^443636 ≈ 2^63.9999
    expect(binPriceQ64(1, 443_636)).toBe(340_269_576_638_284_246_584_927_577_922_774_782_959n);
    expect(() => binPriceQ64(1, 443_637)).toThrow(RangeError);
    expect(() => binPriceQ64(0, 1)).toThrow(RangeError);
    expect(() => binPriceQ64(100, 0.5)).toThrow(RangeError);
  });
});

describe('dlmmFeeRatePpm', () => {
  const fees = { binStep: 100, baseFeePpm: 10_000, variableFeeControl: 50_000_000, maxFeePpm: 100_000 };

  it.each([
    [0, 10_000], // base only
    [1, 15_000], // 10000 + 5e7 × (1 × 100)² / 1e8 = 10000 + 5000
    [2, 30_000], // 10000 + 5e7 × 200² / 1e8 = 10000 + 20000
    [3, 55_000], // 10000 + 5e7 × 300² / 1e8 = 10000 + 45000
    [5, 100_000], // 10000 + 5e7 × 500² / 1e8 = 135000, capped at maxFeePpm
  ])('charges %i bins from the start %i ppm', (binsCrossed, rate) => {
    expect(dlmmFeeRatePpm(fees, binsCrossed)).toBe(rate);
  });

  it('defaults to 0.20% at binStep 20, plus 0.20% after 10 bins', () => {
    const defaults = {
      binStep: 20,
      baseFeePpm: defaultBaseFeePpm(20),
      variableFeeControl: DEFAULT_VARIABLE_FEE_CONTROL,
      maxFeePpm: DEFAULT_MAX_FEE_PPM,
    };
    expect(dlmmFeeRatePpm(defaults, 0)).toBe(2_000); // 20 × 100
    expect(dlmmFeeRatePpm(defaults, 1)).toBe(2_020); // + 5e6 × 20² / 1e8 = 20
    expect(dlmmFeeRatePpm(defaults, 10)).toBe(4_000); // + 5e6 × 200² / 1e8 = 2000
  });

  it('rounds the variable part up, never charging a bin less than the formula', () => {
    // USDC/USDT's binStep 1: 5e6 × k² / 1e8 = k²/20 ppm, a fraction of one for k < 5
    const binStep1 = { binStep: 1, baseFeePpm: defaultBaseFeePpm(1), variableFeeControl: DEFAULT_VARIABLE_FEE_CONTROL, maxFeePpm: DEFAULT_MAX_FEE_PPM };
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => dlmmFeeRatePpm(binStep1, k))).toEqual([
      100, // 0 bins: base only
      101, // 100 + ceil(0.05)
      101, // 100 + ceil(0.2)
      101, // 100 + ceil(0.45)
      101, // 100 + ceil(0.8)
      102, // 100 + 25/20 = 1.25 -> 2
      102, // 100 + 36/20 = 1.8 -> 2
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 500 }),
        (binStep, baseFeePpm, variableFeeControl, binsCrossed) => {
          const fees = { binStep, baseFeePpm, variableFeeControl, maxFeePpm: 999_999 };
          const rate = BigInt(dlmmFeeRatePpm(fees, binsCrossed));
          // the formula × 1e8, exactly: the rate is at or above it, by less than 1 ppm
          const d = BigInt(binsCrossed * binStep);
          const exact = BigInt(baseFeePpm) * 100_000_000n + BigInt(variableFeeControl) * d * d;
          if (exact >= 999_999n * 100_000_000n) {
            expect(rate).toBe(999_999n);
          } else {
            expect(rate * 100_000_000n >= exact).toBe(true);
            expect((rate - 1n) * 100_000_000n < exact).toBe(true);
          }
        },
      ),
      runs,
    );
  });
});

/** Three bins at binStep 100 around price 1.0, fees 1% base and +0.5% for the first bin crossed. */
function threeBinPool(): DlmmState {
  return {
    binStep: 100,
    activeId: 0,
    baseFeePpm: 10_000,
    variableFeeControl: 50_000_000,
    maxFeePpm: 100_000,
    bins: { '1': { x: 1_000n, y: 0n }, '0': { x: 1_000n, y: 1_000n }, '-1': { x: 0n, y: 1_000n } },
  };
}

/** Pools seeded by seedDlmm: any bin step, price, depth and fees. */
const dlmmPoolParams = fc.record({
  binStep: fc.integer({ min: 1, max: 200 }),
  priceNum: fc.bigInt({ min: 1n, max: 1_000_000n }),
  priceDen: fc.bigInt({ min: 1n, max: 1_000_000n }),
  binsEachSide: fc.integer({ min: 0, max: 8 }),
  xPerBin: fc.bigInt({ min: 1n, max: 10n ** 12n }),
  baseFeePpm: fc.integer({ min: 0, max: 50_000 }),
  variableFeeControl: fc.integer({ min: 0, max: 100_000_000 }),
  maxFeePpm: fc.integer({ min: 0, max: 500_000 }),
});

/** dlmmSwap's result, or undefined when the pool cannot fill the amount, its one expected refusal. */
function swapUnlessUnfillable(state: DlmmState, xToY: boolean, amountIn: bigint) {
  try {
    return dlmmSwap(state, xToY, amountIn);
  } catch (error) {
    expect(error).toBeInstanceOf(InsufficientLiquidityError);
    return undefined;
  }
}

describe('dlmmSwap', () => {
  it('fills a small X→Y swap inside the active bin', () => {
    // bin 0, price 1.0, rate 10000 ppm: fee = ceil(500 × 0.01) = 5; net 495; out = floor(495 × 1) = 495
    // spot = 495 at the starting price, so impact 0
    const { quote, next } = dlmmSwap(threeBinPool(), true, 500n);
    expect(quote).toEqual({ amountIn: 500n, amountOut: 495n, fee: 5n, priceImpactBps: 0 });
    expect(next.activeId).toBe(0);
    expect(next.bins['0']).toEqual({ x: 1_500n, y: 505n }); // the fee stays in the bin
  });

  it('crosses from the active bin into the next one down, each bin charging its own fee', () => {
    // bin 0  (price 1.0, 10000 ppm): net for all 1000 Y = ceil(1000 × 2^64 / 2^64) = 1000
    //        gross = ceil(1000 × 1e6 / 990000) = ceil(1010.10) = 1011 -> fee 11, out 1000, 589 left
    // bin −1 (price P_100_MINUS_1 ≈ 1/1.01, 15000 ppm): net for all = ceil(1000 × 2^64 / P) = 1011
    //        (P is rounded down, so 1010.000...02 rounds up); gross = ceil(1011e6 / 985000) = 1027 > 589
    //        partial: fee = ceil(589 × 0.015) = ceil(8.835) = 9; net 580; out = floor(580 / 1.01) = 574
    // totals: in 1600, fee 11 + 9 = 20, out 1000 + 574 = 1574
    // impact: spot = (1600 − 20) × 1.0 = 1580; ceil((1580 − 1574) × 10000 / 1580) = ceil(37.97) = 38
    const { quote, next } = dlmmSwap(threeBinPool(), true, 1_600n);
    expect(quote).toEqual({ amountIn: 1_600n, amountOut: 1_574n, fee: 20n, priceImpactBps: 38 });
    expect(next.activeId).toBe(-1);
    expect(next.bins).toEqual({
      '1': { x: 1_000n, y: 0n },
      '0': { x: 2_011n, y: 0n }, // 1000 + 1011
      '-1': { x: 589n, y: 426n }, // 0 + 589, 1000 − 574
    });
  });

  it('crosses upward for Y→X, buying X at the higher price of bin 1', () => {
    // bin 0 as above: 1011 Y in (fee 11) for all 1000 X, 589 Y left
    // bin 1 (price P_100_PLUS_1 ≈ 1.01, 15000 ppm): net for all = ceil(1000 × P / 2^64) = 1010
    //        (P is rounded down, so 1009.999... rounds up to 1010); gross = ceil(1010e6 / 985000) = 1026 > 589
    //        partial: fee = ceil(8.835) = 9; net 580; out = floor(580 × 2^64 / P) = floor(574.26) = 574
    const { quote, next } = dlmmSwap(threeBinPool(), false, 1_600n);
    expect(quote).toEqual({ amountIn: 1_600n, amountOut: 1_574n, fee: 20n, priceImpactBps: 38 });
    expect(next.activeId).toBe(1);
    expect(next.bins).toEqual({
      '1': { x: 426n, y: 589n },
      '0': { x: 0n, y: 2_011n },
      '-1': { x: 0n, y: 1_000n },
    });
  });

  it('fills partially when liquidity runs out and reports the input actually consumed', () => {
    // bin 0: 1011 in (fee 11) for 1000 out; bin −1: all 1000 out for gross 1027 (fee 1027 − 1011 = 16)
    // consumed 1011 + 1027 = 2038 of 5000; fee 27; spot = 2038 − 27 = 2011
    // impact = ceil((2011 − 2000) × 10000 / 2011) = ceil(54.70) = 55
    const { quote, next } = dlmmSwap(threeBinPool(), true, 5_000n);
    expect(quote).toEqual({ amountIn: 2_038n, amountOut: 2_000n, fee: 27n, priceImpactBps: 55 });
    expect(next.activeId).toBe(-1);
    expect(next.bins['-1']).toEqual({ x: 1_027n, y: 0n });
    expect(next.bins['1']).toEqual({ x: 1_000n, y: 0n }); // X above the price is not on an X→Y path
  });

  it('counts an empty starting bin as crossed, so the first filled bin already pays the variable fee', () => {
    const pool = threeBinPool();
    pool.bins['0'] = { x: 1_000n, y: 0n };
    // bin −1 at 15000 ppm: fee = ceil(500 × 0.015) = ceil(7.5) = 8; net 492; out = floor(492 / 1.01) = 487
    // spot at the starting bin's price 1.0 = 492; impact = ceil(5 × 10000 / 492) = ceil(101.6) = 102
    const { quote, next } = dlmmSwap(pool, true, 500n);
    expect(quote).toEqual({ amountIn: 500n, amountOut: 487n, fee: 8n, priceImpactBps: 102 });
    expect(next.activeId).toBe(-1);
  });

  it('throws InsufficientLiquidityError when the swap direction holds nothing at all', () => {
    const pool = threeBinPool();
    pool.bins = { '0': { x: 0n, y: 1_000n }, '-1': { x: 0n, y: 1_000n } };
    expect(() => dlmmSwap(pool, false, 10n)).toThrow(InsufficientLiquidityError);
    try {
      dlmmSwap(pool, false, 10n);
    } catch (error) {
      expect((error as Error).name).toBe('InsufficientLiquidityError');
    }
  });

  it('walks bins in id order across gaps, from an active id that holds no bin', () => {
    const bin = (x: bigint, y: bigint) => ({ x, y });
    const pool: DlmmState = { ...threeBinPool(), activeId: 1, bins: { '2': bin(1_000n, 0n), '0': bin(0n, 1_000n), '-3': bin(0n, 1_000n), '5': bin(1_000n, 0n) } };

    const down = dlmmSwap(pool, true, 10n ** 9n);
    expect(down.quote.amountOut).toBe(2_000n);
    expect(down.next.activeId).toBe(-3);
    expect(down.next.bins['2']).toEqual(bin(1_000n, 0n));

    const up = dlmmSwap(pool, false, 10n ** 9n);
    expect(up.quote.amountOut).toBe(2_000n);
    expect(up.next.activeId).toBe(5);
    expect(up.next.bins['0']).toEqual(bin(0n, 1_000n));
    // the swapped state walks the same ids: back down from 5 through 2, to the Y left below
    expect(dlmmSwap(up.next, true, 10n ** 9n).next.activeId).toBe(-3);
  });

  it('leaves the given state untouched', () => {
    const pool = threeBinPool();
    dlmmSwap(pool, true, 1_600n);
    expect(pool).toEqual(threeBinPool());
  });

  it.each([0n, -1n])('rejects amountIn %s', (amountIn) => {
    expect(() => dlmmSwap(threeBinPool(), true, amountIn)).toThrow(RangeError);
  });

  it('rejects a fee ceiling of 100% or a non-canonical bin key', () => {
    expect(() => dlmmSwap({ ...threeBinPool(), maxFeePpm: 1_000_000 }, true, 1n)).toThrow(RangeError);
    const pool = threeBinPool();
    pool.bins = { '01': { x: 0n, y: 5n } };
    expect(() => dlmmSwap(pool, true, 1n)).toThrow(RangeError);
  });

  it('never overdraws a bin, only grows the input side, and keeps every bin’s value at its own price', () => {
    const swap = fc.record({ xToY: fc.boolean(), amountIn: fc.bigInt({ min: 1n, max: 10n ** 13n }) });

    fc.assert(
      fc.property(dlmmPoolParams, fc.array(swap, { minLength: 1, maxLength: 10 }), (params, swaps) => {
        let state = seedDlmm(params);
        for (const { xToY, amountIn } of swaps) {
          const before = JSON.stringify(serializeDlmm(state));
          const outSide = (bin: { x: bigint; y: bigint }): bigint => (xToY ? bin.y : bin.x);
          const inSide = (bin: { x: bigint; y: bigint }): bigint => (xToY ? bin.x : bin.y);
          const available = Object.values(state.bins).reduce((sum, bin) => sum + outSide(bin), 0n);

          const result = swapUnlessUnfillable(state, xToY, amountIn);

          if (!result) continue;
          const { quote, next } = result;
          expect(JSON.stringify(serializeDlmm(state))).toBe(before);
          expect(quote.amountIn > 0n && quote.amountIn <= amountIn).toBe(true);
          expect(quote.amountOut <= available).toBe(true);
          expect(quote.fee >= 0n && quote.fee <= quote.amountIn).toBe(true);
          expect(quote.priceImpactBps).toBeGreaterThanOrEqual(0);
          expect(quote.priceImpactBps).toBeLessThanOrEqual(10_000);

          let gained = 0n;
          let paid = 0n;
          for (const [key, after] of Object.entries(next.bins)) {
            const prior = state.bins[key];
            if (prior === undefined) throw new Error(`swap invented bin ${key}`);
            expect(after.x >= 0n && after.y >= 0n).toBe(true);
            expect(inSide(after) >= inSide(prior)).toBe(true);
            expect(outSide(after) <= outSide(prior)).toBe(true);
            // value in Y × 2^64 at the bin's own price must not fall: the pool never loses
            const price = binPriceQ64(next.binStep, Number(key));
            expect(after.x * price + after.y * Q64_ONE >= prior.x * price + prior.y * Q64_ONE).toBe(true);
            gained += inSide(after) - inSide(prior);
            paid += outSide(prior) - outSide(after);
          }
          expect(gained).toBe(quote.amountIn);
          expect(paid).toBe(quote.amountOut);
          if (quote.amountIn < amountIn) {
            // a partial fill means the whole path is drained
            const left = Object.entries(next.bins)
              .filter(([key]) => (xToY ? Number(key) <= next.activeId : Number(key) >= next.activeId))
              .reduce((sum, [, bin]) => sum + outSide(bin), 0n);
            expect(left).toBe(0n);
          }
          state = next;
        }
      }),
      runs,
    );
  });
});

/** x / y rounded up, for non-negative x and positive y. */
const ceilDivide = (x: bigint, y: bigint) => (x + y - 1n) / y;

/**
 * An independent bin walk: every bin on the path is drained at the least input whose output, by
 * the partial-fill rule (fee rounded up, output rounded down), reaches its whole reserve, found by
 * binary search rather than by formula; the fee rate is the formula's exact value rounded up.
 */
function referenceDlmmSwap(state: DlmmState, xToY: boolean, amountIn: bigint) {
  const ids = Object.keys(state.bins).map(Number).sort((a, b) => a - b);
  const path = xToY ? ids.filter((id) => id <= state.activeId).reverse() : ids.filter((id) => id >= state.activeId);
  let remaining = amountIn;
  let amountOut = 0n;
  let fee = 0n;
  let activeId = state.activeId;
  for (const id of path) {
    const bin = state.bins[String(id)]!;
    const reserveOut = xToY ? bin.y : bin.x;
    if (remaining === 0n || reserveOut === 0n) continue;
    const price = binPriceQ64(state.binStep, id);
    const d = BigInt(Math.abs(id - state.activeId) * state.binStep);
    const formula = ceilDivide(BigInt(state.baseFeePpm) * 100_000_000n + BigInt(state.variableFeeControl) * d * d, 100_000_000n);
    const rate = formula < BigInt(state.maxFeePpm) ? formula : BigInt(state.maxFeePpm);
    const fill = (gross: bigint) => {
      const binFee = ceilDivide(gross * rate, 1_000_000n);
      const net = gross - binFee;
      return { binFee, out: xToY ? (net * price) / Q64_ONE : (net * Q64_ONE) / price };
    };
    let [low, high] = [1n, 1n];
    while (fill(high).out < reserveOut) high *= 2n;
    while (low < high) {
      const middle = (low + high) / 2n;
      if (fill(middle).out >= reserveOut) high = middle;
      else low = middle + 1n;
    }
    if (remaining >= low) {
      // drained: the input that buys the reserve exactly, at the bin's price, is what is not fee
      const net = xToY ? ceilDivide(reserveOut * Q64_ONE, price) : ceilDivide(reserveOut * price, Q64_ONE);
      remaining -= low;
      amountOut += reserveOut;
      fee += low - net;
    } else {
      const { binFee, out } = fill(remaining);
      amountOut += out;
      fee += binFee;
      remaining = 0n;
    }
    activeId = id;
  }
  return { amountIn: amountIn - remaining, amountOut, fee, activeId };
}

describe('dlmmSwap against an independent bin walk', () => {
  const swaps = fc.array(fc.record({ xToY: fc.boolean(), amountIn: fc.bigInt({ min: 1n, max: 10n ** 13n }) }), { minLength: 1, maxLength: 6 });

  it('gives exactly the sum of its per-bin fills, leaves the last bin it filled from active, and measures impact exactly, rounded up', () => {
    fc.assert(
      fc.property(dlmmPoolParams, swaps, (params, trades) => {
        let state = seedDlmm(params);
        for (const { xToY, amountIn } of trades) {
          const result = swapUnlessUnfillable(state, xToY, amountIn);
          if (!result) continue;
          const reference = referenceDlmmSwap(state, xToY, amountIn);
          const { quote, next } = result;
          expect({ amountIn: quote.amountIn, amountOut: quote.amountOut, fee: quote.fee, activeId: next.activeId }).toEqual(reference);
          // what the net input buys at the starting bin's price, as the fraction spot / scale
          const start = binPriceQ64(state.binStep, state.activeId);
          const net = quote.amountIn - quote.fee;
          const [spot, scale] = xToY ? [net * start, Q64_ONE] : [net * Q64_ONE, start];
          const shortfall = spot - quote.amountOut * scale;
          expect(BigInt(quote.priceImpactBps)).toBe(shortfall <= 0n ? 0n : ceilDivide(shortfall * 10_000n, spot));
          state = next;
        }
      }),
      { seed: 8_822, numRuns: 500 },
    );
  });

  it('never pays back more than was sold on a round trip, and never pays less for more input', () => {
    fc.assert(
      fc.property(dlmmPoolParams, fc.boolean(), fc.bigInt({ min: 1n, max: 10n ** 13n }), (params, xToY, amountIn) => {
        const state = seedDlmm(params);
        let there;
        try {
          there = dlmmSwap(state, xToY, amountIn);
        } catch {
          return;
        }
        expect(dlmmSwap(state, xToY, amountIn + 1n).quote.amountOut >= there.quote.amountOut).toBe(true);
        if (there.quote.amountOut === 0n) return;
        const back = dlmmSwap(there.next, !xToY, there.quote.amountOut);
        expect(back.quote.amountOut <= there.quote.amountIn).toBe(true);
      }),
      { seed: 8_823, numRuns: 500 },
    );
  });
});

describe('seedDlmm', () => {
  it('centres the pool on the largest bin priced at or below the target', () => {
    // 1.01^40 = 1.48886 <= 1.5 < 1.01^41 = 1.50375, so the active bin is 40
    const pool = seedDlmm({ binStep: 100, priceNum: 3n, priceDen: 2n, binsEachSide: 1, xPerBin: 1_000n });
    expect(pool).toEqual({
      binStep: 100,
      activeId: 40,
      baseFeePpm: 10_000, // defaultBaseFeePpm(100) = 100 × 100
      variableFeeControl: DEFAULT_VARIABLE_FEE_CONTROL,
      maxFeePpm: DEFAULT_MAX_FEE_PPM,
      bins: {
        '39': { x: 0n, y: 1_474n }, // floor(1000 × 1.01^39) = floor(1474.12)
        '40': { x: 500n, y: 744n }, // half of 1000 as X; floor(500 × 1.01^40) = floor(744.43) as Y
        '41': { x: 1_000n, y: 0n },
      },
    });
  });

  it.each([
    [1n, 1n, 0],
    [2n, 3n, -41], // 1.01^−41 = 0.66503 <= 0.6667 < 1.01^−40 = 0.67165
    [binPriceQ64(100, 5), Q64_ONE, 5], // a price exactly on a bin belongs to that bin
    [binPriceQ64(100, 5) - 1n, Q64_ONE, 4],
    [2n ** 70n, 1n, 4_458], // above every price: the top bin that fits
  ])('puts price %s/%s in bin %i at binStep 100', (priceNum, priceDen, activeId) => {
    const pool = seedDlmm({ binStep: 100, priceNum, priceDen, binsEachSide: 0, xPerBin: 10n });
    expect(pool.activeId).toBe(activeId);
  });

  it('refuses prices below every bin, bins beyond the range, and empty inputs', () => {
    const base = { binStep: 100, priceNum: 1n, priceDen: 1n, binsEachSide: 1, xPerBin: 10n };
    expect(() => seedDlmm({ ...base, priceDen: 2n ** 70n })).toThrow(RangeError);
    expect(() => seedDlmm({ ...base, priceNum: 2n ** 70n })).toThrow(RangeError); // bin 4459 needed
    expect(() => seedDlmm({ ...base, priceNum: 0n })).toThrow(RangeError);
    expect(() => seedDlmm({ ...base, xPerBin: 0n })).toThrow(RangeError);
  });
});

describe('serializeDlmm / deserializeDlmm', () => {
  it('round-trips through JSON with bigints as strings', () => {
    const pool = seedDlmm({ binStep: 20, priceNum: 150n, priceDen: 1n, binsEachSide: 3, xPerBin: 10n ** 9n });
    const { next } = dlmmSwap(pool, true, 12_345_678_901n);
    const json = JSON.stringify(serializeDlmm(next));
    expect(deserializeDlmm(JSON.parse(json))).toEqual(next);
    expect(JSON.stringify(serializeDlmm(threeBinPool()))).toBe(
      '{"binStep":100,"activeId":0,"baseFeePpm":10000,"variableFeeControl":50000000,"maxFeePpm":100000,' +
        '"bins":{"0":{"x":"1000","y":"1000"},"1":{"x":"1000","y":"0"},"-1":{"x":"0","y":"1000"}}}',
    );
  });

  it.each([
    null,
    {},
    { ...serializeDlmm(threeBinPool()), bins: null },
    { ...serializeDlmm(threeBinPool()), binStep: '100' },
    { ...serializeDlmm(threeBinPool()), bins: { '0': { x: '-1', y: '0' } } },
    { ...serializeDlmm(threeBinPool()), bins: { '0': { x: 1, y: '0' } } },
    { ...serializeDlmm(threeBinPool()), bins: { abc: { x: '1', y: '0' } } },
  ])('rejects the malformed snapshot %j', (snapshot) => {
    expect(() => deserializeDlmm(snapshot)).toThrow();
  });
});
