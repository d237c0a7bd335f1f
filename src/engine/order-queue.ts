// The BullMQ queue that carries orders from the API to the workers. The job id is the order id,
// so enqueueing an order twice (an idempotent retry, the reconciler) never runs it twice at once.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { GroupCommit } from './group-commit.js';
import type { OrderRecord } from './order-store.js';

export interface ExecuteOrderJob {
  orderId: string;
  /**
   * What the order was when the API stored it (PENDING), so that a worker can take its first step
   * without reading it back: that step's write is conditional on the order still being PENDING at
   * attempt 0, and only then are these fields, which no transition changes, what PostgreSQL has.
   * Absent on jobs of the reconciler, whose orders may have moved on: the worker reads those.
   */
  accepted?: AcceptedOrder;
}

/** The fields of a PENDING order that no transition changes; amounts and dates as strings. */
export interface AcceptedOrder {
  accountId: string;
  clientOrderId: string | null;
  tokenIn: string;
  tokenOut: string;
  amountIn: string;
  slippageBps: number;
  /** absent in jobs queued before it existed: no limit */
  maxPriceImpactBps?: number | null;
  createdAt: string;
}

export function acceptedOrder(order: OrderRecord): AcceptedOrder {
  const { accountId, clientOrderId, tokenIn, tokenOut, amountIn, slippageBps, maxPriceImpactBps, createdAt } = order;
  return { accountId, clientOrderId, tokenIn, tokenOut, amountIn: amountIn.toString(), slippageBps, maxPriceImpactBps, createdAt: createdAt.toISOString() };
}

/** The PENDING order a job carries, as the store would have returned it then; null without one. */
export function pendingOrderOf({ orderId, accepted }: ExecuteOrderJob): OrderRecord | null {
  if (!accepted) return null;
  const createdAt = new Date(accepted.createdAt);
  return {
    id: orderId,
    accountId: accepted.accountId,
    clientOrderId: accepted.clientOrderId,
    type: 'MARKET',
    status: 'PENDING',
    tokenIn: accepted.tokenIn,
    tokenOut: accepted.tokenOut,
    amountIn: BigInt(accepted.amountIn),
    slippageBps: accepted.slippageBps,
    maxPriceImpactBps: accepted.maxPriceImpactBps ?? null,
    amountOut: null,
    dex: null,
    txSignature: null,
    minAmountOut: null,
    attempts: 0,
    failureReason: null,
    lastSeq: 1,
    createdAt,
    updatedAt: createdAt,
  };
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

/**
 * addBulk builds an ioredis pipeline, and ioredis copies each of the ~60 scripts BullMQ defines
 * onto every pipeline it creates (about 45 µs and 10 KB of garbage). For batches below this size
 * plain adds cost less client CPU per job (measured: 1 job 80-110 µs against 170-210, 2 jobs 80
 * against 100-110; from 10 on, addBulk is as cheap or cheaper).
 */
const BULK_FROM = 4;

/**
 * Enqueues orders accepted at the same moment together (group commit): one addBulk for a batch,
 * plain adds for a batch of a few. A freshly stored order goes with its accepted fields; any
 * other with its id only.
 */
export function bulkEnqueuer(queue: Queue<ExecuteOrderJob>): (order: OrderRecord, fresh: boolean) => Promise<void> {
  const adds = new GroupCommit(async (jobs: ExecuteOrderJob[]) => {
    if (jobs.length < BULK_FROM) await Promise.all(jobs.map((data) => queue.add(EXECUTE_ORDER_JOB, data, { jobId: data.orderId })));
    else await queue.addBulk(jobs.map((data) => ({ name: EXECUTE_ORDER_JOB, data, opts: { jobId: data.orderId } })));
    return jobs.map(() => undefined);
  });
  return (order, fresh) => adds.submit(fresh ? { orderId: order.id, accepted: acceptedOrder(order) } : { orderId: order.id });
}
