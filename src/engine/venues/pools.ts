// The simulated market's pools: which pairs each venue lists, at what price and depth.
// Prices are decimal strings (whole units of B per whole unit of A), turned into exact
// rationals of base units, so seeding involves no floating point.
import type { Dex } from '../types.js';
import { parseUnits } from '../money.js';
import { tokenBySymbol } from '../tokens.js';

export interface PairSpec {
  /** token A / token B, A being the base token the price is quoted in */
  a: string;
  b: string;
  /** whole units of B per whole unit of A */
  price: string;
  /** depth of the Raydium pool, in whole units of A on each side's worth */
  depthA: string;
  /** Meteora bin step in basis points */
  binStep: number;
}

export const PAIRS: readonly PairSpec[] = [
  { a: 'SOL', b: 'USDC', price: '150', depthA: '40000', binStep: 10 },
  { a: 'SOL', b: 'USDT', price: '150', depthA: '20000', binStep: 10 },
  { a: 'USDC', b: 'USDT', price: '1', depthA: '5000000', binStep: 1 },
  { a: 'BONK', b: 'SOL', price: '0.00000013', depthA: '50000000000', binStep: 80 },
  { a: 'BONK', b: 'USDC', price: '0.00002', depthA: '50000000000', binStep: 80 },
  { a: 'JUP', b: 'USDC', price: '0.8', depthA: '5000000', binStep: 20 },
  { a: 'JUP', b: 'SOL', price: '0.0053', depthA: '3000000', binStep: 20 },
];

export const pairId = (spec: Pick<PairSpec, 'a' | 'b'>) => `${spec.a}-${spec.b}`;

export interface PoolRoute {
  pair: PairSpec;
  /** true when the order sells token A for token B */
  aToB: boolean;
}

/** The pool pair that trades tokenIn for tokenOut, in either direction, if one exists. */
export function findPair(tokenIn: string, tokenOut: string): PoolRoute | undefined {
  for (const pair of PAIRS) {
    if (pair.a === tokenIn && pair.b === tokenOut) return { pair, aToB: true };
    if (pair.b === tokenIn && pair.a === tokenOut) return { pair, aToB: false };
  }
  return undefined;
}

/** The symbols a swap along `route` sells and buys. */
export function routeTokens({ pair, aToB }: PoolRoute): { tokenIn: string; tokenOut: string } {
  return aToB ? { tokenIn: pair.a, tokenOut: pair.b } : { tokenIn: pair.b, tokenOut: pair.a };
}

/** Price as an exact ratio of base units of B per base unit of A. */
export function basePrice(pair: PairSpec): { num: bigint; den: bigint } {
  const a = tokenBySymbol(pair.a);
  const b = tokenBySymbol(pair.b);
  const scale = 12;
  // price × 10^(decB − decA), with the decimal price scaled by 10^12 to stay integral
  const num = parseUnits(pair.price, scale) * 10n ** BigInt(b.decimals);
  const den = 10n ** BigInt(scale) * 10n ** BigInt(a.decimals);
  return { num, den };
}

export const poolsOf = (dex: Dex) => PAIRS.map((pair) => ({ dex, pair }));
