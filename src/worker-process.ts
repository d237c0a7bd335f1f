// The worker role: executes queued orders, runs the market's background flow, and re-enqueues
// orders that have no live job.
import { OrderExecutor } from './engine/order-executor.js';
import { createOrderWorker } from './engine/order-worker.js';
import { Reconciler } from './engine/reconciler.js';
import { MarketFlow } from './engine/venues/market-flow.js';
import { engineMetrics } from './observability/engine-metrics.js';
import type { Logger } from './observability/logger.js';
import type { Runtime } from './runtime.js';

export interface WorkerProcess {
  /** finishes the active orders (or hands them back) and stops */
  close(): Promise<void>;
}

export interface WorkerOptions {
  /** default: the runtime's logger, bound to role "worker" */
  logger?: Logger;
  /** job lock and stalled-check timings, see order-worker.ts */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** 0 disables the reconciler (tests of one component) */
  reconcileIntervalMs?: number;
}

export async function startWorker(runtime: Runtime, options: WorkerOptions = {}): Promise<WorkerProcess> {
  const { config } = runtime;
  const logger = options.logger ?? runtime.logger.child({ role: 'worker' });
  // metrics go to the process's registry: served by the API at /metrics in `npm start`, by the
  // worker's own listener (METRICS_PORT) in `npm run worker`
  const observer = engineMetrics(runtime.metrics);
  const executor = new OrderExecutor({ store: runtime.store, bus: runtime.bus, market: runtime.market, settings: config.engine, logger, observer });
  const worker = createOrderWorker(executor, {
    connection: runtime.bullConnection,
    queueName: config.engine.queueName,
    concurrency: config.engine.concurrency,
    lockDurationMs: options.lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs,
  });
  await worker.waitUntilReady();
  const flow = new MarketFlow(runtime.redis, runtime.market, config.sim);
  flow.start();
  const reconciler = new Reconciler(runtime.store, runtime.queue, { intervalMs: options.reconcileIntervalMs ?? 10_000, logger });
  reconciler.start();
  return {
    async close() {
      reconciler.stop();
      await flow.stop();
      await worker.close();
    },
  };
}
