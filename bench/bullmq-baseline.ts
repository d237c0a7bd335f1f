// The engine's reference point, in the same run on the same Redis: BullMQ alone, with no-op jobs
// added and awaited at the engine phase's concurrency (the same number of jobs in flight, the same
// worker processes and per-process concurrency, the same job options as orders).
import { Queue, QueueEvents } from 'bullmq';
import { ORDER_JOB_OPTIONS } from '../src/engine/order-queue.js';
import { createBullConnection } from '../src/infra/redis.js';
import { cpuGroups, cpuWindow, type BenchContext } from './lib/context.js';
import type { CpuReport } from './lib/cpu.js';
import { closedLoop } from './lib/load.js';
import { firstMessage, startHelper, type BenchProcess } from './lib/processes.js';
import { count } from './lib/progress.js';
import { round, summarize, sustainedRate, type Summary } from './lib/stats.js';

export interface BullmqBaseline {
  /** sustained, as for the engine: completions between their 10th and 90th percentile, per second */
  jobsPerSec: number;
  overallJobsPerSec: number;
  jobs: number;
  inFlight: number;
  workers: number;
  workerConcurrency: number;
  /** add → completed event received */
  endToEndMs: Summary;
  cpu: CpuReport;
}

export async function bullmqBaseline(ctx: BenchContext, settings: { jobs: number; warmup: number }): Promise<BullmqBaseline> {
  const { workers, inFlight } = ctx.options;
  const label = 'bullmq';
  const workerConcurrency = Math.ceil(inFlight / workers);
  const queueName = `bench-bullmq-${ctx.runId}`;
  const connection = createBullConnection(ctx.infra.redisUrl);
  const queue = new Queue(queueName, { connection, defaultJobOptions: ORDER_JOB_OPTIONS });
  const events = new QueueEvents(queueName, { connection });
  const helpers: BenchProcess[] = [];
  try {
    ctx.progress.update(label, `starting ${workers} no-op worker process(es)…`, true);
    await events.waitUntilReady();
    for (let i = 0; i < workers; i++) {
      const helper = startHelper('bench/bullmq-noop-worker.ts', [queueName, String(workerConcurrency)], { REDIS_URL: ctx.infra.redisUrl });
      helpers.push(helper);
      await firstMessage(helper);
    }

    const waiters = new Map<string, () => void>();
    let completed = 0;
    events.on('completed', ({ jobId }) => {
      completed++;
      const waiter = waiters.get(jobId);
      waiters.delete(jobId);
      waiter?.();
    });
    const endToEndMs: number[] = [];
    const completedAt: number[] = [];
    let added = 0;
    const runJobs = (total: number, offset: number, record: boolean) =>
      closedLoop(total, inFlight, async (i) => {
        const jobId = `job-${offset + i}`;
        // registered before the add: the completion can be heard before add() returns
        const done = new Promise<void>((resolve) => waiters.set(jobId, resolve));
        const t0 = performance.now();
        added++;
        await queue.add('noop', {}, { jobId });
        await done;
        const t1 = performance.now();
        if (!record) return;
        endToEndMs.push(t1 - t0);
        completedAt.push(t1);
      });

    const ticker = setInterval(() => ctx.progress.update(label, `added ${count(added)}  completed ${count(completed)}`), 100);
    let cpu: CpuReport;
    let seconds: number;
    try {
      await runJobs(settings.warmup, 0, false);
      added = completed = 0;
      const window = cpuWindow(cpuGroups(ctx, { 'noop worker': helpers }));
      const t0 = performance.now();
      await runJobs(settings.jobs, settings.warmup, true);
      seconds = (performance.now() - t0) / 1000;
      cpu = window.stop();
    } finally {
      clearInterval(ticker);
    }
    const result: BullmqBaseline = {
      jobsPerSec: round(sustainedRate(completedAt), 0),
      overallJobsPerSec: round(settings.jobs / seconds, 0),
      jobs: settings.jobs,
      inFlight,
      workers,
      workerConcurrency,
      endToEndMs: summarize(endToEndMs),
      cpu,
    };
    ctx.progress.done(label, `${result.jobsPerSec} no-op jobs/s sustained (${result.overallJobsPerSec}/s overall) over ${count(settings.jobs)} jobs, ${inFlight} in flight`);
    return result;
  } finally {
    await Promise.all(helpers.map((h) => h.stop()));
    await events.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
