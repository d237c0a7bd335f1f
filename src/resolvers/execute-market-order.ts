// The executeMarketOrder mutation: rate-limited per API key, then handed to the engine.
import type { GraphQLContext } from '../context.js';
import type { OrderRecord } from '../engine/order-store.js';
import type { MarketOrderInput } from '../engine/order-validation.js';

/** Throws RateLimitedError before anything is validated or stored when the key is over its limit. */
export async function executeMarketOrder(ctx: GraphQLContext, input: MarketOrderInput): Promise<OrderRecord> {
  await ctx.orderRateLimit.consume(ctx.principal.apiKeyId);
  return ctx.orders.submitMarketOrder(ctx.principal.accountId, input);
}
