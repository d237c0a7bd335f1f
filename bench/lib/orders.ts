// The orders the bench submits: small market orders spread over every pool in both directions,
// so no single pool's compare-and-swap becomes the bottleneck and prices stay put (each order is
// a tiny fraction of its pool's depth, and opposite directions alternate).
import type { HttpAnswer } from './graphql-http.js';

export const EXECUTE_MARKET_ORDER = `mutation Execute($input: ExecuteMarketOrderInput!) {
  executeMarketOrder(input: $input) {
    __typename
    ... on ExecuteMarketOrderSuccess { order { id status } }
    ... on Error { message }
  }
}`;

/** [tokenIn, tokenOut, amountIn]: every pair of src/engine/venues/pools.ts, both ways. */
const MIX: readonly (readonly [string, string, string])[] = [
  ['SOL', 'USDC', '0.01'],
  ['USDC', 'SOL', '1.5'],
  ['SOL', 'USDT', '0.01'],
  ['USDT', 'SOL', '1.5'],
  ['USDC', 'USDT', '2'],
  ['USDT', 'USDC', '2'],
  ['BONK', 'SOL', '10000'],
  ['SOL', 'BONK', '0.001'],
  ['BONK', 'USDC', '10000'],
  ['USDC', 'BONK', '0.2'],
  ['JUP', 'USDC', '2'],
  ['USDC', 'JUP', '1.6'],
  ['JUP', 'SOL', '2'],
  ['SOL', 'JUP', '0.01'],
];

/** Wide enough that the orders' own flow never trips it: the bench measures the engine, not slippage retries. */
const SLIPPAGE_BPS = 200;

/**
 * The request body of order `i` of a phase. Its clientOrderId (`<phase key>-<i>`) makes a retried
 * request (a keep-alive connection reset) return the same order instead of placing a second.
 */
export function orderBody(phase: string, i: number): string {
  const [tokenIn, tokenOut, amountIn] = MIX[i % MIX.length]!;
  const input = { tokenIn, tokenOut, amountIn, slippageBps: SLIPPAGE_BPS, clientOrderId: `${phase}-${i}` };
  return JSON.stringify({ query: EXECUTE_MARKET_ORDER, variables: { input } });
}

/** The id of the accepted order, or an error saying what came back instead. */
export function acceptedOrderId(answer: HttpAnswer): string {
  if (answer.status === 200) {
    const id = /"id":"([0-9a-f-]{36})"/.exec(answer.body)?.[1];
    if (id && answer.body.includes('"ExecuteMarketOrderSuccess"')) return id;
  }
  throw new Error(`order not accepted: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
}
