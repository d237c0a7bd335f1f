// One model per venue: how its pools are seeded, priced and swapped. The math itself lives in
// raydium-math.ts and meteora-math.ts; this adapts it to serialized pool state.
import type { Dex } from '../types.js';
import { cpSwap, deserializeCp, serializeCp, type ConstantProductState } from './raydium-math.js';
import { InsufficientLiquidityError, binPriceQ64, deserializeDlmm, dlmmSwap, seedDlmm, serializeDlmm } from './meteora-math.js';
import { basePrice, type PairSpec } from './pools.js';
import { parseUnits } from '../money.js';
import { tokenBySymbol } from '../tokens.js';

export interface SwapOutcome {
  amountIn: bigint;
  amountOut: bigint;
  fee: bigint;
  priceImpactBps: number;
  /** serialized pool state after the swap */
  next: string;
}

export interface PoolModel {
  dex: Dex;
  /** initial state, its price moved by `priceSkewBps` from the pair's reference price */
  seed(pair: PairSpec, priceSkewBps: number): string;
  swap(state: string, aToB: boolean, amountIn: bigint): SwapOutcome;
  /** current price, base units of B per base unit of A */
  price(state: string): { num: bigint; den: bigint };
}

const Q64 = 1n << 64n;

/**
 * Pool states parsed lately, by their serialized text: every quote of every order reads a pool,
 * and a DLMM pool's JSON is kilobytes, so parsing it once per version rather than once per read
 * matters. The parsed values are never mutated (the math returns new states).
 */
function memoizedParse<T>(parse: (json: unknown) => T, capacity = 64): (state: string) => T {
  const cache = new Map<string, T>();
  return (state) => {
    const hit = cache.get(state);
    if (hit !== undefined) return hit;
    const parsed = parse(JSON.parse(state));
    if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    cache.set(state, parsed);
    return parsed;
  };
}
const parseCp = memoizedParse(deserializeCp);
const parseDlmm = memoizedParse(deserializeDlmm);
const depthInBaseUnits = (pair: PairSpec) => parseUnits(pair.depthA, tokenBySymbol(pair.a).decimals);

function skewed(pair: PairSpec, priceSkewBps: number) {
  const { num, den } = basePrice(pair);
  return { num: num * BigInt(10_000 + priceSkewBps), den: den * 10_000n };
}

export const raydiumModel: PoolModel = {
  dex: 'RAYDIUM',
  seed(pair, priceSkewBps) {
    const { num, den } = skewed(pair, priceSkewBps);
    const reserveA = depthInBaseUnits(pair);
    const state: ConstantProductState = { reserveA, reserveB: (reserveA * num) / den, feeBps: 25 };
    return JSON.stringify(serializeCp(state));
  },
  swap(state, aToB, amountIn) {
    const { quote, next } = cpSwap(parseCp(state), aToB, amountIn);
    return { ...quote, next: JSON.stringify(serializeCp(next)) };
  },
  price(state) {
    const { reserveA, reserveB } = parseCp(state);
    return { num: reserveB, den: reserveA };
  },
};

/** bins on each side of the active one at seeding */
const METEORA_BINS_EACH_SIDE = 60;

export const meteoraModel: PoolModel = {
  dex: 'METEORA',
  seed(pair, priceSkewBps) {
    const { num, den } = skewed(pair, priceSkewBps);
    const state = seedDlmm({
      binStep: pair.binStep,
      priceNum: num,
      priceDen: den,
      binsEachSide: METEORA_BINS_EACH_SIDE,
      xPerBin: depthInBaseUnits(pair) / BigInt(METEORA_BINS_EACH_SIDE),
    });
    return JSON.stringify(serializeDlmm(state));
  },
  swap(state, aToB, amountIn) {
    try {
      const { quote, next } = dlmmSwap(parseDlmm(state), aToB, amountIn);
      return { ...quote, next: JSON.stringify(serializeDlmm(next)) };
    } catch (error) {
      // no bin on that side holds anything: nothing fills, like a partial fill of zero
      if (error instanceof InsufficientLiquidityError) return { amountIn: 0n, amountOut: 0n, fee: 0n, priceImpactBps: 0, next: state };
      throw error;
    }
  },
  price(state) {
    const { binStep, activeId } = parseDlmm(state);
    return { num: binPriceQ64(binStep, activeId), den: Q64 };
  },
};

export const POOL_MODELS: Record<Dex, PoolModel> = { RAYDIUM: raydiumModel, METEORA: meteoraModel };
