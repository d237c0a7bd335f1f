// Engine-wide vocabulary. Amounts are always integer base units (bigint); nothing here is a float.

export type Dex = 'RAYDIUM' | 'METEORA';
export const DEXES: readonly Dex[] = ['RAYDIUM', 'METEORA'];

export type OrderStatus = 'PENDING' | 'ROUTING' | 'BUILDING' | 'SUBMITTED' | 'CONFIRMED' | 'FAILED';
export const ORDER_STATUSES: readonly OrderStatus[] = ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED', 'FAILED'];
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['CONFIRMED', 'FAILED'];

/** What a venue would do with `amountIn` right now: the output of a swap, not yet executed. */
export interface VenueQuote {
  dex: Dex;
  amountIn: bigint;
  amountOut: bigint;
  /** fee taken from the input, in base units of the input token */
  fee: bigint;
  /** how far the execution price falls short of the pre-trade spot price, fee excluded */
  priceImpactBps: number;
  /**
   * Set when amountOut is 0, saying why: the pool cannot take all of amountIn ('too_large'), or
   * what it would give rounds down to less than one base unit ('too_small').
   */
  unfillable?: 'too_large' | 'too_small';
}
