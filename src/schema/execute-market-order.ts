// The executeMarketOrder mutation and its input.
import { IdempotencyConflictError, OrderValidationError, StoreUnavailableError } from '../engine/errors.js';
import { executeMarketOrder } from '../resolvers/execute-market-order.js';
import { RateLimitedError } from '../security/rate-limiter.js';
import { builder } from './builder.js';
import { OrderType } from './order.js';

const ExecuteMarketOrderInput = builder.inputType('ExecuteMarketOrderInput', {
  fields: (t) => ({
    tokenIn: t.string({ required: true, description: 'symbol ("SOL") or mint address' }),
    tokenOut: t.string({ required: true }),
    amountIn: t.field({ type: 'Decimal', required: true, description: 'in whole units of tokenIn, at most its decimals' }),
    slippageBps: t.int({ description: 'default 50 (0.50 %), at most 5000' }),
    maxPriceImpactBps: t.int({
      description:
        "the most price impact (DexQuote.priceImpactBps) a venue's quote may have for the order to execute on it, 1 to 10000; a venue quoting more is passed over, and if every venue does, the order fails at once with each one's impact. Default: no limit",
    }),
    clientOrderId: t.string({ description: 'idempotency key: same key + same input = same order; 1 to 128 characters, no control characters' }),
  }),
});

builder.mutationField('executeMarketOrder', (t) =>
  t.field({
    type: OrderType,
    description: 'Stores a market order and queues it for execution; follow it with orderStatus',
    args: { input: t.arg({ type: ExecuteMarketOrderInput, required: true }) },
    errors: {
      types: [OrderValidationError, IdempotencyConflictError, StoreUnavailableError, RateLimitedError],
      union: { name: 'ExecuteMarketOrderResult' },
      result: { name: 'ExecuteMarketOrderSuccess' },
      dataField: { name: 'order' },
    },
    resolve: (_root, { input }, ctx) => executeMarketOrder(ctx, input),
  }),
);
