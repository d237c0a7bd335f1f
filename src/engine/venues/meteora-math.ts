// Liquidity-bin pool math modelled on Meteora DLMM, on bigints only.
//
// Token X is the pool's token A, token Y its token B. Liquidity sits in discrete bins; inside a
// bin the price is constant, so a swap is a sequence of fixed-price fills, bin after bin, until
// the input is spent. Prices are unsigned Q64.64 fixed point: value × 2^64 as a bigint.
import { parseBaseUnits, shortfallBps } from '../money.js';
import type { VenueQuote } from '../types.js';

/** 1.0 in Q64.64. */
export const Q64_ONE = 1n << 64n;
/** Prices must fit an unsigned 128-bit Q64.64, as they would on chain. */
const U128_MAX = (1n << 128n) - 1n;
/** Farthest bin from id 0 (the same bound Meteora uses); at binStep 1 it reaches a price of ~2^±64. */
export const MAX_BIN_ID = 443_636;
const PPM = 1_000_000n;

// Defaults for pools this engine seeds. Fees are in parts per million of the input.
/** Base fee: binStep × 100 ppm, i.e. binStep 20 -> 0.20%, binStep 25 -> 0.25% (Raydium's rate). */
export function defaultBaseFeePpm(binStep: number): number {
  return binStep * 100;
}
/** variableFee(k) = 5e6 × (k × binStep)² / 1e8 ppm: at binStep 20, 1 bin crossed adds 20 ppm, 10 bins add 2000 ppm (0.20%). */
export const DEFAULT_VARIABLE_FEE_CONTROL = 5_000_000;
/** No bin ever charges more than 10%, however far the swap walks. */
export const DEFAULT_MAX_FEE_PPM = 100_000;

export interface DlmmBin {
  /** reserve of token X, base units */
  readonly x: bigint;
  /** reserve of token Y, base units */
  readonly y: bigint;
}

export interface DlmmState {
  /** price ratio between neighbouring bins, in bps: bin id's price is (1 + binStep/10000)^id */
  binStep: number;
  /** the bin holding the current price; bins above hold only X, bins below only Y */
  activeId: number;
  /** fee every bin charges, ppm of the input spent in it */
  baseFeePpm: number;
  /** scales the fee added per bin crossed within one swap (see dlmmFeeRatePpm) */
  variableFeeControl: number;
  /** ceiling on base + variable fee, ppm; must be below 1_000_000 */
  maxFeePpm: number;
  /** keyed by String(id), so the state serializes to JSON with plain string keys */
  bins: Record<string, DlmmBin>;
}

export interface DlmmSwapResult {
  /** amountIn is what the pool actually consumed, which is less than asked when liquidity ran out */
  quote: Omit<VenueQuote, 'dex'>;
  next: DlmmState;
  /** the bins the swap changed, by id: `next` holds these and `state`'s other bins */
  changed: ReadonlyMap<number, DlmmBin>;
}

/** The swap direction holds no liquidity at all, so not even part of the input could be filled. */
export class InsufficientLiquidityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsufficientLiquidityError';
  }
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

function assertIntegerIn(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

/**
 * (base in Q64.64)^exponent for base >= 1, by squaring. Every product is rounded down. Returns
 * null once the result must exceed U128_MAX: squares of a value >= 1 never shrink, so a square
 * that is already too large while exponent bits remain means the result would be too.
 */
function powQ64(base: bigint, exponent: number): bigint | null {
  let result = Q64_ONE;
  let square = base;
  let bits = exponent;
  while (bits > 0) {
    if (bits & 1) {
      result = (result * square) >> 64n;
      if (result > U128_MAX) return null;
    }
    bits >>= 1;
    if (bits > 0) {
      square = (square * square) >> 64n;
      if (square > U128_MAX) return null;
    }
  }
  return result;
}

function tryBinPriceQ64(binStep: number, id: number): bigint | null {
  if (Math.abs(id) > MAX_BIN_ID) return null;
  const base = ((10_000n + BigInt(binStep)) << 64n) / 10_000n;
  const magnitude = powQ64(base, Math.abs(id));
  if (magnitude === null) return null;
  // magnitude <= U128_MAX, so the reciprocal is at least 1 and no price is ever zero.
  return id >= 0 ? magnitude : (1n << 128n) / magnitude;
}

/**
 * Price of bin `id` in Y base units per X base unit, Q64.64: (1 + binStep/10000)^id × 2^64.
 * Rounding rule: the base 1 + binStep/10000 is rounded down to Q64.64; |id| is raised by
 * square-and-multiply with every product rounded down; a negative id is the reciprocal
 * floor(2^128 / price(|id|)). So binPriceQ64(s, 0) = 2^64 and binPriceQ64(100, 1) = floor(1.01 × 2^64).
 * Throws RangeError if |id| > MAX_BIN_ID or the price does not fit an unsigned 128-bit Q64.64.
 */
export function binPriceQ64(binStep: number, id: number): bigint {
  const key = `${binStep}:${id}`;
  const known = binPrices.get(key);
  if (known !== undefined) return known;
  assertIntegerIn('binStep', binStep, 1, 10_000);
  assertIntegerIn('bin id', id, -MAX_BIN_ID, MAX_BIN_ID);
  const price = tryBinPriceQ64(binStep, id);
  if (price === null) throw new RangeError(`bin ${id} at binStep ${binStep} is outside the Q64.64 price range`);
  if (binPrices.size >= BIN_PRICE_CACHE_SIZE) binPrices.clear();
  binPrices.set(key, price);
  return price;
}

/**
 * Prices of the bins swaps touched lately. A bin's price is a pure function of its step and id,
 * and every quote and swap prices the same few bins around each pool's active one (square-and-
 * multiply over 128-bit values each time, otherwise).
 */
const binPrices = new Map<string, bigint>();
const BIN_PRICE_CACHE_SIZE = 4_096;

/**
 * States known to be valid: those checked once, and those dlmmSwap produced from them. States
 * are never mutated (dlmmSwap returns a new one), so one check per state is enough; a worker
 * otherwise walked all ~120 bins of the pool again on every quote and swap.
 */
const validStates = new WeakSet<DlmmState>();

type FeeParams = Pick<DlmmState, 'binStep' | 'baseFeePpm' | 'variableFeeControl' | 'maxFeePpm'>;

/**
 * Fee rate, ppm, in a bin `binsCrossed` bins away from where the swap started (0 in the starting
 * bin): min(maxFeePpm, baseFeePpm + ceil(variableFeeControl × (binsCrossed × binStep)² / 1e8)).
 * Walking far in one swap costs more, which is what makes large swaps pay for volatility. The
 * variable part is rounded up, as Meteora's program rounds it, so that no bin charges less than
 * the formula: rounded down, a USDC/USDT swap (binStep 1) crossed its first four bins at the base
 * fee alone, the 0.05-0.8 ppm they add dropped in the trader's favour.
 */
export function dlmmFeeRatePpm(fees: FeeParams, binsCrossed: number): number {
  const distance = BigInt(binsCrossed) * BigInt(fees.binStep);
  const variable = (BigInt(fees.variableFeeControl) * distance * distance + 99_999_999n) / 100_000_000n;
  const rate = BigInt(fees.baseFeePpm) + variable;
  const max = BigInt(fees.maxFeePpm);
  return Number(rate < max ? rate : max);
}

function assertValidState(state: DlmmState): void {
  assertIntegerIn('binStep', state.binStep, 1, 10_000);
  assertIntegerIn('activeId', state.activeId, -MAX_BIN_ID, MAX_BIN_ID);
  assertIntegerIn('baseFeePpm', state.baseFeePpm, 0, 999_999);
  assertIntegerIn('maxFeePpm', state.maxFeePpm, 0, 999_999);
  assertIntegerIn('variableFeeControl', state.variableFeeControl, 0, Number.MAX_SAFE_INTEGER);
  for (const [key, bin] of Object.entries(state.bins)) {
    // A non-canonical key such as "01" or "-0" would be a second, unreachable copy of a bin.
    if (String(Number(key)) !== key) throw new RangeError(`bin key ${JSON.stringify(key)} is not String(id)`);
    assertIntegerIn('bin id', Number(key), -MAX_BIN_ID, MAX_BIN_ID);
    if (bin.x < 0n || bin.y < 0n) throw new RangeError(`bin ${key} has a negative reserve`);
  }
}

/**
 * The state's bin ids in ascending order. A swap changes bins but never which ids exist, so a
 * state and every state swapped from it share one list: it is sorted once per parsed state, not
 * once per quote (Object.entries and a sort of 121 bins per quote were a tenth of the worker's
 * allocations).
 */
const sortedIdsOf = new WeakMap<DlmmState, readonly number[]>();

function sortedIds(state: DlmmState): readonly number[] {
  let ids = sortedIdsOf.get(state);
  if (!ids) {
    ids = Object.keys(state.bins)
      .map(Number)
      .sort((a, b) => a - b);
    sortedIdsOf.set(state, ids);
  }
  return ids;
}

/** The state's bin keys in their own order (Object.keys), shared like the sorted ids. */
const binKeysOf = new WeakMap<DlmmState, readonly string[]>();

function binKeys(state: DlmmState): readonly string[] {
  let keys = binKeysOf.get(state);
  if (!keys) {
    keys = Object.keys(state.bins);
    binKeysOf.set(state, keys);
  }
  return keys;
}

/**
 * Bins a swap can fill from, in the order it meets them: X→Y walks down from activeId through
 * bins holding Y, Y→X up through bins holding X. Yields ids without building the list.
 */
function* binsInSwapPath(state: DlmmState, xToY: boolean): Generator<number> {
  const ids = sortedIds(state);
  // first index whose id is above activeId
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ids[mid]! <= state.activeId) low = mid + 1;
    else high = mid;
  }
  if (xToY) {
    for (let i = low - 1; i >= 0; i--) if (state.bins[ids[i]!]!.y > 0n) yield ids[i]!;
  } else {
    // activeId itself, when it is a bin, comes first
    for (let i = low > 0 && ids[low - 1] === state.activeId ? low - 1 : low; i < ids.length; i++) if (state.bins[ids[i]!]!.x > 0n) yield ids[i]!;
  }
}

/** Output bought by `netIn` at `price`, rounded down. */
function outputAt(price: bigint, xToY: boolean, netIn: bigint): bigint {
  return xToY ? (netIn * price) >> 64n : (netIn << 64n) / price;
}

/**
 * Swaps `amountIn` of X for Y (xToY) or Y for X, bin by bin. In each bin the fee is taken from the
 * input spent there and rounded up, the output is rounded down, and the whole input, fee
 * included, stays in that bin, so no bin ever loses value at its own price.
 *
 * If the path runs out of liquidity the swap fills what it can: quote.amountIn is the input
 * actually consumed (less than asked) and amountOut matches it. Only when the path holds no
 * liquidity at all does it throw InsufficientLiquidityError. Does not mutate `state`.
 */
export function dlmmSwap(state: DlmmState, xToY: boolean, amountIn: bigint): DlmmSwapResult {
  if (!validStates.has(state)) {
    assertValidState(state);
    validStates.add(state);
  }
  if (amountIn <= 0n) throw new RangeError(`amountIn must be positive, got ${amountIn}`);

  // the bins this swap changes, by id; the next state is built from them only if someone asks
  // (a quote never does, and copying 121 bins per quote was most of what quoting allocated)
  const changed = new Map<number, DlmmBin>();
  let remaining = amountIn;
  let amountOut = 0n;
  let fee = 0n;
  let activeId = state.activeId;

  for (const id of binsInSwapPath(state, xToY)) {
    if (remaining === 0n) break;
    const bin = state.bins[id] as DlmmBin;
    const price = binPriceQ64(state.binStep, id);
    const rate = BigInt(dlmmFeeRatePpm(state, Math.abs(id - state.activeId)));
    const reserveOut = xToY ? bin.y : bin.x;

    // Smallest net input whose output reaches the whole reserve, then grossed up for this bin's fee.
    const netForAll = xToY ? ceilDiv(reserveOut << 64n, price) : ceilDiv(reserveOut * price, Q64_ONE);
    const grossForAll = ceilDiv(netForAll * PPM, PPM - rate);

    let spent: bigint;
    let out: bigint;
    let binFee: bigint;
    if (remaining >= grossForAll) {
      spent = grossForAll;
      binFee = grossForAll - netForAll;
      out = reserveOut;
    } else {
      // remaining < grossForAll implies net < netForAll, hence out < reserveOut: no clamp needed.
      spent = remaining;
      binFee = ceilDiv(remaining * rate, PPM);
      out = outputAt(price, xToY, remaining - binFee);
    }

    changed.set(id, xToY ? { x: bin.x + spent, y: bin.y - out } : { x: bin.x - out, y: bin.y + spent });
    remaining -= spent;
    amountOut += out;
    fee += binFee;
    activeId = id;
  }
  if (changed.size === 0) {
    throw new InsufficientLiquidityError(`no ${xToY ? 'Y' : 'X'} liquidity on the ${xToY ? 'X→Y' : 'Y→X'} side`);
  }

  const consumed = amountIn - remaining;
  // against what the net input buys at the starting bin's price, exactly: both sides scaled by
  // that price's denominator (2^64 for X→Y, the price for Y→X), so no floor makes it read low
  const startPrice = binPriceQ64(state.binStep, state.activeId);
  const net = consumed - fee;
  const priceImpactBps = xToY ? shortfallBps(net * startPrice, amountOut << 64n) : shortfallBps(net << 64n, amountOut * startPrice);

  let next: DlmmState | undefined;
  return {
    quote: { amountIn: consumed, amountOut, fee, priceImpactBps },
    changed,
    get next(): DlmmState {
      if (!next) {
        // copied key by key from the list the state shares with its lineage: spreading a 121-key
        // object costs V8 about 28 µs, this 7-20 µs, and it keeps the keys' order
        const keys = binKeys(state);
        const bins: Record<string, DlmmBin> = {};
        for (const key of keys) bins[key] = state.bins[key]!;
        for (const [id, bin] of changed) bins[String(id)] = bin;
        // valid by construction: the bins it changed keep their canonical keys and stay non-negative
        next = { ...state, activeId, bins };
        validStates.add(next);
        sortedIdsOf.set(next, sortedIds(state));
        binKeysOf.set(next, keys);
      }
      return next;
    },
  };
}

/**
 * Largest bin id whose price is <= num/den. Binary search over all ids: ids past the top of the
 * Q64.64 range count as above any price, ids past the bottom as below it.
 */
function activeIdForPrice(binStep: number, num: bigint, den: bigint): number {
  const atOrBelow = (id: number): boolean => {
    const price = tryBinPriceQ64(binStep, id);
    return price === null ? id < 0 : price * den <= num * Q64_ONE;
  };
  let low = -MAX_BIN_ID;
  let high = MAX_BIN_ID;
  while (low < high) {
    const mid = low + ((high - low + 1) >> 1);
    if (atOrBelow(mid)) low = mid;
    else high = mid - 1;
  }
  if (tryBinPriceQ64(binStep, low) === null || !atOrBelow(low)) {
    throw new RangeError(`price ${num}/${den} is below every bin price at binStep ${binStep}`);
  }
  return low;
}

export interface SeedDlmmParams {
  binStep: number;
  /** starting price, Y base units per X base unit, as the fraction priceNum / priceDen */
  priceNum: bigint;
  priceDen: bigint;
  /** how many bins to fill on each side of the active bin */
  binsEachSide: number;
  /** X per bin above the active bin; bins below hold Y worth this much X at their own price */
  xPerBin: bigint;
  /** default defaultBaseFeePpm(binStep) */
  baseFeePpm?: number;
  /** default DEFAULT_VARIABLE_FEE_CONTROL */
  variableFeeControl?: number;
  /** default DEFAULT_MAX_FEE_PPM */
  maxFeePpm?: number;
}

/**
 * A fresh pool around a starting price. The active bin is the largest id whose price <= the
 * starting price; it holds half of xPerBin as X and the other half's worth as Y. Bins above hold
 * xPerBin of X only, bins below floor(xPerBin × price) of Y only.
 */
export function seedDlmm(params: SeedDlmmParams): DlmmState {
  const { binStep, priceNum, priceDen, binsEachSide, xPerBin } = params;
  assertIntegerIn('binStep', binStep, 1, 10_000);
  assertIntegerIn('binsEachSide', binsEachSide, 0, MAX_BIN_ID);
  if (priceNum <= 0n || priceDen <= 0n) throw new RangeError('price must be a positive fraction');
  if (xPerBin <= 0n) throw new RangeError('xPerBin must be positive');

  const activeId = activeIdForPrice(binStep, priceNum, priceDen);
  const bins: Record<string, DlmmBin> = {};
  for (let id = activeId - binsEachSide; id <= activeId + binsEachSide; id++) {
    const price = binPriceQ64(binStep, id);
    if (id > activeId) bins[String(id)] = { x: xPerBin, y: 0n };
    else if (id < activeId) bins[String(id)] = { x: 0n, y: (xPerBin * price) >> 64n };
    else {
      const halfX = xPerBin / 2n;
      bins[String(id)] = { x: halfX, y: ((xPerBin - halfX) * price) >> 64n };
    }
  }

  const state: DlmmState = {
    binStep,
    activeId,
    baseFeePpm: params.baseFeePpm ?? defaultBaseFeePpm(binStep),
    variableFeeControl: params.variableFeeControl ?? DEFAULT_VARIABLE_FEE_CONTROL,
    maxFeePpm: params.maxFeePpm ?? DEFAULT_MAX_FEE_PPM,
    bins,
  };
  assertValidState(state);
  return state;
}

/** The JSON shape of a DlmmState: reserves as decimal strings. */
export interface SerializedDlmm {
  binStep: number;
  activeId: number;
  baseFeePpm: number;
  variableFeeControl: number;
  maxFeePpm: number;
  bins: Record<string, { x: string; y: string }>;
}

export function serializeDlmm(state: DlmmState): SerializedDlmm {
  const bins: Record<string, { x: string; y: string }> = {};
  for (const [key, bin] of Object.entries(state.bins)) bins[key] = { x: bin.x.toString(), y: bin.y.toString() };
  const { binStep, activeId, baseFeePpm, variableFeeControl, maxFeePpm } = state;
  return { binStep, activeId, baseFeePpm, variableFeeControl, maxFeePpm, bins };
}

/** Inverse of serializeDlmm; throws on anything that is not a well-formed snapshot. */
export function deserializeDlmm(obj: unknown): DlmmState {
  if (typeof obj !== 'object' || obj === null) throw new TypeError('DLMM snapshot must be an object');
  const raw = obj as Record<string, unknown>;
  const numbers = ['binStep', 'activeId', 'baseFeePpm', 'variableFeeControl', 'maxFeePpm'] as const;
  for (const field of numbers) {
    if (typeof raw[field] !== 'number') throw new TypeError(`DLMM snapshot needs a numeric ${field}`);
  }
  if (typeof raw.bins !== 'object' || raw.bins === null) throw new TypeError('DLMM snapshot needs a bins object');

  const bins: Record<string, DlmmBin> = {};
  for (const [key, value] of Object.entries(raw.bins as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) throw new TypeError(`bin ${key} must be an object`);
    const { x, y } = value as Record<string, unknown>;
    bins[key] = { x: parseBaseUnits(x), y: parseBaseUnits(y) };
  }
  const state: DlmmState = {
    binStep: raw.binStep as number,
    activeId: raw.activeId as number,
    baseFeePpm: raw.baseFeePpm as number,
    variableFeeControl: raw.variableFeeControl as number,
    maxFeePpm: raw.maxFeePpm as number,
    bins,
  };
  assertValidState(state);
  return state;
}
