// Picks the venue that gives the trader the most output, and says why in words.
import { formatUnits } from './money.js';
import type { Token } from './tokens.js';
import { DEXES, type VenueQuote } from './types.js';

export interface RouteChoice {
  chosen: VenueQuote;
  /** one sentence for people, in whole units, e.g. "METEORA returns 0.001234 USDC more (0.12%) than RAYDIUM" */
  reason: string;
}

/** The order's tokens: outputs are in tokenOut, fees in tokenIn. */
export interface RoutePair {
  tokenIn: Token;
  tokenOut: Token;
}

const units = (value: bigint, token: Token) => `${formatUnits(value, token.decimals)} ${token.symbol}`;

/**
 * Best first: larger amountOut (already net of fees), then lower priceImpactBps, then lower fee,
 * then the order of DEXES, so the same quotes always give the same route.
 */
function compareQuotes(a: VenueQuote, b: VenueQuote): number {
  if (a.amountOut !== b.amountOut) return a.amountOut > b.amountOut ? -1 : 1;
  if (a.priceImpactBps !== b.priceImpactBps) return a.priceImpactBps - b.priceImpactBps;
  if (a.fee !== b.fee) return a.fee < b.fee ? -1 : 1;
  return DEXES.indexOf(a.dex) - DEXES.indexOf(b.dex);
}

/** margin / base as a percentage with two decimals, truncated: (1234n, 1000000n) -> "0.12%"; below 0.01 % "under 0.01%". */
function percentOf(margin: bigint, base: bigint): string {
  const hundredths = (margin * 10_000n) / base;
  if (hundredths === 0n) return 'under 0.01%';
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}%`;
}

function explainTie(chosen: VenueQuote, runnerUp: VenueQuote, pair: RoutePair): string {
  const both = `${chosen.dex} and ${runnerUp.dex} both return ${units(chosen.amountOut, pair.tokenOut)}`;
  if (chosen.priceImpactBps !== runnerUp.priceImpactBps) {
    return `${both}; ${chosen.dex} wins on lower price impact (${chosen.priceImpactBps} vs ${runnerUp.priceImpactBps} bps)`;
  }
  if (chosen.fee !== runnerUp.fee) {
    return `${both}; ${chosen.dex} wins on lower fee (${units(chosen.fee, pair.tokenIn)} vs ${units(runnerUp.fee, pair.tokenIn)})`;
  }
  return `${both} with equal impact and fee; ${chosen.dex} wins on venue order`;
}

/**
 * Chooses among venue quotes. Quotes with zero (or negative) output are never chosen; with no
 * usable quote the result is null. The margin in `reason` is against the runner-up.
 */
export function chooseRoute(quotes: readonly VenueQuote[], pair: RoutePair): RouteChoice | null {
  const usable = quotes.filter((quote) => quote.amountOut > 0n).sort(compareQuotes);
  const [chosen, runnerUp] = usable;
  if (chosen === undefined) return null;

  if (runnerUp === undefined) {
    const reason =
      quotes.length === 1 ? `only ${chosen.dex} answered` : `only ${chosen.dex} returned a non-zero amount`;
    return { chosen, reason };
  }

  const margin = chosen.amountOut - runnerUp.amountOut;
  const reason =
    margin === 0n
      ? explainTie(chosen, runnerUp, pair)
      : `${chosen.dex} returns ${units(margin, pair.tokenOut)} more (${percentOf(margin, runnerUp.amountOut)}) than ${runnerUp.dex}`;
  return { chosen, reason };
}
