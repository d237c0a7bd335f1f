// One model per venue: how its pools are seeded, priced and swapped. The math itself lives in
// raydium-math.ts and meteora-math.ts; this adapts it to the pool state a venue keeps parsed, and
// to the JSON text that Redis and the journal store.
import type { Dex } from '../types.js';
import { cpSwap, deserializeCp, serializeCp, type ConstantProductState } from './raydium-math.js';
import { InsufficientLiquidityError, binPriceQ64, deserializeDlmm, dlmmStateJson, dlmmSwap, seedDlmm, type DlmmState } from './meteora-math.js';
import { basePrice, type PairSpec } from './pools.js';
import { parseUnits } from '../money.js';
import { tokenBySymbol } from '../tokens.js';

export interface SwapOutcome<S> {
  amountIn: bigint;
  amountOut: bigint;
  fee: bigint;
  priceImpactBps: number;
  /** pool state after the swap; a quote drops it, only a commit serializes it */
  next: S;
}

/**
 * `S` is the model's parsed state. States are never mutated (the math returns new ones), so one
 * parsed state can back any number of concurrent quotes.
 */
export interface PoolModel<S = unknown> {
  dex: Dex;
  /** initial state, its price moved by `priceSkewBps` from the pair's reference price */
  seed(pair: PairSpec, priceSkewBps: number): S;
  /** a state as stored (JSON); throws on anything that is not a well-formed state */
  parse(text: string): S;
  serialize(state: S): string;
  swap(state: S, aToB: boolean, amountIn: bigint): SwapOutcome<S>;
  /** current price, base units of B per base unit of A */
  price(state: S): { num: bigint; den: bigint };
}

const Q64 = 1n << 64n;

const depthInBaseUnits = (pair: PairSpec) => parseUnits(pair.depthA, tokenBySymbol(pair.a).decimals);

function skewed(pair: PairSpec, priceSkewBps: number) {
  const { num, den } = basePrice(pair);
  return { num: num * BigInt(10_000 + priceSkewBps), den: den * 10_000n };
}

export const raydiumModel: PoolModel<ConstantProductState> = {
  dex: 'RAYDIUM',
  seed(pair, priceSkewBps) {
    const { num, den } = skewed(pair, priceSkewBps);
    const reserveA = depthInBaseUnits(pair);
    return { reserveA, reserveB: (reserveA * num) / den, feeBps: 25 };
  },
  parse: (text) => deserializeCp(JSON.parse(text)),
  serialize: (state) => JSON.stringify(serializeCp(state)),
  swap(state, aToB, amountIn) {
    const { quote, next } = cpSwap(state, aToB, amountIn);
    return { ...quote, next };
  },
  price: ({ reserveA, reserveB }) => ({ num: reserveB, den: reserveA }),
};

/** bins on each side of the active one at seeding */
const METEORA_BINS_EACH_SIDE = 60;

export const meteoraModel: PoolModel<DlmmState> = {
  dex: 'METEORA',
  seed(pair, priceSkewBps) {
    const { num, den } = skewed(pair, priceSkewBps);
    return seedDlmm({
      binStep: pair.binStep,
      priceNum: num,
      priceDen: den,
      binsEachSide: METEORA_BINS_EACH_SIDE,
      xPerBin: depthInBaseUnits(pair) / BigInt(METEORA_BINS_EACH_SIDE),
    });
  },
  parse: (text) => deserializeDlmm(JSON.parse(text)),
  serialize: dlmmStateJson,
  swap(state, aToB, amountIn) {
    try {
      // `next` stays lazy: a quote never builds the state after the swap
      const result = dlmmSwap(state, aToB, amountIn);
      return {
        ...result.quote,
        get next() {
          return result.next;
        },
      };
    } catch (error) {
      // no bin on that side holds anything: nothing fills, like a partial fill of zero
      if (error instanceof InsufficientLiquidityError) return { amountIn: 0n, amountOut: 0n, fee: 0n, priceImpactBps: 0, next: state };
      throw error;
    }
  },
  price: ({ binStep, activeId }) => ({ num: binPriceQ64(binStep, activeId), den: Q64 }),
};

export const POOL_MODELS: Record<Dex, PoolModel> = { RAYDIUM: raydiumModel, METEORA: meteoraModel };
