// PostgreSQL is the system of record; Redis only carries work. The reconciler finds orders that
// are not terminal and have not moved for a while, and makes sure each has a live job: one lost
// to a Redis flush, an enqueue that failed after the order was stored, or a job that BullMQ gave
// up on. The job id is the order id, so a job that is merely slow is left alone.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { enqueueOrder, type ExecuteOrderJob } from './order-queue.js';
import type { OrderStore } from './order-store.js';

export interface ReconcilerOptions {
  /** how often to look; default 10000 ms, 0 = never */
  intervalMs?: number;
  /** an order untouched for this long is checked; default 15000 ms */
  idleMs?: number;
  /** orders checked per pass; default 500 */
  batchSize?: number;
  /** default: logs nothing */
  logger?: Logger;
}

export class Reconciler {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly store: OrderStore,
    private readonly queue: Queue<ExecuteOrderJob>,
    private readonly options: ReconcilerOptions = {},
  ) {}

  start(): void {
    const interval = this.options.intervalMs ?? 10_000;
    if (interval <= 0 || this.timer) return;
    this.timer = setInterval(
      () => void this.runOnce().catch((error: unknown) => this.options.logger?.warn({ err: error }, 'reconciler pass failed; the next one tries again')),
      interval,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Makes sure the order has a live job; returns the state it found when it had none, else null. */
  private async revive(id: string): Promise<string | null> {
    const job = await this.queue.getJob(id);
    const state = job ? await job.getState() : 'missing';
    if (state === 'missing' || state === 'unknown' || state === 'completed') {
      // a completed job is removed at once, so one found here finished without its order
      await job?.remove().catch(() => undefined);
      await enqueueOrder(this.queue, id);
    } else if (state === 'failed') {
      await job!.retry();
    } else {
      return null;
    }
    return state;
  }

  /** One pass; returns the ids it (re-)enqueued. */
  async runOnce(idleMs = this.options.idleMs ?? 15_000): Promise<string[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const revived: string[] = [];
      for (const { id, attempts } of await this.store.stale(idleMs, this.options.batchSize ?? 500)) {
        // one order whose job cannot be read or revived (another worker's reconciler retried it
        // first, or its job's data is corrupt) must not stop the pass for the orders after it
        try {
          const state = await this.revive(id);
          if (!state) continue;
          this.options.logger?.warn({ orderId: id, attempt: attempts, jobState: state }, 'order had no live job; re-enqueued');
          revived.push(id);
        } catch (error) {
          this.options.logger?.warn({ orderId: id, attempt: attempts, err: error }, 'could not check or revive the job of an order; the next pass tries again');
        }
      }
      return revived;
    } finally {
      this.running = false;
    }
  }
}
