// The simulated venues' own ledger, so anyone can count the swaps an order caused.
import type { SimulatedSwapView } from '../resolvers/simulated-swaps.js';
import { simulatedSwapsOf } from '../resolvers/simulated-swaps.js';
import { builder } from './builder.js';
import { DexEnum } from './order.js';

const SimulatedSwapType = builder.objectRef<SimulatedSwapView>('SimulatedSwap').implement({
  description: 'A swap the simulated chain executed',
  fields: (t) => ({
    signature: t.exposeString('signature'),
    dex: t.field({ type: DexEnum, resolve: (s) => s.dex }),
    amountIn: t.expose('amountIn', { type: 'Decimal', description: 'whole units of the token sold' }),
    amountOut: t.expose('amountOut', { type: 'Decimal', description: 'whole units of the token bought' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.queryField('simulatedSwaps', (t) =>
  t.field({
    type: [SimulatedSwapType],
    args: { orderId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => simulatedSwapsOf(ctx, String(args.orderId)),
  }),
);
