// What the order store's batched statements cost, with nothing else running: orders are created
// and walked through their lifecycle (PENDING → ROUTING → BUILDING with its routing decision →
// SUBMITTED → CONFIRMED) `--batch` at a time, each step issued for all of them in one turn of the
// event loop, so group commit sends each step as one statement of that many rows, as it does under
// load. Reports per order this process's CPU and PostgreSQL's (the postmaster and its backends,
// from /proc), for each batch size.
//   npx tsx bench/batch-cost.ts [--orders 4000] [--batches 1,4,16,64] [--rounds 3]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { OrderStore, type Transition } from '../src/engine/order-store.js';
import type { OrderStatus } from '../src/engine/types.js';
import { createDatabase } from '../src/infra/prisma.js';
import { postgresPids, processCpuMs } from './lib/cpu.js';
import { startInfrastructure } from './lib/infrastructure.js';
import { analyzeOrderTables } from './lib/pg-work.js';
import { ROOT } from './lib/processes.js';
import { Progress } from './lib/progress.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '4000' },
    batches: { type: 'string', default: '1,4,16,64' },
    rounds: { type: 'string', default: '3' },
  },
});
const orders = Number(values.orders);
const batches = values.batches.split(',').map(Number);
const rounds = Number(values.rounds);
/** orders before each measurement, for V8 to optimize the path and PostgreSQL to plan on a table that holds some */
const WARMUP = 1000;
const STEPS: OrderStatus[] = ['ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED'];
const QUOTES = [
  { dex: 'RAYDIUM' as const, amountOut: '149812345', fee: '2500000', priceImpactBps: 12 },
  { dex: 'METEORA' as const, amountOut: '149700001', fee: '1000000', priceImpactBps: 15 },
];

process.chdir(ROOT);
const progress = new Progress();
const infra = await startInfrastructure((line) => progress.log(line));
const database = createDatabase(infra.databaseUrl, { max: 4 });
const postgres = postgresPids(infra.postmasterPid);
const postgresCpuMs = () => postgres().reduce((sum, pid) => sum + processCpuMs(pid), 0);

/** What a worker's transition from `from` to `to` carries: the routing decision, the signature, the amount out. */
function step(orderId: string, from: OrderStatus, to: OrderStatus): Transition {
  const t: Transition = { orderId, from: { status: from, attempt: from === 'PENDING' ? 0 : 1 }, to, attempt: 1, message: `${from} → ${to}` };
  if (to === 'BUILDING') {
    t.changes = { dex: 'RAYDIUM', minAmountOut: 149_063_283n };
    t.decision = { chosenDex: 'RAYDIUM', quotes: QUOTES, expectedAmountOut: 149_812_345n, minAmountOut: 149_063_283n, reason: 'RAYDIUM returns 0.075 % more' };
  }
  if (to === 'SUBMITTED') t.changes = { txSignature: randomUUID() };
  if (to === 'CONFIRMED') t.changes = { amountOut: 149_790_000n };
  return t;
}

try {
  const accountId = randomUUID();
  await database.prisma.account.create({ data: { id: accountId, name: `batch-cost-${accountId}` } });
  const store = new OrderStore(database);
  /** `count` orders created and finished, `batch` at a time. */
  const run = async (count: number, batch: number) => {
    for (let done = 0; done < count; done += batch) {
      const created = await Promise.all(
        Array.from({ length: Math.min(batch, count - done) }, () =>
          store.create({ id: randomUUID(), accountId, clientOrderId: randomUUID(), tokenIn: 'SOL', tokenOut: 'USDC', amountIn: 1_000_000_000n, slippageBps: 50 }, 'accepted'),
        ),
      );
      const ids = created.map((c) => (c.created ? c.order.id : ''));
      let from: OrderStatus = 'PENDING';
      for (const to of STEPS) {
        const events = await Promise.all(ids.map((id) => store.transition(step(id, from, to))));
        if (events.some((event) => event?.status !== to)) throw new Error(`${from} → ${to} did not apply to every order`);
        from = to;
      }
    }
  };
  for (let round = 1; round <= rounds; round++) {
    const line: string[] = [];
    for (const batch of batches) {
      await run(WARMUP, batch);
      await analyzeOrderTables(database.pool);
      const cpu = process.cpuUsage();
      const pg0 = postgresCpuMs();
      await run(orders, batch);
      const used = process.cpuUsage(cpu);
      const perOrder = (µs: number) => Math.round(µs / orders);
      line.push(`batch ${batch}: ${perOrder(used.user + used.system)} µs here, ${perOrder((postgresCpuMs() - pg0) * 1000)} µs PostgreSQL`);
    }
    progress.log(`round ${round}, per order (a creation and ${STEPS.length} transitions): ${line.join('; ')}`);
  }
} finally {
  await database.prisma.$disconnect();
  await infra.stop();
}
