// The BullMQ worker that executes orders.
import { Worker, type ConnectionOptions } from 'bullmq';
import type { ExecutionObserver } from './execution-observer.js';
import type { OrderExecutor } from './order-executor.js';
import { cappedExponentialBackoff, pendingOrderOf, type ExecuteOrderJob } from './order-queue.js';

export interface OrderWorkerOptions {
  connection: ConnectionOptions;
  queueName: string;
  /** orders executed at once; they mostly wait on venues, so this can be in the hundreds */
  concurrency: number;
  /**
   * How long a job's lock lives without renewal; default 10000. A killed worker's orders are
   * found stalled after at most lockDurationMs + stalledIntervalMs and run again elsewhere.
   */
  lockDurationMs?: number;
  /** how often each worker checks for stalled jobs; default 5000 */
  stalledIntervalMs?: number;
  /** told how long each job waited before its first start; default nobody */
  observer?: Pick<ExecutionObserver, 'dequeued'>;
}

export function createOrderWorker(executor: OrderExecutor, options: OrderWorkerOptions): Worker<ExecuteOrderJob> {
  return new Worker<ExecuteOrderJob>(
    options.queueName,
    async (job) => {
      // A job's first start, unless it was delayed on purpose: the wait is the queue's, from the
      // adder's clock (`timestamp`) to the worker's (`processedOn`, set as the job became active).
      if (job.attemptsStarted === 1 && !job.opts.delay && job.processedOn) options.observer?.dequeued(job.processedOn - job.timestamp);
      await executor.execute(job.data.orderId, pendingOrderOf(job.data));
    },
    {
      connection: options.connection,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 10_000,
      stalledInterval: options.stalledIntervalMs ?? 5_000,
      // a job that stalls this often is failed rather than looping; the reconciler takes over
      maxStalledCount: 5,
      settings: { backoffStrategy: (attemptsMade: number) => cappedExponentialBackoff(attemptsMade) },
    },
  );
}
