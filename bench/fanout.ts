// Measure 4: many concurrent graphql-ws subscribers on one API process. Orders are placed with no
// worker running, so they wait PENDING while every subscriber connects (one WebSocket each, from
// a client process of its own) and subscribes to one of them. The API's memory is read with a
// tenth of them connected and with all of them, and the slope between the two is the cost of a
// subscriber (what the first ones cost on top, JIT and buffers, is left out). Then a worker starts and executes the orders at realistic latencies, and every live event
// is timed from its `at` (set by PostgreSQL in the transition's transaction, just before it is
// published) to its arrival at each subscriber, and from its publish, as seen by a bench
// connection subscribed to every order's events on Redis.
//
// Memory and delivery are measured on two API processes, one after the other, each with all the
// subscribers: reading memory forces full garbage collections through the inspector, and V8 then
// throws away the optimized code that refers to objects those collections freed (here ~150
// functions of the delivery path, "weak objects"), so deliveries timed on that process would
// start on unoptimized code, at about twice their CPU, because of the measurement itself.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { createBullConnection } from '../src/infra/redis.js';
import type { FanoutMessage, FanoutPlan } from './fanout-client.js';
import { CompletionWatcher } from './lib/completions.js';
import { cpuGroups, cpuWindow, profileWindow, roleEnv, type BenchContext } from './lib/context.js';
import type { CpuReport } from './lib/cpu.js';
import { censusGrowth, heapCensus, memoryAfterGc } from './lib/inspector.js';
import { sampleActivity, type ActivityReport } from './lib/pg-activity.js';
import { GraphQLHttp } from './lib/graphql-http.js';
import { closedLoop } from './lib/load.js';
import { acceptedOrderId, orderBody } from './lib/orders.js';
import { firstMessage, startHelper, startRole, type BenchProcess, type RoleProcess } from './lib/processes.js';
import { count } from './lib/progress.js';
import { round, summarize, summarizeBySecond, type Summary } from './lib/stats.js';
import { REALISTIC_SIM } from './realistic.js';

/** How long the first tenth of the subscribers settles before memory is read. */
const SETTLE_MS = 3_000;
/** How long all subscribers are held idle before the orders run (memory is read at its end). */
const HOLD_MS = 5_000;
/** Heap snapshots of more subscribers than this would be too large to parse. */
const MAX_CENSUS_SUBSCRIBERS = 2_000;
/** Orders the worker executes at once in this phase: sets the pace of events. */
const RUNNING_AT_ONCE = 250;
/**
 * With --paced-fanout, orders the worker may start per 100 ms: 100 a second, about the pace at
 * which RUNNING_AT_ONCE orders of 2.7 s each finish, so only the start differs from a default run.
 */
const PACE_PER_100_MS = 10;
/** How long the orders may take to finish once the worker runs. */
const FINISH_TIMEOUT_MS = 90_000;

export interface Fanout {
  subscribers: number;
  /** subscribers that replayed seq 1 (their subscription was live) */
  subscribed: number;
  orders: number;
  subscribersPerOrder: number;
  /** streams that completed after CONFIRMED/FAILED */
  completed: number;
  errors: number;
  closedEarly: number;
  firstError?: string;
  /** live events received, all subscribers together, and per second while the orders ran */
  eventsDelivered: number;
  deliveriesPerSec: number;
  /** the worker's concurrency: what paces the events */
  ordersRunningAtOnce: number;
  /** with --paced-fanout, the most orders the worker started per second (a global rate limit on its queue); null: unlimited */
  ordersStartedPerSecAtMost: number | null;
  /** `at` of the event → arrival at the subscriber */
  deliveryMs: Summary;
  /**
   * The event's publish → arrival at the subscriber: the issue's definition of delivery. The
   * publish is when the event came off Redis at a bench connection subscribed to every order's
   * events (bench/lib/completions.ts), which does nothing else
   */
  publishToClientMs: Summary;
  /** `at` → publish, once per event: the worker's share of `deliveryMs` (its statement, its event loop, Redis) */
  commitToPublishMs: Summary;
  /** deliveries whose publish the bench's connection did not see (none expected) */
  deliveriesWithoutPublish: number;
  /**
   * The same by second of the events' `at` since the worker started: its first seconds carry the
   * events of the orders it started at one instant, the later ones orders that start as others end
   */
  deliveryBySecond: { second: number; deliveries: number; p50: number; p99: number; p99FromPublish: number }[];
  /**
   * API resident memory growth per subscriber, from a tenth of them connected to all, each read
   * after a full GC; and of that, V8 heap (JS objects) and external memory (socket buffers)
   */
  bytesPerSubscriber: number;
  heapBytesPerSubscriber: number;
  externalBytesPerSubscriber: number;
  /** --profile took heap snapshots between the readings: their own memory then inflates the RSS figures (the heap ones hold) */
  rssIncludesSnapshots: boolean;
  /** API memory after a full GC with a tenth of the subscribers, and with all of them */
  apiRssBeforeMb: number;
  apiRssAfterMb: number;
  apiHeapBeforeMb: number;
  apiHeapAfterMb: number;
  subscribeSeconds: number;
  /** CPU while the subscribers were held idle (nothing to deliver) */
  idleCpu: CpuReport;
  /** PostgreSQL transactions per second while they were held idle, and what its backends were doing */
  idleQueriesPerSec: number;
  idlePostgres: ActivityReport;
  deliveryPostgres: ActivityReport;
  /** CPU while the orders ran and events were delivered */
  deliveryCpu: CpuReport;
}

export async function fanout(ctx: BenchContext, settings: { subscribers: number; subscribersPerOrder: number; databasePoolSize: number }): Promise<Fanout> {
  const label = 'fanout';
  const orders = Math.ceil(settings.subscribers / settings.subscribersPerOrder);
  const { key } = await ctx.issueKey('fanout');
  const env = roleEnv(ctx, 'fanout', {
    SIM_QUOTE_MS: REALISTIC_SIM.quoteMs,
    SIM_CONFIRM_MS: REALISTIC_SIM.confirmMs,
    // orders run RUNNING_AT_ONCE at a time (about 90 a second at 2.7 s each), not all in one burst
    WORKER_CONCURRENCY: Math.min(orders, RUNNING_AT_ONCE),
    DATABASE_POOL_SIZE: settings.databasePoolSize,
  });
  // heap snapshots (--profile) are parsed whole: only for a few thousand subscribers
  const census = ctx.options.profile && settings.subscribers <= MAX_CENSUS_SUBSCRIBERS;
  if (ctx.options.profile && !census) ctx.progress.log(`${label.padEnd(10)} no heap snapshots above ${MAX_CENSUS_SUBSCRIBERS} subscribers (try --quick --profile --only fanout)`);
  const processes: BenchProcess[] = [];
  let http: GraphQLHttp | undefined;
  try {
    ctx.progress.update(label, 'starting the API (no worker yet)…', true);
    // with an inspector, so its memory can be read after a full GC (bench/lib/inspector.ts)
    const memoryApi: RoleProcess = await startRole('api', env, { name: 'api', inspect: true });
    const inspectPort = memoryApi.inspectPort!;
    processes.push(memoryApi);
    http = new GraphQLHttp(memoryApi.url, key, 50);
    const client = http;
    const orderIds: string[] = [];
    await closedLoop(orders, 50, async (i) => {
      orderIds.push(acceptedOrderId(await client.post(orderBody('fanout', i))));
    });
    http.close();
    http = undefined;
    ctx.progress.update(label, `${orders} orders placed, PENDING; starting ${count(settings.subscribers)} subscribers…`, true);

    // memory: a tenth of the subscribers, then all of them, each reading after a full GC
    const first = Math.ceil(settings.subscribers / 10);
    const forMemory = await startSubscribers(ctx, label, { wsUrl: memoryApi.url.replace(/^http/, 'ws'), key, orderIds, subscribers: settings.subscribers, stages: [first, settings.subscribers], connectConcurrency: 200 });
    processes.push(forMemory.process);
    const t0 = performance.now();
    const early = await forMemory.stage(1);
    await sleep(SETTLE_MS);
    const before = await memoryAfterGc(inspectPort);
    const censusBefore = census ? await heapCensus(inspectPort) : null;
    forMemory.continue();
    const subscribed = await forMemory.stage(2);
    const subscribeSeconds = (performance.now() - t0) / 1000 - SETTLE_MS / 1000;
    await sleep(SETTLE_MS);
    const after = await memoryAfterGc(inspectPort);
    if (censusBefore) {
      const file = path.join(ctx.resultsDir, 'heap-summary.md');
      await writeFile(file, heapSummary(ctx, censusGrowth(censusBefore, await heapCensus(inspectPort), subscribed.subscribed - early.subscribed)));
      ctx.progress.log(`${label.padEnd(10)} heap growth by constructor: ${path.relative(process.cwd(), file)}`);
    }
    await forMemory.process.stop();
    await memoryApi.stop();

    // delivery: a fresh API that no forced GC has touched, all the subscribers again
    ctx.progress.update(label, `memory read; a fresh API for delivery, ${count(settings.subscribers)} subscribers again…`, true);
    const api: RoleProcess = await startRole('api', env, { name: 'api', inspect: ctx.options.profile });
    processes.push(api);
    const apiProfile = await profileWindow(ctx, 'fanout', [api]);
    const subscribers = await startSubscribers(ctx, label, { wsUrl: api.url.replace(/^http/, 'ws'), key, orderIds, subscribers: settings.subscribers, stages: [settings.subscribers], connectConcurrency: 200 });
    processes.push(subscribers.process);
    const held = await subscribers.stage(1);
    ctx.progress.update(label, `${count(held.subscribed)} subscribed in ${round(subscribeSeconds, 1)} s; holding them idle ${HOLD_MS / 1000} s…`, true);

    const idleXacts = await settledTransactions(ctx);
    const idleFrom = performance.now();
    const groups = cpuGroups(ctx, { api: [api], 'subscriber client': [subscribers.process] });
    const idle = cpuWindow(groups);
    const idleActivity = sampleActivity(ctx.infra.pool);
    await sleep(HOLD_MS);
    const idleCpu = idle.stop();
    const idlePostgres = await idleActivity.stop();
    // still idle while the hold's own queries are counted in
    const idleQueriesPerSec = round(((await settledTransactions(ctx)) - idleXacts) / ((performance.now() - idleFrom) / 1000), 2);

    if (ctx.options.pacedFanout) {
      const queue = new Queue(env.QUEUE_NAME!, { connection: createBullConnection(ctx.infra.redisUrl) });
      await queue.setGlobalRateLimit(PACE_PER_100_MS, 100);
      await queue.close();
    }
    const publishes = await CompletionWatcher.start(ctx.infra.redisUrl, { publishTimes: true });
    ctx.progress.update(label, 'starting the worker: orders run, events fan out…', true);
    const workerStartedAt = Date.now();
    const worker = await startRole('worker', env, { name: 'worker', inspect: ctx.options.profile });
    const workerProfile = await profileWindow(ctx, 'fanout', [worker]);
    processes.push(worker);
    const delivery = cpuWindow(cpuGroups(ctx, { api: [api], worker: [worker], 'subscriber client': [subscribers.process] }));
    const deliveryActivity = sampleActivity(ctx.infra.pool);
    const deliveryStart = performance.now();
    const timeout = setTimeout(() => subscribers.finish(), FINISH_TIMEOUT_MS);
    const report = await subscribers.done;
    clearTimeout(timeout);
    const deliveryCpu = delivery.stop();
    await Promise.all([apiProfile.stop(), workerProfile.stop()]);
    const deliveryPostgres = await deliveryActivity.stop();
    const deliverySeconds = (performance.now() - deliveryStart) / 1000;
    await publishes.close();
    const timing = fromPublish(report, publishes.publishedAt);
    const added = subscribed.subscribed - early.subscribed;
    const result: Fanout = {
      subscribers: settings.subscribers,
      subscribed: held.subscribed,
      orders,
      subscribersPerOrder: settings.subscribersPerOrder,
      completed: report.completed,
      errors: report.errors,
      closedEarly: report.closedEarly,
      ...(report.firstError ? { firstError: report.firstError } : {}),
      eventsDelivered: report.latenciesMs.length,
      deliveriesPerSec: round(report.latenciesMs.length / deliverySeconds, 0),
      ordersRunningAtOnce: Math.min(orders, RUNNING_AT_ONCE),
      ordersStartedPerSecAtMost: ctx.options.pacedFanout ? PACE_PER_100_MS * 10 : null,
      deliveryMs: summarize(report.latenciesMs),
      publishToClientMs: summarize(timing.publishToClient.filter(Number.isFinite)),
      commitToPublishMs: summarize(timing.commitToPublish),
      deliveriesWithoutPublish: timing.missing,
      deliveryBySecond: bySecond(report, timing.publishToClient, workerStartedAt),
      bytesPerSubscriber: Math.round((after.rss - before.rss) / added),
      heapBytesPerSubscriber: Math.round((after.heapUsed - before.heapUsed) / added),
      externalBytesPerSubscriber: Math.round((after.external - before.external) / added),
      rssIncludesSnapshots: census,
      apiRssBeforeMb: round(before.rss / 2 ** 20, 1),
      apiRssAfterMb: round(after.rss / 2 ** 20, 1),
      apiHeapBeforeMb: round(before.heapUsed / 2 ** 20, 1),
      apiHeapAfterMb: round(after.heapUsed / 2 ** 20, 1),
      subscribeSeconds: round(subscribeSeconds, 1),
      idleCpu,
      idleQueriesPerSec,
      idlePostgres,
      deliveryCpu,
      deliveryPostgres,
    };
    ctx.progress.done(
      label,
      `${count(result.subscribed)}/${count(settings.subscribers)} subscribers held, ${result.completed} streams completed; delivery p50 ${result.deliveryMs.p50} ms ` +
        `p99 ${result.deliveryMs.p99} ms (from publish p50 ${result.publishToClientMs.p50} p99 ${result.publishToClientMs.p99} ms); ${round(result.bytesPerSubscriber / 1024, 1)} KB RSS per subscriber`,
    );
    return result;
  } finally {
    http?.close();
    for (const p of processes.reverse()) await p.stop();
  }
}

type DeliveryReport = { latenciesMs: number[]; atMs: number[]; receivedAtMs: number[]; eventKeys: string[] };

/**
 * Each delivery timed from its event's publish (NaN where the bench did not see it, `missing` of
 * them), and each event's `at` → publish.
 */
function fromPublish(report: DeliveryReport, publishedAt: Map<string, number>) {
  const publishToClient: number[] = [];
  const commitToPublish = new Map<string, number>();
  let missing = 0;
  report.eventKeys.forEach((key, i) => {
    const published = publishedAt.get(key);
    if (published === undefined) missing++;
    else commitToPublish.set(key, published - report.atMs[i]!);
    publishToClient.push(report.receivedAtMs[i]! - (published ?? NaN));
  });
  return { publishToClient, commitToPublish: [...commitToPublish.values()], missing };
}

/** Delivery latency, from `at` and from the publish, by second of the events' `at` counted from `start`. */
function bySecond(report: DeliveryReport, publishToClient: number[], start: number): Fanout['deliveryBySecond'] {
  const fromPublish = new Map(
    summarizeBySecond(
      report.atMs.flatMap((atMs, i) => (Number.isFinite(publishToClient[i]) ? [{ atMs, value: publishToClient[i]! }] : [])),
      start,
    ).map((s) => [s.second, s.p99]),
  );
  return summarizeBySecond(report.atMs.map((atMs, i) => ({ atMs, value: report.latenciesMs[i]! })), start).map(({ second, count, p50, p99 }) => ({
    second,
    deliveries: count,
    p50,
    p99,
    p99FromPublish: fromPublish.get(second) ?? Number.NaN,
  }));
}

/** A subscriber client process running `plan`: its stages as they complete, and its final report. */
export async function startSubscribers(ctx: BenchContext, label: string, plan: FanoutPlan) {
  const helper = startHelper('bench/fanout-client.ts', []);
  await firstMessage(helper);
  const stages: Extract<FanoutMessage, { type: 'subscribed' }>[] = [];
  let onDone: (report: Extract<FanoutMessage, { type: 'done' }>) => void = () => undefined;
  let onGone: (error: Error) => void = () => undefined;
  const done = new Promise<Extract<FanoutMessage, { type: 'done' }>>((resolve, reject) => {
    onDone = resolve;
    onGone = reject;
  });
  // the channel closes after its last message is read: a client gone without its report fails
  // whoever awaits `done` instead of hanging it (a client stopped on purpose fails no one)
  helper.child.once('disconnect', () => onGone(new Error(`subscriber client exited without its report:\n${helper.output()}`)));
  done.catch(() => undefined);
  helper.child.on('message', (message: FanoutMessage) => {
    if (message.type === 'progress') {
      ctx.progress.update(label, `connected ${count(message.connected)}  subscribed ${count(message.subscribed)}  events ${count(message.events)}  completed ${count(message.completed)}  errors ${message.errors}`);
    } else if (message.type === 'subscribed') {
      stages.push(message);
    } else if (message.type === 'done') {
      onDone(message);
    }
  });
  helper.child.send(plan);
  return {
    process: helper,
    done,
    /** resolves once stage `n` (1-based) has all its subscribers live */
    async stage(n: number) {
      while (stages.length < n) {
        if (helper.exited()) throw new Error(`subscriber client exited:\n${helper.output()}`);
        await sleep(100);
      }
      return stages[n - 1]!;
    },
    /** lets the client go on to its next stage */
    continue: () => helper.child.send({ type: 'continue' }),
    /** makes the client report now, whatever has not completed */
    finish: () => helper.child.send({ type: 'finish' }),
  };
}

/**
 * PostgreSQL's transactions in the bench's database once those already made are all counted: a
 * backend reports its transactions to pg_stat_database when it goes idle, up to 10 s late
 * (PGSTAT_IDLE_INTERVAL). Without the wait, the subscriptions' own reads counted as queries
 * their idle streams made (188/s at 2026-12-06 21:06; with the wait, 0.22/s in delivery-cost.ts).
 */
export async function settledTransactions(ctx: BenchContext): Promise<number> {
  await sleep(12_000);
  return transactions(ctx);
}

/** Transactions the bench database has run so far, commits and rollbacks (every statement outside a transaction is one). */
export async function transactions(ctx: BenchContext): Promise<number> {
  const { rows } = await ctx.infra.pool.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0]!.n);
}

function heapSummary(ctx: BenchContext, table: string): string {
  return [
    '# What a graphql-ws subscriber costs the API process',
    '',
    `Run ${ctx.runId} (${new Date().toISOString()}), \`npm run bench -- --profile\` (fan-out phase): V8 heap snapshots of the API ` +
      'process with a tenth of the subscribers connected and with all of them (each subscribed to a PENDING order, idle), ' +
      'counted by constructor; the table is the growth divided by the subscribers added. Self sizes: what an object holds itself, ' +
      'not what it references.',
    '',
    table,
    '',
  ].join('\n');
}
