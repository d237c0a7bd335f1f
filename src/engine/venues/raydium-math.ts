// Constant-product (x·y = k) pool math in the style of a Raydium AMM pool, on bigints only.
import { parseBaseUnits, shortfallBps } from '../money.js';
import type { VenueQuote } from '../types.js';

/** Raydium's standard pool fee: 25 bps = 0.25% of the input. */
export const RAYDIUM_FEE_BPS = 25;

export interface ConstantProductState {
  /** pool balance of token A, base units */
  reserveA: bigint;
  /** pool balance of token B, base units */
  reserveB: bigint;
  /** fee on the input, in basis points (integer in [0, 10000)) */
  feeBps: number;
}

export interface CpSwapResult {
  /** a VenueQuote without the venue name: the caller knows which pool it asked */
  quote: Omit<VenueQuote, 'dex'>;
  next: ConstantProductState;
}

/** The JSON shape of a ConstantProductState: bigints as decimal strings. */
export interface SerializedCp {
  reserveA: string;
  reserveB: string;
  feeBps: number;
}

function assertValidState(state: ConstantProductState): void {
  if (state.reserveA <= 0n || state.reserveB <= 0n) {
    throw new RangeError('constant-product reserves must be positive');
  }
  if (!Number.isInteger(state.feeBps) || state.feeBps < 0 || state.feeBps >= 10_000) {
    throw new RangeError(`feeBps must be an integer in [0, 10000), got ${state.feeBps}`);
  }
}

/**
 * Swaps `amountIn` of A for B (aToB) or B for A. The fee is taken from the input and rounded up;
 * the output is rounded down; the whole input, fee included, stays in the pool. Together these
 * mean k = reserveA × reserveB never decreases. Does not mutate `state`.
 */
export function cpSwap(state: ConstantProductState, aToB: boolean, amountIn: bigint): CpSwapResult {
  assertValidState(state);
  if (amountIn <= 0n) throw new RangeError(`amountIn must be positive, got ${amountIn}`);

  const reserveIn = aToB ? state.reserveA : state.reserveB;
  const reserveOut = aToB ? state.reserveB : state.reserveA;

  const fee = (amountIn * BigInt(state.feeBps) + 9_999n) / 10_000n;
  const netIn = amountIn - fee;
  const amountOut = (reserveOut * netIn) / (reserveIn + netIn);

  // How much less than netIn would buy at the pre-trade spot price (the fee is not impact), exactly:
  // both sides scaled by reserveIn, so that no floor of the spot output makes it read low
  const priceImpactBps = shortfallBps(netIn * reserveOut, amountOut * reserveIn);

  const nextIn = reserveIn + amountIn;
  const nextOut = reserveOut - amountOut;
  const next: ConstantProductState = aToB
    ? { reserveA: nextIn, reserveB: nextOut, feeBps: state.feeBps }
    : { reserveA: nextOut, reserveB: nextIn, feeBps: state.feeBps };

  return { quote: { amountIn, amountOut, fee, priceImpactBps }, next };
}

export function serializeCp(state: ConstantProductState): SerializedCp {
  return { reserveA: state.reserveA.toString(), reserveB: state.reserveB.toString(), feeBps: state.feeBps };
}

/** Inverse of serializeCp; throws on anything that is not a well-formed snapshot. */
export function deserializeCp(obj: unknown): ConstantProductState {
  if (typeof obj !== 'object' || obj === null) throw new TypeError('constant-product snapshot must be an object');
  const { reserveA, reserveB, feeBps } = obj as Record<string, unknown>;
  if (typeof feeBps !== 'number') throw new TypeError('constant-product snapshot needs a numeric feeBps');
  const state: ConstantProductState = {
    reserveA: parseBaseUnits(reserveA),
    reserveB: parseBaseUnits(reserveB),
    feeBps,
  };
  assertValidState(state);
  return state;
}
