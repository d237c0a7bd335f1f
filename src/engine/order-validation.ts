// Checks a market order's input and turns it into exact values, or lists every field that is wrong.
import { OrderValidationError, type FieldError } from './errors.js';
import { formatUnits, I64_MAX, MoneyFormatError, parseUnits } from './money.js';
import { TOKENS, findToken } from './tokens.js';

export interface MarketOrderInput {
  tokenIn: string;
  tokenOut: string;
  /** whole units of tokenIn as a decimal string, e.g. "1.5" */
  amountIn: string;
  slippageBps?: number | null;
  maxPriceImpactBps?: number | null;
  clientOrderId?: string | null;
}

export interface ValidMarketOrder {
  tokenIn: string;
  tokenOut: string;
  amountIn: bigint;
  slippageBps: number;
  maxPriceImpactBps: number | null;
  clientOrderId: string | null;
}

export const DEFAULT_SLIPPAGE_BPS = 50;
/** 50 %: a wider guard is no guard at all */
export const MAX_SLIPPAGE_BPS = 5_000;
export const MAX_CLIENT_ORDER_ID_LENGTH = 128;
/** 100 %: a quote's price impact in basis points never exceeds it */
const BPS_PER_WHOLE = 10_000;
// C0 controls and DEL
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** half of a UTF-16 surrogate pair without its other half (with the u flag, a whole pair is one code point) */
const LONE_SURROGATE = /\p{Cs}/u;

const KNOWN = TOKENS.map((t) => t.symbol).join(', ');

export function validateMarketOrder(input: MarketOrderInput): ValidMarketOrder {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ path: ['input', field], message });

  const token = (field: 'tokenIn' | 'tokenOut') => {
    const raw = input[field];
    if (typeof raw !== 'string' || raw.trim() === '') return void fail(field, 'is required');
    const found = findToken(raw);
    if (!found) fail(field, `unknown token "${raw.slice(0, 64)}"; known tokens: ${KNOWN} (or their mint addresses)`);
    return found;
  };
  const tokenIn = token('tokenIn');
  const tokenOut = token('tokenOut');
  if (tokenIn && tokenOut && tokenIn === tokenOut) fail('tokenOut', 'must differ from tokenIn');

  let amountIn = 0n;
  try {
    if (typeof input.amountIn !== 'string' || input.amountIn.trim() === '') throw new MoneyFormatError('not_a_number', '');
    // an unknown tokenIn is reported above; the amount's format is still checked
    amountIn = parseUnits(input.amountIn, tokenIn?.decimals ?? 18);
    if (amountIn <= 0n) fail('amountIn', 'must be greater than 0');
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    const messages = {
      not_a_number: 'must be a positive decimal number such as "1.5" or "0.5" (digits before the point; no sign, exponent or spaces)',
      too_many_decimals: `${tokenIn?.symbol} has ${tokenIn?.decimals} decimals: at most ${tokenIn?.decimals} digits after the point`,
      too_large: `is larger than the largest amount that can be traded${tokenIn ? `, ${formatUnits(I64_MAX, tokenIn.decimals)} ${tokenIn.symbol}` : ''}`,
    };
    // The decimals and the largest amount are tokenIn's: without a known tokenIn only the format
    // can be judged, and a form must not mark a good amount wrong for the token's fault.
    if (tokenIn || error.reason === 'not_a_number') fail('amountIn', messages[error.reason]);
  }

  const slippageBps = input.slippageBps ?? DEFAULT_SLIPPAGE_BPS;
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > MAX_SLIPPAGE_BPS) {
    fail('slippageBps', `must be an integer from 0 to ${MAX_SLIPPAGE_BPS} basis points`);
  }

  const maxPriceImpactBps = input.maxPriceImpactBps ?? null;
  if (maxPriceImpactBps !== null && (!Number.isInteger(maxPriceImpactBps) || maxPriceImpactBps < 1 || maxPriceImpactBps > BPS_PER_WHOLE)) {
    fail('maxPriceImpactBps', `must be an integer from 1 to ${BPS_PER_WHOLE} basis points, or left out for no limit`);
  }

  const clientOrderId = input.clientOrderId ?? null;
  // characters as a person counts them (code points), as PostgreSQL's text does, not UTF-16 units
  const clientOrderIdLength = clientOrderId === null ? 0 : [...clientOrderId].length;
  if (clientOrderId !== null && (clientOrderIdLength === 0 || clientOrderIdLength > MAX_CLIENT_ORDER_ID_LENGTH)) {
    fail('clientOrderId', `must be 1 to ${MAX_CLIENT_ORDER_ID_LENGTH} characters`);
  } else if (clientOrderId !== null && CONTROL_CHARACTER.test(clientOrderId)) {
    // PostgreSQL's text cannot hold NUL at all, and a line break or tab in a key is a client's bug
    fail('clientOrderId', 'must not contain control characters (NUL, tab, line breaks and the like)');
  } else if (clientOrderId !== null && LONE_SURROGATE.test(clientOrderId)) {
    // stored, it would become U+FFFD: "\ud800" and "\udbff" would then be one key, and the second
    // order would be answered with the first instead of being placed
    fail('clientOrderId', 'must be well-formed Unicode (it holds half of a surrogate pair)');
  }

  if (errors.length > 0 || !tokenIn || !tokenOut) throw new OrderValidationError(errors);
  return { tokenIn: tokenIn.symbol, tokenOut: tokenOut.symbol, amountIn, slippageBps, maxPriceImpactBps, clientOrderId };
}
