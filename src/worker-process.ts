// The worker role: executes queued orders, runs the market's background flow, and re-enqueues
// orders that have no live job.
import { setTimeout as sleep } from 'node:timers/promises';
import { reasonOf } from './engine/errors.js';
import { OrderExecutor } from './engine/order-executor.js';
import { createOrderWorker } from './engine/order-worker.js';
import { Reconciler } from './engine/reconciler.js';
import { flowLeaseMs, MarketFlow } from './engine/venues/market-flow.js';
import { engineMetrics } from './observability/engine-metrics.js';
import { everyTenSeconds, type Logger } from './observability/logger.js';
import { LONGEST_TIMER_MS, type AppConfig } from './config.js';
import type { Runtime } from './runtime.js';

export interface WorkerProcess {
  /**
   * Stops taking orders and finishes the active ones for up to SHUTDOWN_GRACE_MS; orders still
   * running then are handed back (their job locks lapse and another worker resumes them from
   * PostgreSQL), never left half-done.
   */
  close(): Promise<void>;
}

export interface WorkerOptions {
  logger?: Logger;
}

export async function startWorker(runtime: Runtime, options: WorkerOptions = {}): Promise<WorkerProcess> {
  const { engine, sim } = runtime.config;
  // the process logger already names its role (api+worker, worker): lines from here say engine
  const logger = options.logger ?? runtime.logger.child({ component: 'engine' });
  // metrics go to the process's registry: served by the API at /metrics in `npm start`, by the
  // worker's own listener (METRICS_PORT) in `npm run worker`
  const observer = engineMetrics(runtime.metrics);
  const handBack = new AbortController();
  const executor = new OrderExecutor({ store: runtime.store, bus: runtime.bus, market: runtime.market, settings: engine, logger, observer, signal: handBack.signal });
  const worker = createOrderWorker(executor, {
    connection: runtime.bullConnection,
    queueName: engine.queueName,
    concurrency: engine.concurrency,
    lockDurationMs: engine.jobLockMs,
    stalledIntervalMs: engine.stalledIntervalMs,
    observer,
  });
  // BullMQ reports lost locks and Redis hiccups here; without a listener it prints stacks. Such an
  // error costs nothing: the order's state is in PostgreSQL and the job resumes elsewhere. While
  // Redis is away a connection error comes about once a second: logged once every ten seconds.
  // Every other one (a lock it could not renew: the sign of a second run of that order) is logged.
  const warn = (error: Error) => logger.warn({ reason: error.message }, 'queue worker error');
  const warnOfConnection = everyTenSeconds(warn);
  worker.on('error', (error) => (isConnectionError(error) ? warnOfConnection(error) : warn(error)));
  // A job run that threw (PostgreSQL away for longer than STORE_RETRY_MS, a venue that does not
  // know a signature it was sent) is run again with backoff; each failure says why, here, and not
  // only in the job's failedReason in Redis. The order's own state stays in PostgreSQL.
  worker.on('failed', (job, error) => {
    const retried = job !== undefined && job.attemptsMade < (job.opts.attempts ?? 1);
    logger[retried ? 'warn' : 'error'](
      { orderId: job?.id, jobRuns: job?.attemptsMade, reason: reasonOf(error) },
      retried ? 'order job failed; it will run again' : 'order job failed for the last time; the reconciler will queue the order again',
    );
  });
  await worker.waitUntilReady();
  const flow = new MarketFlow(runtime.redis, runtime.market, sim);
  flow.start();
  const reconciler = new Reconciler(runtime.store, runtime.queue, { intervalMs: engine.reconcileIntervalMs, idleMs: engine.reconcileIdleMs, logger });
  reconciler.start();
  return {
    async close() {
      // first of all, stop taking orders: BullMQ drops its blocking fetch as close() begins, in
      // the same turn of the event loop as the shutdown's first line (giving up the flow's lease
      // below may wait a lease period for Redis, and orders placed meanwhile are not ours to start)
      const finished = worker.close().then(() => true);
      // a failure of close() still fails the shutdown below, in the race; until then it is handled
      finished.catch(() => undefined);
      const handedBack = sleep(engine.shutdownGraceMs).then(() => false);
      reconciler.stop();
      await flow.stop();
      if (!(await Promise.race([finished, handedBack]))) {
        logger.warn({ graceMs: engine.shutdownGraceMs }, 'orders still active at the end of the grace period: handing them back');
        // active orders stop before their next step and keep their state in PostgreSQL; their job
        // locks lapse and another worker resumes them (a signature already sent is looked up first)
        handBack.abort();
        // BullMQ answers a second close() with the first one's promise, so this forces nothing if
        // that one is stuck, as it stays once Redis has gone away (test/faults/shutdown-without-redis.test.ts;
        // taskforcesh/bullmq#4656 reports the same). Orders are safe either way (PostgreSQL has
        // them), so after another grace period the worker stops waiting for its connections.
        const closed = await Promise.race([worker.close(true).then(() => true), sleep(engine.shutdownGraceMs, false, { ref: false })]);
        if (!closed) logger.error({ graceMs: engine.shutdownGraceMs }, 'the queue worker did not close its Redis connections; leaving them');
      }
    },
  };
}

/**
 * How long a process running a worker may take to shut down before its backstop exits 1: what
 * close() may wait (the flow's lease, the grace period, then one more for BullMQ to let go) and
 * 10 s for the rest of the process's connections. A fixed 30 s cut off a worker whose
 * SHUTDOWN_GRACE_MS was 30 s or more in the middle of its grace period, and one on the default
 * 20 s whose hand-back then waited for its Redis connections, with exit code 1 and a line
 * naming a grace period no one had set.
 */
export function workerShutdownBackstopMs(config: Pick<AppConfig, 'engine' | 'sim'>): number {
  const bound = flowLeaseMs(config.sim) + 2 * config.engine.shutdownGraceMs + 10_000;
  return Math.min(Math.max(bound, 30_000), LONGEST_TIMER_MS);
}

/** A Redis connection that failed or dropped, as ioredis reports it (not a job's own error). */
function isConnectionError(error: Error): boolean {
  const { code } = error as { code?: unknown };
  return (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) || /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN/.test(error.message);
}
