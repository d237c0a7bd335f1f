// Orders, their routing decisions and lifecycle events, and the queries that read them.
import type { OrderEventRecord, OrderRecord, RoutingDecisionRecord, StoredQuote } from '../engine/order-store.js';
import { DEXES } from '../engine/types.js';
import { decimalOf, orderConnection, orderById } from '../resolvers/orders.js';
import { builder } from './builder.js';

export const OrderTypeEnum = builder.enumType('OrderType', { values: ['MARKET'] as const });
export const OrderStatusEnum = builder.enumType('OrderStatus', {
  values: ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED', 'FAILED'] as const,
});
export const DexEnum = builder.enumType('Dex', { values: DEXES });

const UnfillableEnum = builder.enumType('Unfillable', {
  description: 'Why a venue quoted no output',
  values: {
    TOO_LARGE: { description: 'its pool cannot take the whole amount, or would pay out more than the largest amount an order can store' },
    TOO_SMALL: { description: 'the output would be less than one base unit of tokenOut' },
  },
});

const DexQuoteType = builder.objectRef<StoredQuote & { tokenIn: string; tokenOut: string }>('DexQuote').implement({
  description: "One venue's quote for the order, in whole units of tokenOut (fee in tokenIn)",
  fields: (t) => ({
    dex: t.field({ type: DexEnum, resolve: (q) => q.dex }),
    amountOut: t.field({ type: 'Decimal', description: '0 when the venue cannot fill the order (see unfillable)', resolve: (q) => decimalOf(BigInt(q.amountOut), q.tokenOut) }),
    fee: t.field({ type: 'Decimal', description: '0 when the venue cannot fill the order', resolve: (q) => decimalOf(BigInt(q.fee), q.tokenIn) }),
    priceImpactBps: t.exposeInt('priceImpactBps', {
      description:
        "how much less the quote pays than the pool's price before the order would, its fee aside, in basis points rounded up; 0 when the venue cannot fill the order",
    }),
    unfillable: t.field({
      type: UnfillableEnum,
      nullable: true,
      description: 'why the venue quoted no output; null when it can fill the order',
      resolve: (q) => (q.unfillable === 'too_large' ? 'TOO_LARGE' : q.unfillable === 'too_small' ? 'TOO_SMALL' : null),
    }),
  }),
});

type DecisionParent = RoutingDecisionRecord & { order: OrderRecord };

const RoutingDecisionType = builder.objectRef<DecisionParent>('RoutingDecision').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    attempt: t.exposeInt('attempt'),
    chosenDex: t.field({ type: DexEnum, resolve: (d) => d.chosenDex }),
    quotes: t.field({
      type: [DexQuoteType],
      description: 'one per venue that answered, including the one not chosen',
      resolve: (d) => (d.quotes as unknown as StoredQuote[]).map((q) => ({ ...q, tokenIn: d.order.tokenIn, tokenOut: d.order.tokenOut })),
    }),
    expectedAmountOut: t.field({ type: 'Decimal', resolve: (d) => decimalOf(d.expectedAmountOut, d.order.tokenOut) }),
    minAmountOut: t.field({ type: 'Decimal', description: 'what the slippage guard enforces', resolve: (d) => decimalOf(d.minAmountOut, d.order.tokenOut) }),
    reason: t.exposeString('reason'),
    decidedAt: t.expose('decidedAt', { type: 'DateTime' }),
  }),
});

export const OrderEventType = builder.objectRef<OrderEventRecord>('OrderEvent').implement({
  description: 'One lifecycle transition',
  fields: (t) => ({
    orderId: t.exposeID('orderId'),
    seq: t.exposeInt('seq', { description: '1, 2, 3 ... per order, no gaps' }),
    status: t.field({ type: OrderStatusEnum, resolve: (e) => e.status }),
    attempt: t.exposeInt('attempt'),
    message: t.exposeString('message', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

export const OrderType = builder.objectRef<OrderRecord>('Order').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    clientOrderId: t.exposeString('clientOrderId', { nullable: true }),
    type: t.field({ type: OrderTypeEnum, resolve: (o) => o.type }),
    status: t.field({ type: OrderStatusEnum, resolve: (o) => o.status }),
    tokenIn: t.exposeString('tokenIn'),
    tokenOut: t.exposeString('tokenOut'),
    amountIn: t.field({ type: 'Decimal', resolve: (o) => decimalOf(o.amountIn, o.tokenIn) }),
    slippageBps: t.exposeInt('slippageBps'),
    maxPriceImpactBps: t.exposeInt('maxPriceImpactBps', { nullable: true, description: "the order's limit on a quote's price impact; null: none" }),
    amountOut: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'executed output, once CONFIRMED',
      resolve: (o) => (o.status === 'CONFIRMED' && o.amountOut != null ? decimalOf(o.amountOut, o.tokenOut) : null),
    }),
    dex: t.field({
      type: DexEnum,
      nullable: true,
      description: 'the venue the current attempt chose (BUILDING, SUBMITTED); once CONFIRMED, where it executed; null on a FAILED order, which executed nowhere',
      // the store keeps the last attempt's choice on a FAILED order; its routingDecisions show it
      resolve: (o) => (o.status === 'FAILED' ? null : o.dex),
    }),
    txSignature: t.string({
      nullable: true,
      description: 'the transaction, once sent (SUBMITTED) and once it executed (CONFIRMED); null before it is sent and on a FAILED order, whose last transaction never executed',
      // fixed when the attempt is built and stored before it is sent, so that a resumed attempt
      // can ask the venue about it; not shown until then, as no explorer knows it
      resolve: (o) => (o.status === 'SUBMITTED' || o.status === 'CONFIRMED' ? o.txSignature : null),
    }),
    attempts: t.exposeInt('attempts'),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    routingDecisions: t.field({
      type: [RoutingDecisionType],
      description: 'one per routing attempt, oldest first',
      resolve: async (o, _args, ctx) => (await ctx.store.routingDecisions(o.id)).map((d) => ({ ...d, order: o })),
    }),
    events: t.field({
      type: [OrderEventType],
      description: 'every transition, oldest first',
      resolve: (o, _args, ctx) => ctx.store.eventsAfter(o.id),
    }),
  }),
});

builder.objectField(OrderEventType, 'order', (t) =>
  t.field({
    type: OrderType,
    description:
      'The order as it stands when this event is read, which may be past the event. Selected in orderStatus, it keeps a client cache (Apollo, urql Graphcache) current from the stream: one read of the order per event',
    resolve: async (event, _args, ctx) => {
      const order = await orderById(ctx, event.orderId);
      // events are only ever read for the caller's own orders
      if (!order) throw new Error(`order ${event.orderId} of an event was not found`);
      return order;
    },
  }),
);

builder.queryFields((t) => ({
  order: t.field({
    type: OrderType,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => orderById(ctx, String(args.id)),
  }),
  orders: t.connection({
    type: OrderType,
    description: 'Newest first',
    args: { status: t.arg({ type: OrderStatusEnum }) },
    resolve: (_root, args, ctx) => orderConnection(ctx, args),
  }, { name: 'OrderConnection' }, { name: 'OrderEdge' }),
}));
