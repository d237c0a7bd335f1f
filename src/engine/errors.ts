// Errors the engine expects. Each says whether a fresh attempt can help.
import { formatUnits } from './money.js';
import { tokenBySymbol } from './tokens.js';
import type { Dex } from './types.js';

/** A venue or the network failed in a way that a later attempt may not (timeouts, dropped calls). */
export class TransientVenueError extends Error {
  override name = 'TransientVenueError';
  constructor(readonly dex: Dex, message: string) {
    super(`${dex}: ${message}`);
  }
}

/** What a pool could still take of a swap's input, when it could not take all of it: amounts in base units of `tokenIn`. */
export interface UnfilledInput {
  tokenIn: string;
  amountIn: bigint;
  filled: bigint;
}

const wholeUnits = (amount: bigint, symbol: string) => `${formatUnits(amount, tokenBySymbol(symbol).decimals)} ${symbol}`;

/**
 * The venue refused the swap because its output fell below the transaction's minimum, or because
 * the pool can no longer take the whole input (`unfilled`: its liquidity moved since the quote, and
 * the part it could fill may pay more than the minimum, so the message says which). Messages are
 * in whole units.
 */
export class SlippageExceededError extends Error {
  override name = 'SlippageExceededError';
  constructor(readonly dex: Dex, readonly minAmountOut: bigint, readonly amountOut: bigint, tokenOut: string, unfilled?: UnfilledInput) {
    super(
      unfilled
        ? `${dex} rejected the swap: its pool can no longer take all of ${wholeUnits(unfilled.amountIn, unfilled.tokenIn)} (it would take ${wholeUnits(unfilled.filled, unfilled.tokenIn)}): its liquidity moved since the quote`
        : `${dex} rejected the swap: output ${wholeUnits(amountOut, tokenOut)} is below the minimum ${wholeUnits(minAmountOut, tokenOut)}`,
    );
  }
}

/**
 * The transaction was expired before it executed (as a Solana transaction whose durable nonce was
 * advanced): the run that gave it up has retried, or is retrying, with a new one.
 */
export class TransactionExpiredError extends Error {
  override name = 'TransactionExpiredError';
  constructor(readonly dex: Dex, signature: string) {
    super(`${dex}: transaction ${signature} was expired before it executed`);
  }
}

/** No venue lists a pool for the pair: retrying cannot help. */
export class NoRouteError extends Error {
  override name = 'NoRouteError';
  constructor(tokenIn: string, tokenOut: string) {
    super(`no venue has a pool for ${tokenIn} → ${tokenOut}`);
  }
}

export interface FieldError {
  path: string[];
  message: string;
}

/** The order input is invalid; nothing was stored. */
export class OrderValidationError extends Error {
  override name = 'OrderValidationError';
  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((e) => `${e.path.join('.')}: ${e.message}`).join('; '));
  }
}

/** The clientOrderId was already used for an order with different input. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';
  constructor(readonly clientOrderId: string, readonly existingOrderId: string) {
    super(`clientOrderId "${clientOrderId}" was already used for a different order`);
  }
}

/**
 * PostgreSQL could not be reached. Without `orderId`, nothing was stored and the request can be
 * retried as is. With it, the connection was lost while the order was being written: it may have
 * been stored under that id (and then it will execute), so the caller must find out, with
 * order(id) or by resending the same clientOrderId, before placing it again.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    readonly retryAfterMs: number,
    readonly orderId: string | null = null,
  ) {
    super(
      orderId === null
        ? 'the order store is unavailable right now; nothing was stored, retry in a moment (with the same clientOrderId to be safe)'
        : `the order store went away while order ${orderId} was being stored: it may have been accepted, and would then execute; ` +
            'once the service is back, look it up with order(id) or resend with the same clientOrderId, which never creates a second order',
    );
  }
}

/** An error's message for a log line: its last line, as a driver's error can carry its whole query before the reason. */
export function reasonOf(error: unknown): string | undefined {
  return String((error as Error | undefined)?.message ?? error).trim().split('\n').pop();
}
