import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseRoute } from '../../src/engine/routing.js';
import { tokenBySymbol } from '../../src/engine/tokens.js';
import type { Dex, VenueQuote } from '../../src/engine/types.js';

// outputs in USDC (6 decimals), fees in SOL (9): the reasons speak in whole units of each
const PAIR = { tokenIn: tokenBySymbol('SOL'), tokenOut: tokenBySymbol('USDC') };

const runs = { seed: 3_251, numRuns: 300 };

function quote(dex: Dex, amountOut: bigint, priceImpactBps = 10, fee = 25n): VenueQuote {
  return { dex, amountIn: 10_000n, amountOut, fee, priceImpactBps };
}

describe('chooseRoute', () => {
  it('returns null when no venue answered', () => {
    expect(chooseRoute([], PAIR)).toBeNull();
  });

  it('returns null when every venue would return nothing', () => {
    expect(chooseRoute([quote('RAYDIUM', 0n), quote('METEORA', 0n)], PAIR)).toBeNull();
  });

  it('takes the only quote and says it was alone', () => {
    const only = quote('RAYDIUM', 5n);
    expect(chooseRoute([only], PAIR)).toEqual({ chosen: only, reason: 'only RAYDIUM answered' });
  });

  it('never chooses a zero-output quote, even with a lower impact', () => {
    const meteora = quote('METEORA', 7n, 50);
    expect(chooseRoute([quote('RAYDIUM', 0n, 0), meteora], PAIR)).toEqual({
      chosen: meteora,
      reason: 'only METEORA returned a non-zero amount',
    });
  });

  it('picks the larger output and states the margin against the runner-up', () => {
    const meteora = quote('METEORA', 1_001_234n);
    // 1234 × 10000 / 1000000 = 12.34 hundredths of a percent -> 12 -> "0.12%"
    expect(chooseRoute([quote('RAYDIUM', 1_000_000n), meteora], PAIR)).toEqual({
      chosen: meteora,
      reason: 'METEORA returns 0.001234 USDC more (0.12%) than RAYDIUM',
    });
  });

  it('truncates the margin percentage instead of rounding it', () => {
    // 999 × 10000 / 1000000 = 9.99 -> 9 -> "0.09%"
    expect(chooseRoute([quote('METEORA', 1_000_000n), quote('RAYDIUM', 1_000_999n)], PAIR)?.reason).toBe(
      'RAYDIUM returns 0.000999 USDC more (0.09%) than METEORA',
    );
    // 150000 × 10000 / 1000000 = 1500 -> "15.00%"
    expect(chooseRoute([quote('METEORA', 1_000_000n), quote('RAYDIUM', 1_150_000n)], PAIR)?.reason).toBe(
      'RAYDIUM returns 0.15 USDC more (15.00%) than METEORA',
    );
    // 99 × 10000 / 1000000 = 0.99 -> 0: a margin that truncates to nothing is still a margin
    expect(chooseRoute([quote('METEORA', 1_000_000n), quote('RAYDIUM', 1_000_099n)], PAIR)?.reason).toBe(
      'RAYDIUM returns 0.000099 USDC more (under 0.01%) than METEORA',
    );
  });

  it('breaks an output tie on lower price impact', () => {
    const meteora = quote('METEORA', 900n, 12);
    expect(chooseRoute([quote('RAYDIUM', 900n, 30), meteora], PAIR)).toEqual({
      chosen: meteora,
      reason: 'METEORA and RAYDIUM both return 0.0009 USDC; METEORA wins on lower price impact (12 vs 30 bps)',
    });
  });

  it('breaks an output and impact tie on lower fee', () => {
    const meteora = quote('METEORA', 900n, 12, 3n);
    expect(chooseRoute([quote('RAYDIUM', 900n, 12, 5n), meteora], PAIR)).toEqual({
      chosen: meteora,
      reason: 'METEORA and RAYDIUM both return 0.0009 USDC; METEORA wins on lower fee (0.000000003 SOL vs 0.000000005 SOL)',
    });
  });

  it('falls back to venue order when everything is equal', () => {
    const raydium = quote('RAYDIUM', 900n);
    expect(chooseRoute([quote('METEORA', 900n), raydium], PAIR)).toEqual({
      chosen: raydium,
      reason: 'RAYDIUM and METEORA both return 0.0009 USDC with equal impact and fee; RAYDIUM wins on venue order',
    });
  });

  it('leaves the caller’s array in its original order', () => {
    const quotes = [quote('RAYDIUM', 1n), quote('METEORA', 2n)];
    chooseRoute(quotes, PAIR);
    expect(quotes.map((q) => q.dex)).toEqual(['RAYDIUM', 'METEORA']);
  });

  it('chooses a largest non-zero output whatever order the quotes arrive in', () => {
    const arbitraryQuote = fc.record({
      dex: fc.constantFrom<Dex>('RAYDIUM', 'METEORA'),
      amountIn: fc.constant(1_000n),
      amountOut: fc.bigInt({ min: 0n, max: 50n }),
      fee: fc.bigInt({ min: 0n, max: 5n }),
      priceImpactBps: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryQuote, { maxLength: 6 }), (quotes) => {
        const route = chooseRoute(quotes, PAIR);
        const best = quotes.reduce((max, q) => (q.amountOut > max ? q.amountOut : max), 0n);
        if (best === 0n) {
          expect(route).toBeNull();
          return;
        }
        expect(route?.chosen.amountOut).toBe(best);
        expect(chooseRoute([...quotes].reverse(), PAIR)).toEqual(route);
      }),
      runs,
    );
  });
});
