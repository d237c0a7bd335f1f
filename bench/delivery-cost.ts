// The API's CPU per subscription delivery, with nothing else running: one API process (no
// worker), N graphql-ws subscribers from a client process (10 per order, as in the fan-out
// phase), and lifecycle events published straight onto Redis in waves, each wave one event for
// each of a group of orders, so a wave is `group × 10` deliveries that reach the API at once.
// Reports the API's CPU per delivery and the delivery latency (`at` → client). With
// --idle-seconds N it first holds the subscribers idle for N s and reports what they cost then:
// PostgreSQL transactions per second (the streams' checks for lost publishes) and the API's CPU.
//   npx tsx bench/delivery-cost.ts [--subscribers 10000] [--group 250] [--waves 40] [--gap-ms 400] [--idle-seconds 0]
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { OrderEventBus } from '../src/engine/order-events.js';
import type { OrderStatus } from '../src/engine/types.js';
import { createRedis } from '../src/infra/redis.js';
import { settledTransactions, startSubscribers } from './fanout.js';
import { createKeyIssuer, roleEnv, type BenchContext } from './lib/context.js';
import { processCpuTimes } from './lib/cpu.js';
import { startCpuProfile, startHeapSampling } from './lib/inspector.js';
import { startInfrastructure } from './lib/infrastructure.js';
import { GraphQLHttp } from './lib/graphql-http.js';
import { closedLoop } from './lib/load.js';
import { acceptedOrderId, orderBody } from './lib/orders.js';
import { ROOT, startRole, stopAll } from './lib/processes.js';
import { Progress } from './lib/progress.js';
import { summarize } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    group: { type: 'string', default: '250' },
    waves: { type: 'string', default: '40' },
    'gap-ms': { type: 'string', default: '400' },
    'idle-seconds': { type: 'string', default: '0' },
    profile: { type: 'string' },
    heap: { type: 'string' },
  },
});
const subscribers = Number(values.subscribers);
const group = Number(values.group);
const waves = Number(values.waves);
const gapMs = Number(values['gap-ms']);
const idleSeconds = Number(values['idle-seconds']);
const perOrder = 10;
/** waves published before the measurement, for V8 to optimize the delivery path */
const WARMUP_WAVES = 8;
const profileTo = values.profile;
const heapTo = values.heap;
process.chdir(ROOT);
const progress = new Progress();
const infra = await startInfrastructure((line) => progress.log(line));
const runId = Date.now().toString(36);
try {
  const ctx = { options: { profile: false }, infra, progress, runId, resultsDir: '', issueKey: createKeyIssuer(infra.databaseUrl, runId) } as unknown as BenchContext;
  const { key } = await ctx.issueKey('delivery');
  const api = await startRole('api', roleEnv(ctx, 'delivery', { DATABASE_POOL_SIZE: 20 }), { name: 'api', inspect: Boolean(profileTo ?? heapTo) });
  const http = new GraphQLHttp(api.url, key, 50);
  const orders = Math.ceil(subscribers / perOrder);
  const orderIds: string[] = [];
  await closedLoop(orders, 50, async (i) => {
    orderIds.push(acceptedOrderId(await http.post(orderBody('delivery', i))));
  });
  http.close();
  const clients = await startSubscribers(ctx, 'delivery', { wsUrl: api.url.replace(/^http/, 'ws'), key, orderIds, subscribers, stages: [subscribers], connectConcurrency: 200 });
  await clients.stage(1);
  if (idleSeconds > 0) {
    const [xacts, cpu, t] = [await settledTransactions(ctx), processCpuTimes(api.pid), performance.now()];
    await sleep(idleSeconds * 1000);
    const seconds = (performance.now() - t) / 1000;
    const cpuPercent = ((processCpuTimes(api.pid).cpuMs - cpu.cpuMs) / 10 / seconds).toFixed(1);
    // still idle while the hold's own queries are counted in
    const perSecond = ((await settledTransactions(ctx)) - xacts) / ((performance.now() - t) / 1000);
    progress.log(`held idle ${seconds.toFixed(1)} s: ${perSecond.toFixed(2)} PostgreSQL transactions/s, API CPU ${cpuPercent} % of a core`);
  }
  progress.log(`${subscribers} subscribed to ${orders} orders; ${waves} waves of ${group} events, ${gapMs} ms apart`);
  // published as the worker publishes them: one at a time, through the bus
  const [publisher, subscriber] = await Promise.all([createRedis(infra.redisUrl), createRedis(infra.redisUrl)]);
  const bus = new OrderEventBus(new RedisPubSub({ publisher, subscriber }));
  const seqs = new Map(orderIds.map((id) => [id, 1]));
  const publishWave = (ids: string[], status: OrderStatus) =>
    Promise.all(
      ids.map((orderId) => {
        const seq = seqs.get(orderId)! + 1;
        seqs.set(orderId, seq);
        return bus.publish({ orderId, seq, status, attempt: 1, message: null, at: new Date() });
      }),
    );
  const groupOf = (w: number) => orderIds.slice(((w * group) % orders), ((w * group) % orders) + group);
  const wave = async (w: number, status: OrderStatus) => {
    await publishWave(groupOf(w), status);
    await sleep(gapMs);
  };
  for (let w = 0; w < WARMUP_WAVES; w++) await wave(w, 'ROUTING');
  const profile = profileTo ? await startCpuProfile(api.inspectPort!) : undefined;
  const heap = heapTo ? await startHeapSampling(api.inspectPort!) : undefined;
  const before = processCpuTimes(api.pid);
  const t0 = performance.now();
  for (let w = 0; w < waves; w++) await wave(w, 'ROUTING');
  const after = processCpuTimes(api.pid);
  const apiMs = after.cpuMs - before.cpuMs;
  const kernelMs = after.kernelMs - before.kernelMs;
  const seconds = (performance.now() - t0) / 1000;
  await profile?.stop(profileTo!);
  await heap?.stop(heapTo!);
  // the terminal events end every stream, and the client reports
  for (let w = 0; w * group < orders; w++) await wave(w, 'CONFIRMED');
  const report = await clients.done;
  publisher.disconnect();
  subscriber.disconnect();
  // waves do not overlap (each drains within the gap), so deliveries arrive wave by wave
  const perWave = group * perOrder;
  const measured = report.latenciesMs.slice(WARMUP_WAVES * perWave, (WARMUP_WAVES + waves) * perWave);
  const latency = summarize(measured);
  progress.log(
    `API CPU ${Math.round(apiMs)} ms over ${seconds.toFixed(1)} s for ${waves * perWave} deliveries: ${((apiMs * 1000) / (waves * perWave)).toFixed(1)} µs per delivery (${((kernelMs * 1000) / (waves * perWave)).toFixed(1)} of them in the kernel); ` +
      `latency of a wave of ${perWave}: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms (${report.errors} errors, ${report.completed} of ${subscribers} streams completed)`,
  );
} finally {
  await stopAll();
  await infra.stop();
}
