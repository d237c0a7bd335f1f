// One model per venue: how its pools are seeded, priced and swapped. The math itself lives in
// raydium-math.ts and meteora-math.ts; this adapts it to the pool state a venue keeps parsed, to
// the fields of the Redis hash that holds a live pool, and to the JSON text the journal stores.
import type { Dex } from '../types.js';
import { cpSwap, deserializeCp, serializeCp, type ConstantProductState } from './raydium-math.js';
import { InsufficientLiquidityError, binPriceQ64, deserializeDlmm, dlmmSwap, seedDlmm, serializeDlmm, type DlmmBin, type DlmmState } from './meteora-math.js';
import { basePrice, type PairSpec } from './pools.js';
import { I64_MAX, parseUnits } from '../money.js';
import { tokenBySymbol } from '../tokens.js';

/** Field name to value, as a Redis hash holds them. */
export type PoolFields = Record<string, string>;

/** A field's integer, NaN unless it is one in canonical decimal (the math's checks then refuse it). */
const integerField = (text: string | undefined): number => (text !== undefined && /^-?\d+$/.test(text) ? Number(text) : Number.NaN);

export interface SwapOutcome<S> {
  amountIn: bigint;
  amountOut: bigint;
  fee: bigint;
  priceImpactBps: number;
  /** pool state after the swap; a quote drops it, only a commit builds it */
  next: S;
  /** the fields of `next` whose values differ from the swapped state's: all a commit sends */
  changes: PoolFields;
}

/**
 * `S` is the model's parsed state. States are never mutated (the math returns new ones), so one
 * parsed state can back any number of concurrent quotes.
 */
export interface PoolModel<S = unknown> {
  dex: Dex;
  /** initial state, its price moved by `priceSkewBps` from the pair's reference price */
  seed(pair: PairSpec, priceSkewBps: number): S;
  /** a state as the journal stores it (JSON); throws on anything that is not a well-formed state */
  parse(text: string): S;
  serialize(state: S): string;
  /** a state as the fields of a pool's Redis hash; no name starts with '@' (the store's own fields) */
  toFields(state: S): PoolFields;
  /** inverse of toFields; throws on anything that is not a well-formed state */
  fromFields(fields: PoolFields): S;
  swap(state: S, aToB: boolean, amountIn: bigint): SwapOutcome<S>;
  /** current price, base units of B per base unit of A */
  price(state: S): { num: bigint; den: bigint };
}

const Q64 = 1n << 64n;

/**
 * A swap that fills nothing: the pool has no liquidity on that side, or the output would exceed
 * the largest amount an order stores (I64_MAX, as a chain's token account holds at most u64).
 * Without that bound, a pool pushed far out of range by huge sales would quote outputs that no
 * order could record, and an order that swapped one would be stuck unable to store it.
 */
function fillsNothing<S>(state: S): SwapOutcome<S> {
  return { amountIn: 0n, amountOut: 0n, fee: 0n, priceImpactBps: 0, next: state, changes: {} };
}

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
  toFields: (state) => {
    const { reserveA, reserveB, feeBps } = serializeCp(state);
    return { reserveA, reserveB, feeBps: String(feeBps) };
  },
  fromFields: ({ reserveA, reserveB, feeBps }) => deserializeCp({ reserveA, reserveB, feeBps: integerField(feeBps) }),
  swap(state, aToB, amountIn) {
    const { quote, next } = cpSwap(state, aToB, amountIn);
    if (quote.amountOut > I64_MAX) return fillsNothing(state);
    return {
      ...quote,
      next,
      // a swap moves both reserves, and the fee is one short field
      get changes() {
        return raydiumModel.toFields(next);
      },
    };
  },
  price: ({ reserveA, reserveB }) => ({ num: reserveB, den: reserveA }),
};

/** A DLMM state's fields besides its bins, which are named by their ids (so never clash with these). */
const DLMM_SETTINGS = ['binStep', 'activeId', 'baseFeePpm', 'variableFeeControl', 'maxFeePpm'] as const;

const binField = (bin: DlmmBin) => `${bin.x}:${bin.y}`;

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
  serialize: (state) => JSON.stringify(serializeDlmm(state)),
  toFields(state) {
    const fields: PoolFields = {};
    for (const name of DLMM_SETTINGS) fields[name] = String(state[name]);
    for (const id in state.bins) fields[id] = binField(state.bins[id]!);
    return fields;
  },
  fromFields(fields) {
    const settings: Record<string, number> = {};
    const bins: Record<string, { x: string | undefined; y: string | undefined }> = {};
    for (const [name, value] of Object.entries(fields)) {
      if ((DLMM_SETTINGS as readonly string[]).includes(name)) settings[name] = integerField(value);
      else {
        const [x, y, extra] = value.split(':');
        bins[name] = { x, y: extra === undefined ? y : undefined };
      }
    }
    // the JSON form's checks apply: every setting an integer in range, canonical bin ids, base units
    return deserializeDlmm({ ...settings, bins });
  },
  swap(state, aToB, amountIn) {
    try {
      // `next` and `changes` stay lazy: a quote never builds the state after the swap
      const result = dlmmSwap(state, aToB, amountIn);
      if (result.quote.amountOut > I64_MAX) return fillsNothing(state);
      return {
        ...result.quote,
        get next() {
          return result.next;
        },
        // The active bin and the few bins the swap crossed, of 121: the pool's whole state was 5 KB
        // of JSON sent to Redis with every swap.
        get changes() {
          const fields: PoolFields = {};
          for (const [id, bin] of result.changed) fields[String(id)] = binField(bin);
          if (result.next.activeId !== state.activeId) fields.activeId = String(result.next.activeId);
          return fields;
        },
      };
    } catch (error) {
      // no bin on that side holds anything: nothing fills, like a partial fill of zero
      if (error instanceof InsufficientLiquidityError) return fillsNothing(state);
      throw error;
    }
  },
  price: ({ binStep, activeId }) => ({ num: binPriceQ64(binStep, activeId), den: Q64 }),
};

export const POOL_MODELS: Record<Dex, PoolModel> = { RAYDIUM: raydiumModel, METEORA: meteoraModel };
