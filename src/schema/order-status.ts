// The orderStatus subscription.
import { subscribeToOrderStatus } from '../resolvers/order-status.js';
import { builder } from './builder.js';
import { OrderEventType } from './order.js';

builder.subscriptionField('orderStatus', (t) =>
  t.field({
    type: OrderEventType,
    description: 'Every transition of the order from seq 1, in order; completes after CONFIRMED or FAILED',
    args: { orderId: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx) => subscribeToOrderStatus(ctx, String(args.orderId)),
    resolve: (event) => event,
  }),
);
