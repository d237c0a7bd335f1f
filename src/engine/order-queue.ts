// The BullMQ queue that carries orders from the API to the workers. The job id is the order id,
// so enqueueing an order twice (an idempotent retry, the reconciler) never runs it twice at once.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { GroupCommit } from './group-commit.js';

export interface ExecuteOrderJob {
  orderId: string;
}

export const EXECUTE_ORDER_JOB = 'execute-order';

/**
 * Job-level retries cover infrastructure faults (PostgreSQL or Redis away mid-order); venue
 * faults are retried inside the job, counted in the order's own attempts.
 */
export const ORDER_JOB_OPTIONS: JobsOptions = {
  /** runs of the job before BullMQ gives up; the reconciler re-enqueues after that */
  attempts: 20,
  /** 500 ms, doubled each run, capped by the worker's backoff strategy */
  backoff: { type: 'capped-exponential', delay: 500 },
  /** completed jobs are dropped at once: PostgreSQL has the history */
  removeOnComplete: true,
  /** failed jobs are kept for inspection, bounded */
  removeOnFail: { count: 1000 },
};

/** 500 ms × 2^(n−1), at most 10 s: a worker keeps trying through an outage of any length. */
export function cappedExponentialBackoff(attemptsMade: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attemptsMade - 1));
}

export function createOrderQueue(connection: ConnectionOptions, name: string): Queue<ExecuteOrderJob> {
  return new Queue<ExecuteOrderJob>(name, { connection, defaultJobOptions: ORDER_JOB_OPTIONS });
}

export async function enqueueOrder(queue: Queue<ExecuteOrderJob>, orderId: string): Promise<void> {
  await queue.add(EXECUTE_ORDER_JOB, { orderId }, { jobId: orderId });
}

/** Enqueues orders accepted at the same moment with one addBulk (group commit) instead of one add each. */
export function bulkEnqueuer(queue: Queue<ExecuteOrderJob>): (orderId: string) => Promise<void> {
  const adds = new GroupCommit(async (orderIds: string[]) => {
    await queue.addBulk(orderIds.map((orderId) => ({ name: EXECUTE_ORDER_JOB, data: { orderId }, opts: { jobId: orderId } })));
    return orderIds.map(() => undefined);
  });
  return (orderId) => adds.submit(orderId);
}
