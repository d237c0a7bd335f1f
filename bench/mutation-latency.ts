// Measure 3: executeMarketOrder latency at a fixed offered load (500 requests/s by default) over
// HTTP keep-alive, while a worker executes the orders at realistic venue latencies, as in
// production. Latency counts from each request's intended send time (open loop), so a stall is
// charged to every request queued behind it. Then the same load again with the worker stopped:
// the API's latency when workers run on machines of their own.
import { cpuGroups, cpuWindow, profileWindow, roleEnv, type BenchContext } from './lib/context.js';
import type { CpuReport } from './lib/cpu.js';
import { GraphQLHttp } from './lib/graphql-http.js';
import { openLoop } from './lib/load.js';
import { acceptedOrderId, orderBody } from './lib/orders.js';
import { analyzeOrderTables } from './lib/pg-work.js';
import { startRole, type RoleProcess } from './lib/processes.js';
import { count } from './lib/progress.js';
import { round, summarize, summarizeBySecond, type Summary } from './lib/stats.js';
import { REALISTIC_SIM } from './realistic.js';

export interface MutationLatency {
  offeredPerSec: number;
  /** answers per second actually achieved over the run */
  achievedPerSec: number;
  requests: number;
  errors: number;
  /** from the intended send time to the whole answer read */
  latencyMs: Summary;
  /**
   * The same by second of the timed window (of each request's intended send time): whether the
   * tail is spread over the run or gathered where the machine is still reaching its steady load
   */
  latencyBySecond: { second: number; count: number; p50: number; p99: number }[];
  /** from the actual send time (what the server alone took, queueing in the client excluded) */
  serviceMs: Summary;
  /** how late the generator itself fell behind its schedule at worst */
  generatorLateMsMax: number;
  cpu: CpuReport;
  /**
   * The same load with the worker stopped: the API, PostgreSQL and Redis alone on the cores, as
   * when workers run on machines of their own (README, "Scaling out")
   */
  apiAlone: Omit<MutationLatency, 'offeredPerSec' | 'apiAlone'>;
}

type TimedRun = Omit<MutationLatency, 'offeredPerSec' | 'apiAlone' | 'cpu'>;

/** `settings.durationMs` of requests at `settings.ratePerSec`, open loop. */
async function timedRun(ctx: BenchContext, client: GraphQLHttp, settings: { ratePerSec: number; durationMs: number }, prefix: string, what: string): Promise<TimedRun> {
  // each answered request's latency, at its intended send time
  const timed: { atMs: number; value: number }[] = [];
  const serviceMs: number[] = [];
  let errors = 0;
  let answered = 0;
  const ticker = setInterval(() => ctx.progress.update('mutation', `${what}: offered ${settings.ratePerSec}/s  answered ${count(answered)}  errors ${errors}`), 100);
  const t0 = performance.now();
  let generatorLateMsMax = 0;
  try {
    ({ lateMsMax: generatorLateMsMax } = await openLoop(settings.ratePerSec, settings.durationMs, async (i, intendedAt) => {
      const sentAt = performance.now();
      try {
        acceptedOrderId(await client.post(orderBody(prefix, i)));
        const end = performance.now();
        timed.push({ atMs: intendedAt, value: end - intendedAt });
        serviceMs.push(end - sentAt);
      } catch {
        errors++;
      }
      answered++;
    }));
  } finally {
    clearInterval(ticker);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    achievedPerSec: round(answered / seconds, 0),
    requests: answered,
    errors,
    latencyMs: summarize(timed.map((t) => t.value)),
    latencyBySecond: summarizeBySecond(timed, t0),
    serviceMs: summarize(serviceMs),
    generatorLateMsMax: round(generatorLateMsMax, 1),
  };
}

export async function mutationLatency(ctx: BenchContext, settings: { ratePerSec: number; durationMs: number; databasePoolSize: number }): Promise<MutationLatency> {
  const label = 'mutation';
  const { key } = await ctx.issueKey('mutation');
  const env = roleEnv(ctx, 'mutation', {
    SIM_QUOTE_MS: REALISTIC_SIM.quoteMs,
    SIM_CONFIRM_MS: REALISTIC_SIM.confirmMs,
    WORKER_CONCURRENCY: Math.ceil(settings.ratePerSec * 4),
    DATABASE_POOL_SIZE: settings.databasePoolSize,
  });
  ctx.progress.update(label, 'starting API and a worker…', true);
  const roles: RoleProcess[] = [];
  let http: GraphQLHttp | undefined;
  try {
    const api = await startRole('api', env, { name: 'api', inspect: ctx.options.profile });
    roles.push(api);
    const worker = await startRole('worker', env, { name: 'worker', inspect: ctx.options.profile });
    roles.push(worker);
    http = new GraphQLHttp(api.url, key, 256);
    const client = http;

    // a short warm-up at the same rate: JIT, connection pools, the first quotes
    await openLoop(settings.ratePerSec, Math.min(2_000, settings.durationMs / 5), async (i) => {
      await client.post(orderBody('warm-up', i)).catch(() => undefined);
    });
    await analyzeOrderTables(ctx.infra.pool);

    const window = cpuWindow(cpuGroups(ctx, { api: [api], worker: [worker] }));
    const profiles = await profileWindow(ctx, 'mutation', [api, worker]);
    const withWorker = await timedRun(ctx, client, settings, 'mutation', 'with the worker');
    const cpu = window.stop();
    await profiles.stop();

    // the same load on the API with the worker stopped, as when workers run on other machines:
    // the orders wait in the queue (this phase's own), which nothing reads afterwards
    ctx.progress.update(label, 'stopping the worker: the API alone…', true);
    await worker.stop();
    const aloneWindow = cpuWindow(cpuGroups(ctx, { api: [api] }));
    const alone = await timedRun(ctx, client, settings, 'mutation-alone', 'API alone');
    const result: MutationLatency = {
      offeredPerSec: settings.ratePerSec,
      ...withWorker,
      cpu,
      apiAlone: { ...alone, cpu: aloneWindow.stop() },
    };
    ctx.progress.done(
      label,
      `${result.requests} requests at ${settings.ratePerSec}/s: p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  max ${result.latencyMs.max} ms  errors ${result.errors}; ` +
        `API alone p50 ${alone.latencyMs.p50} ms  p99 ${alone.latencyMs.p99} ms`,
    );
    return result;
  } finally {
    http?.close();
    for (const role of roles.reverse()) await role.stop();
  }
}
