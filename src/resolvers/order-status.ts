// The orderStatus subscription: an unknown order ends with an error at once; a known one
// streams its whole history and then its live events.
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { orderEventStream } from '../engine/order-event-stream.js';
import { orderById } from './orders.js';

export async function subscribeToOrderStatus(ctx: GraphQLContext, orderId: string) {
  const order = await orderById(ctx, orderId);
  if (!order) throw new GraphQLError(`order ${orderId} not found`, { extensions: { code: 'NOT_FOUND' } });
  return orderEventStream(order.id, { bus: ctx.bus, store: ctx.store, rechecks: ctx.rechecks });
}
