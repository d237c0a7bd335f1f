import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConstantProductState,
  cpSwap,
  deserializeCp,
  RAYDIUM_FEE_BPS,
  serializeCp,
} from '../../src/engine/venues/raydium-math.js';

const runs = { seed: 4_409, numRuns: 300 };

describe('cpSwap', () => {
  it('swaps A for B with the fee rounded up and the output rounded down', () => {
    const pool: ConstantProductState = { reserveA: 1_000n, reserveB: 1_000n, feeBps: RAYDIUM_FEE_BPS };
    // fee  = ceil(100 × 25 / 10000) = ceil(0.25) = 1
    // in'  = 99;  out = floor(1000 × 99 / (1000 + 99)) = floor(99000 / 1099) = floor(90.08) = 90
    // spot = floor(99 × 1000 / 1000) = 99;  impact = ceil((99 − 90) × 10000 / 99) = ceil(909.09) = 910
    expect(cpSwap(pool, true, 100n)).toEqual({
      quote: { amountIn: 100n, amountOut: 90n, fee: 1n, priceImpactBps: 910 },
      next: { reserveA: 1_100n, reserveB: 910n, feeBps: 25 }, // the fee stays in the pool
    });
  });

  it('swaps B for A against the B reserve', () => {
    const pool: ConstantProductState = { reserveA: 1_000n, reserveB: 4_000n, feeBps: 25 };
    // fee  = ceil(400 × 25 / 10000) = ceil(1) = 1;  in' = 399
    // out  = floor(1000 × 399 / (4000 + 399)) = floor(399000 / 4399) = floor(90.70) = 90
    // spot = 399 × 1000 / 4000 = 99.75, exactly (not floored);  impact = ceil(9.75 × 10000 / 99.75) = ceil(977.44) = 978
    expect(cpSwap(pool, false, 400n)).toEqual({
      quote: { amountIn: 400n, amountOut: 90n, fee: 1n, priceImpactBps: 978 },
      next: { reserveA: 910n, reserveB: 4_400n, feeBps: 25 },
    });
  });

  it('prices a 1% trade in a deep pool exactly', () => {
    const pool: ConstantProductState = { reserveA: 1_000_000_000n, reserveB: 50_000_000_000n, feeBps: 25 };
    // fee  = 10000000 × 25 / 10000 = 25000 (exact);  in' = 9975000
    // out  = floor(50e9 × 9975000 / (1e9 + 9975000)) = floor(498750000000000000 / 1009975000) = 493824104
    // spot = 9975000 × 50e9 / 1e9 = 498750000
    // impact = ceil((498750000 − 493824104) × 10000 / 498750000) = ceil(98.76) = 99
    expect(cpSwap(pool, true, 10_000_000n)).toEqual({
      quote: { amountIn: 10_000_000n, amountOut: 493_824_104n, fee: 25_000n, priceImpactBps: 99 },
      next: { reserveA: 1_010_000_000n, reserveB: 49_506_175_896n, feeBps: 25 },
    });
  });

  it('measures impact against the exact spot output, not a floored one (a review found such a quote read as 0 bps)', () => {
    const pool: ConstantProductState = { reserveA: 1_000n, reserveB: 100_990n, feeBps: 25 };
    // fee = ceil(2 × 25 / 10000) = 1; in' = 1; out = floor(100990 / 1001) = floor(100.89) = 100
    // spot = 1 × 100990 / 1000 = 100.99, floored 100 (which read 0 bps); impact = ceil(0.99 × 10000 / 100.99) = ceil(98.03) = 99
    expect(cpSwap(pool, true, 2n).quote).toEqual({ amountIn: 2n, amountOut: 100n, fee: 1n, priceImpactBps: 99 });
  });

  it('reports zero impact when the input is too small to buy anything', () => {
    // fee = ceil(1 × 25 / 10000) = 1, so in' = 0, out = 0, spot = 0
    const { quote } = cpSwap({ reserveA: 1_000n, reserveB: 1_000n, feeBps: 25 }, true, 1n);
    expect(quote).toEqual({ amountIn: 1n, amountOut: 0n, fee: 1n, priceImpactBps: 0 });
  });

  it('leaves the given state untouched', () => {
    const pool: ConstantProductState = { reserveA: 1_000n, reserveB: 1_000n, feeBps: 25 };
    cpSwap(pool, true, 100n);
    expect(pool).toEqual({ reserveA: 1_000n, reserveB: 1_000n, feeBps: 25 });
  });

  it.each([0n, -5n])('rejects amountIn %s', (amountIn) => {
    expect(() => cpSwap({ reserveA: 1_000n, reserveB: 1_000n, feeBps: 25 }, true, amountIn)).toThrow(RangeError);
  });

  it('rejects an empty pool or an impossible fee', () => {
    expect(() => cpSwap({ reserveA: 0n, reserveB: 1_000n, feeBps: 25 }, true, 1n)).toThrow(RangeError);
    expect(() => cpSwap({ reserveA: 1_000n, reserveB: 1_000n, feeBps: 10_000 }, true, 1n)).toThrow(RangeError);
    expect(() => cpSwap({ reserveA: 1_000n, reserveB: 1_000n, feeBps: 2.5 }, true, 1n)).toThrow(RangeError);
  });

  it('keeps k, the reserves and the output within bounds over any sequence of swaps', () => {
    const swap = fc.record({ aToB: fc.boolean(), amountIn: fc.bigInt({ min: 1n, max: 10n ** 15n }) });
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.array(swap, { minLength: 1, maxLength: 20 }),
        (reserveA, reserveB, feeBps, swaps) => {
          let state: ConstantProductState = { reserveA, reserveB, feeBps };
          for (const { aToB, amountIn } of swaps) {
            const reserveOut = aToB ? state.reserveB : state.reserveA;
            const { quote, next } = cpSwap(state, aToB, amountIn);
            expect(quote.amountOut < reserveOut).toBe(true);
            expect(quote.fee).toBe((amountIn * BigInt(feeBps) + 9_999n) / 10_000n);
            expect(next.reserveA > 0n && next.reserveB > 0n).toBe(true);
            expect(next.reserveA * next.reserveB >= state.reserveA * state.reserveB).toBe(true);
            expect(quote.priceImpactBps).toBeGreaterThanOrEqual(0);
            expect(quote.priceImpactBps).toBeLessThanOrEqual(10_000);
            state = next;
          }
        },
      ),
      runs,
    );
  });
});

describe('cpSwap against exact rational arithmetic', () => {
  const pools = fc.record({
    reserveA: fc.bigInt({ min: 1n, max: 10n ** 20n }),
    reserveB: fc.bigInt({ min: 1n, max: 10n ** 20n }),
    feeBps: fc.integer({ min: 0, max: 1_000 }),
  });

  it('charges at least the exact fee, pays at most the exact output, each by less than one base unit, and reads impact rounded up', () => {
    fc.assert(
      fc.property(pools, fc.boolean(), fc.bigInt({ min: 1n, max: 10n ** 20n }), (pool, aToB, amountIn) => {
        const { quote } = cpSwap(pool, aToB, amountIn);
        const [reserveIn, reserveOut] = aToB ? [pool.reserveA, pool.reserveB] : [pool.reserveB, pool.reserveA];
        // fee: amountIn × feeBps / 10000 <= fee < that + 1
        const exactFee = amountIn * BigInt(pool.feeBps);
        expect(quote.fee * 10_000n >= exactFee && (quote.fee - 1n) * 10_000n < exactFee).toBe(true);
        // output: out <= reserveOut × net / (reserveIn + net) < out + 1
        const net = amountIn - quote.fee;
        expect(quote.amountOut * (reserveIn + net) <= reserveOut * net).toBe(true);
        expect((quote.amountOut + 1n) * (reserveIn + net) > reserveOut * net).toBe(true);
        // impact against the exact spot output net × reserveOut / reserveIn, in bps rounded up
        const spot = net * reserveOut;
        const shortfall = spot - quote.amountOut * reserveIn;
        const impact = BigInt(quote.priceImpactBps);
        if (shortfall <= 0n) expect(impact).toBe(0n);
        else expect(impact * spot >= shortfall * 10_000n && (impact - 1n) * spot < shortfall * 10_000n).toBe(true);
      }),
      { seed: 4_410, numRuns: 1_000 },
    );
  });

  it('never pays back more than was sold on a round trip, nor more to an order split in two', () => {
    fc.assert(
      fc.property(pools, fc.boolean(), fc.bigInt({ min: 2n, max: 10n ** 20n }), (pool, aToB, amountIn) => {
        const whole = cpSwap(pool, aToB, amountIn);
        const half = amountIn / 2n;
        const first = cpSwap(pool, aToB, half);
        const second = cpSwap(first.next, aToB, amountIn - half);
        expect(first.quote.amountOut + second.quote.amountOut <= whole.quote.amountOut).toBe(true);
        if (whole.quote.amountOut === 0n) return;
        expect(cpSwap(whole.next, !aToB, whole.quote.amountOut).quote.amountOut <= amountIn).toBe(true);
      }),
      { seed: 4_411, numRuns: 1_000 },
    );
  });
});

describe('serializeCp / deserializeCp', () => {
  it('round-trips through JSON with bigints as strings', () => {
    const pool: ConstantProductState = { reserveA: 2n ** 70n, reserveB: 12_345n, feeBps: 25 };
    const json = JSON.stringify(serializeCp(pool));
    expect(json).toBe('{"reserveA":"1180591620717411303424","reserveB":"12345","feeBps":25}');
    expect(deserializeCp(JSON.parse(json))).toEqual(pool);
  });

  it.each([
    null,
    {},
    { reserveA: '1', reserveB: '1' },
    { reserveA: 1, reserveB: '1', feeBps: 25 },
    { reserveA: '-1', reserveB: '1', feeBps: 25 },
    { reserveA: '0', reserveB: '1', feeBps: 25 },
    { reserveA: '1.5', reserveB: '1', feeBps: 25 },
  ])('rejects the malformed snapshot %j', (snapshot) => {
    expect(() => deserializeCp(snapshot)).toThrow();
  });
});
