// Measure 1: orders per second from the mutation to CONFIRMED with zero simulated latency, every
// event stored and published. A closed loop keeps a fixed number of orders in flight: each lane
// sends executeMarketOrder over HTTP keep-alive and waits for that order's CONFIRMED event, then
// sends the next, for at least 20,000 orders after a warm-up.
import { CompletionWatcher } from './lib/completions.js';
import { cpuGroups, cpuWindow, profileWindow, roleEnv, type BenchContext } from './lib/context.js';
import type { CpuReport } from './lib/cpu.js';
import { GraphQLHttp } from './lib/graphql-http.js';
import { closedLoop } from './lib/load.js';
import { acceptedOrderId, orderBody } from './lib/orders.js';
import { sampleActivity, type ActivityReport } from './lib/pg-activity.js';
import { analyzeOrderTables, countPostgresWork, type PostgresWork } from './lib/pg-work.js';
import { queueWaitWindow, type QueueWait } from './lib/queue-wait.js';
import { countCommands, type RedisWork } from './lib/redis-commands.js';
import { startRole, type RoleProcess } from './lib/processes.js';
import { count } from './lib/progress.js';
import { round, summarize, sustainedRate, type Summary } from './lib/stats.js';

export interface EngineThroughput {
  /** sustained: completions between the 10th and 90th percentile of their times, per second */
  ordersPerSec: number;
  /** all timed orders over the whole timed run, ramp and drain included */
  overallOrdersPerSec: number;
  orders: number;
  warmupOrders: number;
  inFlight: number;
  workers: number;
  workerConcurrency: number;
  databasePoolSize: number;
  confirmed: number;
  failed: number;
  /** order_events rows per order (warm-up included), and events per timed order the bench received on Redis */
  eventsStoredPerOrder: number;
  eventsPublishedPerOrder: number;
  /** every order of the phase is CONFIRMED or FAILED in PostgreSQL */
  allTerminalInStore: boolean;
  mutationMs: Summary;
  /** mutation sent → CONFIRMED received, per order */
  endToEndMs: Summary;
  cpu: CpuReport;
  postgres: ActivityReport;
  /** PostgreSQL's work per order, warm-up included (bench/lib/pg-work.ts): steadier than CPU time */
  postgresWork: PostgresWork;
  /** Redis commands per timed order (all processes): EVAL counts the pools' compare-and-swap attempts */
  redisCommandsPerOrder: Record<string, number>;
  /** how often Redis read a client's socket (messages in) and wrote one (replies, deliveries), per timed order */
  redisSocketReadsPerOrder: number;
  redisSocketWritesPerOrder: number;
  /** bytes Redis received (commands and their arguments) and sent (replies, deliveries), per timed order */
  redisBytesInPerOrder: number;
  redisBytesOutPerOrder: number;
  /** how long the timed orders' jobs waited in BullMQ for a worker (the workers' dex_order_queue_wait_seconds) */
  queueWait: QueueWait;
}

export async function engineThroughput(ctx: BenchContext, settings: { orders: number; warmup: number; databasePoolSize: number }): Promise<EngineThroughput> {
  const { workers, inFlight } = ctx.options;
  const label = 'engine';
  const workerConcurrency = Math.ceil(inFlight / workers);
  const { key, accountId } = await ctx.issueKey('engine');
  const env = roleEnv(ctx, 'engine', {
    SIM_QUOTE_MS: 0,
    SIM_CONFIRM_MS: 0,
    WORKER_CONCURRENCY: workerConcurrency,
    DATABASE_POOL_SIZE: settings.databasePoolSize,
  });

  ctx.progress.update(label, `starting API and ${workers} worker process(es)…`, true);
  const roles: RoleProcess[] = [];
  const watcher = await CompletionWatcher.start(ctx.infra.redisUrl);
  const client = { current: null as GraphQLHttp | null };
  try {
    const api = await startRole('api', env, { name: 'api', inspect: ctx.options.profile });
    roles.push(api);
    const workerRoles = await Promise.all(
      Array.from({ length: workers }, (_, i) => startRole('worker', env, { name: `worker-${i + 1}`, inspect: ctx.options.profile })),
    );
    roles.push(...workerRoles);
    const http = new GraphQLHttp(api.url, key, inFlight);
    client.current = http;
    const work = await countPostgresWork(ctx.infra.pool);

    const mutationMs: number[] = [];
    const endToEndMs: number[] = [];
    const completedAt: number[] = [];
    let submitted = 0;
    let failed = 0;
    const runOrders = (total: number, offset: number, record: boolean) =>
      closedLoop(total, inFlight, async (i) => {
        const t0 = performance.now();
        submitted++;
        const id = acceptedOrderId(await http.post(orderBody('engine', offset + i)));
        const t1 = performance.now();
        const done = await watcher.wait(id);
        const t2 = performance.now();
        if (done.status === 'FAILED') failed++;
        if (!record) return;
        mutationMs.push(t1 - t0);
        endToEndMs.push(t2 - t0);
        completedAt.push(t2);
      });

    const ticker = setInterval(() => {
      ctx.progress.update(label, `submitted ${count(submitted)}  confirmed ${count(watcher.confirmed)}  failed ${failed}  in flight ${submitted - watcher.confirmed - watcher.failed}`);
    }, 100);
    let cpu: CpuReport;
    let postgres: ActivityReport;
    let redis: RedisWork;
    let queueWait: QueueWait;
    let timedSeconds: number;
    let eventsPublished: number;
    try {
      await runOrders(settings.warmup, 0, false);
      await analyzeOrderTables(ctx.infra.pool);
      watcher.reset();
      submitted = 0;
      failed = 0;
      const window = cpuWindow(cpuGroups(ctx, { api: [api], worker: workerRoles }));
      const activity = sampleActivity(ctx.infra.pool);
      const commands = await countCommands(ctx.infra.redisUrl);
      const profiles = await profileWindow(ctx, 'engine', [api, ...workerRoles]);
      const waits = await queueWaitWindow(workerRoles.map((w) => w.url));
      const t0 = performance.now();
      await runOrders(settings.orders, settings.warmup, true);
      timedSeconds = (performance.now() - t0) / 1000;
      await profiles.stop();
      cpu = window.stop();
      postgres = await activity.stop();
      redis = await commands.stop(settings.orders);
      queueWait = await waits.stop();
      eventsPublished = watcher.events;
    } finally {
      clearInterval(ticker);
    }

    // the processes' backends publish their statistics as they exit
    for (const role of [...roles].reverse()) await role.stop();
    const postgresWork = await work.stop(settings.orders + settings.warmup);
    const stored = await ctx.infra.pool.query<{ terminal: number; all: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('CONFIRMED', 'FAILED'))::int AS terminal, count(*)::int AS all
       FROM orders WHERE account_id = $1`,
      [accountId],
    );
    const eventRows = await ctx.infra.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.account_id = $1`,
      [accountId],
    );
    const all = settings.orders + settings.warmup;
    const perOrder = eventRows.rows[0]!.n / all;
    const result: EngineThroughput = {
      ordersPerSec: round(sustainedRate(completedAt), 0),
      overallOrdersPerSec: round(settings.orders / timedSeconds, 0),
      orders: settings.orders,
      warmupOrders: settings.warmup,
      inFlight,
      workers,
      workerConcurrency,
      databasePoolSize: settings.databasePoolSize,
      confirmed: settings.orders - failed,
      failed,
      eventsStoredPerOrder: round(perOrder, 2),
      eventsPublishedPerOrder: round(eventsPublished / settings.orders, 2),
      allTerminalInStore: stored.rows[0]!.terminal === all && stored.rows[0]!.all === all,
      mutationMs: summarize(mutationMs),
      endToEndMs: summarize(endToEndMs),
      cpu,
      postgres,
      postgresWork,
      redisCommandsPerOrder: redis.commands,
      redisSocketReadsPerOrder: redis.readsPerUnit,
      redisSocketWritesPerOrder: redis.writesPerUnit,
      redisBytesInPerOrder: redis.bytesInPerUnit,
      redisBytesOutPerOrder: redis.bytesOutPerUnit,
      queueWait,
    };
    ctx.progress.done(
      label,
      `${result.ordersPerSec} orders/s sustained (${result.overallOrdersPerSec}/s overall) over ${count(settings.orders)} orders, ` +
        `${round(perOrder, 2)} events stored and ${result.eventsPublishedPerOrder} published per order; e2e p50 ${result.endToEndMs.p50} ms p99 ${result.endToEndMs.p99} ms`,
    );
    return result;
  } finally {
    client.current?.close();
    await watcher.close();
    for (const role of roles.reverse()) await role.stop();
  }
}
