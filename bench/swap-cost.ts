// What one swap on a simulated venue costs, with nothing else running: a market in this process
// (a worker's venues, its pool cache and the chain's journal) quotes and swaps a pool one order
// after another, and reports per swap this process's CPU, Redis's CPU (INFO cpu), the bytes
// Redis received (INFO stats), and this process's young-generation collections per 1,000 swaps
// (what it allocates, at a fixed young-generation size). Orders alternate direction, so the pool
// stays near its price.
//   npx tsx bench/swap-cost.ts [--dex METEORA] [--swaps 4000] [--rounds 3]
import { randomUUID } from 'node:crypto';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import type { Dex } from '../src/engine/types.js';
import { createMarket } from '../src/engine/venues/market.js';
import { PAIRS, pairId } from '../src/engine/venues/pools.js';
import { createDatabase } from '../src/infra/prisma.js';
import { createRedis } from '../src/infra/redis.js';
import { startInfrastructure } from './lib/infrastructure.js';
import { ROOT } from './lib/processes.js';
import { countCommands } from './lib/redis-commands.js';
import { Progress } from './lib/progress.js';

const { values } = parseArgs({
  options: {
    dex: { type: 'string', default: 'METEORA' },
    swaps: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '3' },
  },
});
const dex = values.dex as Dex;
const swaps = Number(values.swaps);
const rounds = Number(values.rounds);
/** swaps before each round's measurement, for V8 to optimize the path */
const WARMUP = 500;
const pair = PAIRS.find((p) => pairId(p) === 'SOL-USDC')!;
const SOL = 10n ** 9n;
const USDC = 10n ** 6n;

process.chdir(ROOT);
const progress = new Progress();
const infra = await startInfrastructure((line) => progress.log(line));
const database = createDatabase(infra.databaseUrl, { max: 4 });
const redis = await createRedis(infra.redisUrl);
const admin = await createRedis(infra.redisUrl, { name: 'bench-swap-cost' });

/** Redis's CPU seconds so far. */
async function redisCpuSeconds(): Promise<number> {
  const cpu = await admin.info('cpu');
  return [...cpu.matchAll(/^used_cpu_(?:sys|user):([\d.]+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Young-generation collections (scavenges) of this process, and the time they took. */
const scavenges = { count: 0, ms: 0 };
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
    scavenges.count++;
    scavenges.ms += entry.duration;
  }
});
gcObserver.observe({ entryTypes: ['gc'] });

try {
  for (let round = 1; round <= rounds; round++) {
    const sim = { ...loadConfig({}).sim, quoteMs: 0, confirmMs: { min: 0, max: 0 }, failRate: 0, flowIntervalMs: 0, namespace: `swap-cost-${randomUUID().slice(0, 8)}` };
    const venue = createMarket(redis, database, sim).venue(dex);
    const trade = async (i: number) => {
      const route = { pair, aToB: i % 2 === 0 };
      const amountIn = route.aToB ? 50n * SOL : 7_500n * USDC;
      await venue.quote(route, amountIn);
      await venue.submit({ signature: randomUUID(), orderId: randomUUID(), route, amountIn, minAmountOut: 0n });
    };
    for (let i = 0; i < WARMUP; i++) await trade(i);
    const redisWork = await countCommands(infra.redisUrl);
    const redisCpu = await redisCpuSeconds();
    const gcBefore = { ...scavenges };
    const cpu = process.cpuUsage();
    for (let i = 0; i < swaps; i++) await trade(i);
    const used = process.cpuUsage(cpu);
    const redisCpuUsed = (await redisCpuSeconds()) - redisCpu;
    const { bytesInPerUnit } = await redisWork.stop(swaps);
    // entries arrive on a later turn of the event loop: let the last ones in
    await new Promise((resolve) => setImmediate(resolve));
    const perThousand = (n: number) => Math.round((n / swaps) * 1000 * 10) / 10;
    const perSwap = (n: number) => Math.round((n / swaps) * 10) / 10;
    progress.log(
      `${dex} round ${round}: per swap (a quote and a swap) ${perSwap(used.user + used.system)} µs of this process's CPU, ` +
        `${perSwap(redisCpuUsed * 1e6)} µs of Redis's, ${bytesInPerUnit} bytes into Redis; ` +
        `per 1,000 swaps ${perThousand(scavenges.count - gcBefore.count)} young-generation collections (${perThousand(scavenges.ms - gcBefore.ms)} ms)`,
    );
  }
} finally {
  gcObserver.disconnect();
  redis.disconnect();
  admin.disconnect();
  await database.prisma.$disconnect();
  await infra.stop();
}
