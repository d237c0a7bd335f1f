// Measure 2: throughput at realistic venue latencies (each quote 200 ms, confirmation 2-3 s) and
// what the engine adds on top. Orders arrive at a fixed rate (an open loop, as clients arrive);
// each one's end-to-end time (mutation sent → CONFIRMED received) minus the latency the simulated
// venues imposed on it (SIM_QUOTE_MS plus its own swap's confirmAt − submittedAt, read from the
// chain's journal) is the engine's overhead.
import { CompletionWatcher } from './lib/completions.js';
import { cpuGroups, cpuWindow, profileWindow, roleEnv, type BenchContext } from './lib/context.js';
import type { CpuReport } from './lib/cpu.js';
import { GraphQLHttp } from './lib/graphql-http.js';
import { openLoop } from './lib/load.js';
import { analyzeOrderTables } from './lib/pg-work.js';
import { acceptedOrderId, orderBody } from './lib/orders.js';
import { startRole, type RoleProcess } from './lib/processes.js';
import { queueWaitWindow, type QueueWait } from './lib/queue-wait.js';
import { countCommands } from './lib/redis-commands.js';
import { count } from './lib/progress.js';
import { rateInWindow, round, summarize, type Summary } from './lib/stats.js';

export const REALISTIC_SIM = { quoteMs: 200, confirmMs: '2000-3000' } as const;
/** Longer than an order's whole life (about 2.7 s): from then on confirmations arrive as fast as orders are sent, if the engine keeps up. */
export const WARM_MS = 5_000;
/** Untimed load before the measurement, at the same rate. */
const WARM_UP_MS = 3_000;
/** How long orders may take to finish once the last one was sent; those still running then count as unfinished. */
const DRAIN_MS = 60_000;

export interface RealisticThroughput {
  /**
   * Orders the engine got through per second while the load ran, from the moment the pipeline
   * was full (after WARM_MS) to the last order sent: each order's confirmation, moved back by the
   * latency its venue imposed on it (the quote's 200 ms and its own swap's 2-3 s), counted in
   * that window. The offered rate when the engine keeps up, its capacity when it does not.
   * Counted unshifted (`confirmationsPerSec`), the 2-3 s drawn at random for the orders sent near
   * each edge move some of them in or out of the window: a system that keeps up reads the
   * offered rate ±1, so at 500 offered a `≥ 500` target is met or missed by chance.
   */
  ordersPerSec: number;
  /** confirmations received per second in the same window, unshifted */
  confirmationsPerSec: number;
  /** orders in flight (sent, not finished) when the last one was sent: about rate × 2.7 s when it keeps up */
  inFlightAtEnd: number;
  offeredPerSec: number;
  durationSec: number;
  orders: number;
  confirmed: number;
  failed: number;
  /** still running DRAIN_MS after the last order was sent (the engine fell behind) */
  unfinished: number;
  /** orders that needed more than one attempt (their retries count as overhead) */
  retried: number;
  workers: number;
  workerConcurrency: number;
  /** end to end minus the simulated venue latency of the order */
  overheadMs: Summary;
  /**
   * The overhead taken apart by where it arose, for the orders confirmed at their first attempt,
   * from PostgreSQL's timestamps of their events (`at`: the start of the statement that stored
   * each, so a group commit's own duration counts in the stage after it) and their swap's journal
   * entry. The stages of an order add up to its overhead.
   */
  overheadByStageMs: Record<OverheadStage, Summary>;
  /** of the `queued` stage, the wait in BullMQ for a worker (the workers' dex_order_queue_wait_seconds over the window) */
  queueWait: QueueWait;
  endToEndMs: Summary;
  mutationMs: Summary;
  cpu: CpuReport;
  /** Redis commands per order sent (all processes): EVAL counts the pools' compare-and-swap attempts */
  redisCommandsPerOrder: Record<string, number>;
  /** how often Redis read a client's socket (messages in) and wrote one (replies, deliveries), per order sent */
  redisSocketReadsPerOrder: number;
  redisSocketWritesPerOrder: number;
  /** bytes Redis received (commands and their arguments) and sent (replies, deliveries), per order sent */
  redisBytesInPerOrder: number;
  redisBytesOutPerOrder: number;
}

/** Where an order's time above the simulated latency goes, in its order. */
export const OVERHEAD_STAGES = {
  accepted: 'mutation sent → PENDING stored',
  queued: 'PENDING → ROUTING (job picked up, first transition)',
  quoting: 'ROUTING → BUILDING, less the quote latency',
  swapping: 'BUILDING → swap executed on the pool',
  confirming: 'swap confirmable (confirmAt) → CONFIRMED stored',
  delivered: 'CONFIRMED stored → received by the client (publish, Redis)',
} as const;
export type OverheadStage = keyof typeof OVERHEAD_STAGES;

interface Tracked {
  id: string;
  sentAt: number;
  confirmedAt: number;
}

/** One confirmed order's attempts and the moments of its life that PostgreSQL recorded (ms since the epoch). */
interface StoredTimes {
  id: string;
  attempts: number;
  pendingAt: number;
  routingAt: number;
  buildingAt: number;
  submittedAt: number;
  confirmAt: number;
  confirmedAt: number;
}

export async function realisticThroughput(ctx: BenchContext, settings: { ratePerSec: number; durationMs: number; databasePoolSize: number }): Promise<RealisticThroughput> {
  const label = 'realistic';
  const { workers } = ctx.options;
  // Little's law: rate × ~2.7 s in flight, with room for the slow tail
  const workerConcurrency = Math.ceil((settings.ratePerSec * 4) / workers);
  const { key, accountId } = await ctx.issueKey('realistic');
  const env = roleEnv(ctx, 'realistic', {
    SIM_QUOTE_MS: REALISTIC_SIM.quoteMs,
    SIM_CONFIRM_MS: REALISTIC_SIM.confirmMs,
    WORKER_CONCURRENCY: workerConcurrency,
    DATABASE_POOL_SIZE: settings.databasePoolSize,
  });
  const total = Math.round((settings.ratePerSec * settings.durationMs) / 1000);
  ctx.progress.update(label, `starting API and ${workers} worker process(es)…`, true);
  const roles: RoleProcess[] = [];
  const watcher = await CompletionWatcher.start(ctx.infra.redisUrl);
  let http: GraphQLHttp | undefined;
  try {
    const api = await startRole('api', env, { name: 'api', inspect: ctx.options.profile });
    roles.push(api);
    const workerRoles = await Promise.all(Array.from({ length: workers }, (_, i) => startRole('worker', env, { name: `worker-${i + 1}`, inspect: ctx.options.profile })));
    roles.push(...workerRoles);
    http = new GraphQLHttp(api.url, key, 256);
    const client = http;

    // warm-up at the same rate, awaited to the end: JIT, connection pools, the pools' first reads
    ctx.progress.update(label, `warming up at ${settings.ratePerSec}/s…`, true);
    await openLoop(settings.ratePerSec, WARM_UP_MS, async (i) => {
      await watcher.wait(acceptedOrderId(await client.post(orderBody('warm-up', i))));
    });
    await analyzeOrderTables(ctx.infra.pool);
    watcher.reset();

    const tracked: Tracked[] = [];
    const mutationMs: number[] = [];
    let sent = 0;
    let failed = 0;
    const errors: string[] = [];
    const ticker = setInterval(() => {
      ctx.progress.update(label, `offered ${settings.ratePerSec}/s  sent ${count(sent)}  confirmed ${count(watcher.confirmed)}  in flight ${sent - watcher.confirmed - watcher.failed}`);
    }, 100);
    const window = cpuWindow(cpuGroups(ctx, { api: [api], worker: workerRoles }));
    const profiles = await profileWindow(ctx, 'realistic', [api, ...workerRoles]);
    const commands = await countCommands(ctx.infra.redisUrl);
    const queueWait = await queueWaitWindow(workerRoles.map((w) => w.url));
    const loadStart = Date.now();
    let loadEnd = 0;
    let inFlightAtEnd = 0;
    let unfinished = 0;
    let giveUp: () => void = () => undefined;
    const drained = new Promise<null>((resolve) => (giveUp = () => resolve(null)));
    let drainTimer: NodeJS.Timeout | undefined;
    try {
      await openLoop(settings.ratePerSec, settings.durationMs, async (i, intendedAt) => {
        sent++;
        const sentAt = Date.now();
        if (sent === total) {
          loadEnd = sentAt;
          inFlightAtEnd = sent - watcher.confirmed - watcher.failed;
          drainTimer = setTimeout(giveUp, DRAIN_MS);
        }
        try {
          const id = acceptedOrderId(await client.post(orderBody('realistic', i)));
          mutationMs.push(performance.now() - intendedAt);
          const done = await Promise.race([watcher.wait(id), drained]);
          if (!done) unfinished++;
          else if (done.status === 'FAILED') failed++;
          else tracked.push({ id, sentAt, confirmedAt: done.receivedAt });
        } catch (error) {
          if (errors.length < 5) errors.push(String(error));
        }
      });
    } finally {
      clearInterval(ticker);
      clearTimeout(drainTimer);
    }
    const cpu = window.stop();
    await profiles.stop();
    const redis = await commands.stop(total);
    const waited = await queueWait.stop();
    if (errors.length) throw new Error(`realistic: requests failed: ${errors.join('; ')}`);

    // the latency the venues imposed on each order (one quote round, both venues at once, and its
    // swap's confirmation wait), and the moments its stages ended, all from PostgreSQL's clock
    const stored = await ctx.infra.pool.query<StoredTimes>(
      `SELECT o.id, o.attempts,
              (extract(epoch FROM s.submitted_at) * 1000)::float8 AS "submittedAt",
              (extract(epoch FROM s.confirm_at) * 1000)::float8 AS "confirmAt",
              ${(['PENDING', 'ROUTING', 'BUILDING', 'CONFIRMED'] as const)
                .map((status) => `(SELECT (extract(epoch FROM e.at) * 1000)::float8 FROM order_events e WHERE e.order_id = o.id AND e.status = '${status}' ORDER BY e.seq LIMIT 1) AS "${status.toLowerCase()}At"`)
                .join(',\n              ')}
       FROM orders o JOIN sim_swaps s ON s.signature = o.tx_signature
       WHERE o.account_id = $1 AND o.status = 'CONFIRMED'`,
      [accountId],
    );
    const storedById = new Map(stored.rows.map((r) => [r.id, r]));
    const overheadMs: number[] = [];
    const endToEndMs: number[] = [];
    const byStage = Object.fromEntries(Object.keys(OVERHEAD_STAGES).map((stage) => [stage, [] as number[]])) as Record<OverheadStage, number[]>;
    const throughAt: number[] = [];
    let retried = 0;
    for (const order of tracked) {
      const times = storedById.get(order.id);
      if (!times) continue;
      const wasRetried = times.attempts > 1;
      if (wasRetried) retried++;
      const venueMs = REALISTIC_SIM.quoteMs + (times.confirmAt - times.submittedAt);
      throughAt.push(order.confirmedAt - venueMs);
      endToEndMs.push(order.confirmedAt - order.sentAt);
      overheadMs.push(order.confirmedAt - order.sentAt - venueMs);
      if (wasRetried) continue;
      byStage.accepted.push(times.pendingAt - order.sentAt);
      byStage.queued.push(times.routingAt - times.pendingAt);
      byStage.quoting.push(times.buildingAt - times.routingAt - REALISTIC_SIM.quoteMs);
      byStage.swapping.push(times.submittedAt - times.buildingAt);
      byStage.confirming.push(times.confirmedAt - times.confirmAt);
      byStage.delivered.push(order.confirmedAt - times.confirmedAt);
    }
    const result: RealisticThroughput = {
      ordersPerSec: round(rateInWindow(throughAt, loadStart + WARM_MS, loadEnd), 0),
      confirmationsPerSec: round(rateInWindow(tracked.map((t) => t.confirmedAt), loadStart + WARM_MS, loadEnd), 0),
      inFlightAtEnd,
      offeredPerSec: settings.ratePerSec,
      durationSec: settings.durationMs / 1000,
      orders: sent,
      confirmed: tracked.length,
      failed,
      unfinished,
      retried,
      workers,
      workerConcurrency,
      overheadMs: summarize(overheadMs),
      overheadByStageMs: Object.fromEntries(Object.entries(byStage).map(([stage, samples]) => [stage, summarize(samples)])) as Record<OverheadStage, Summary>,
      queueWait: waited,
      endToEndMs: summarize(endToEndMs),
      mutationMs: summarize(mutationMs),
      cpu,
      redisCommandsPerOrder: redis.commands,
      redisSocketReadsPerOrder: redis.readsPerUnit,
      redisSocketWritesPerOrder: redis.writesPerUnit,
      redisBytesInPerOrder: redis.bytesInPerUnit,
      redisBytesOutPerOrder: redis.bytesOutPerUnit,
    };
    ctx.progress.done(
      label,
      `${result.ordersPerSec} orders/s sustained at ${settings.ratePerSec}/s offered (${result.confirmationsPerSec} confirmations/s unshifted), ${result.confirmed}/${sent} confirmed; ` +
        `overhead p50 ${result.overheadMs.p50} ms p99 ${result.overheadMs.p99} ms`,
    );
    return result;
  } finally {
    http?.close();
    await watcher.close();
    for (const role of roles.reverse()) await role.stop();
  }
}
