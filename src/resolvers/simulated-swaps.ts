// The simulated venues' ledger of executed swaps for one order.
import type { GraphQLContext } from '../context.js';
import type { SwapRecord } from '../engine/venues/pool-store.js';
import { findPair, routeTokens } from '../engine/venues/pools.js';
import { decimalOf, orderById } from './orders.js';

export interface SimulatedSwapView {
  signature: string;
  dex: SwapRecord['dex'];
  amountIn: string;
  amountOut: string;
  at: Date;
}

export async function simulatedSwapsOf(ctx: GraphQLContext, orderId: string): Promise<SimulatedSwapView[]> {
  const order = await orderById(ctx, orderId);
  if (!order) return [];
  return (await ctx.ledger.swapsOfOrder(order.id)).map((swap) => {
    const { tokenIn, tokenOut } = routeTokens({ pair: findPair(order.tokenIn, order.tokenOut)!.pair, aToB: swap.aToB });
    return {
      signature: swap.signature,
      dex: swap.dex,
      amountIn: decimalOf(BigInt(swap.amountIn), tokenIn),
      amountOut: decimalOf(BigInt(swap.amountOut), tokenOut),
      at: new Date(swap.submittedAt),
    };
  });
}
