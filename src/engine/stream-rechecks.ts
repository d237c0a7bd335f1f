// The backstop behind every orderStatus stream of a process, checked for all of them at once.
// An event is published on Redis after its commit, so a publish can be lost (a crash between the
// two, or the subscriber connection down at that moment). A stream that then waits would wait
// forever; so PostgreSQL is asked, every so often and whenever the subscriber connection comes
// back, how far each followed order has got, in one query per thousand orders, and only a
// stream that is behind reads its events. Ten thousand idle subscribers cost a query or ten per
// interval, not ten thousand, and a Redis reconnection does not send them all to the database.
import type { OrderEventBus } from './order-events.js';
import type { OrderStore } from './order-store.js';
import { isStoreUnavailable } from './store-availability.js';

/** A live stream as the checks see it. */
export interface WatchedStream {
  orderId: string;
  /** the seq of the newest event the stream has passed on (0 before the first) */
  lastSeq(): number;
  /** PostgreSQL has events past lastSeq(): the stream should read them */
  wake(): void;
}

export interface StreamRechecksOptions {
  /** how often every watched order is checked; STREAM_RECHECK_MS, default 30000 */
  intervalMs: number;
  /** orders per query; default 1000 */
  batchSize?: number;
  /** a check that failed other than by PostgreSQL being away (which the next check rides out) */
  onError?: (error: unknown) => void;
}

export class StreamRechecks {
  private readonly streams = new Set<WatchedStream>();
  private readonly batchSize: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private rerun?: Promise<void>;

  constructor(
    private readonly store: Pick<OrderStore, 'lastSeqs'>,
    bus: Pick<OrderEventBus, 'onResync'>,
    private readonly options: StreamRechecksOptions,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    // whatever was published while the subscriber connection was down never reached the streams
    bus.onResync(() => void this.check());
  }

  /** Checks `stream` with the others until the returned function is called. */
  watch(stream: WatchedStream): () => void {
    this.streams.add(stream);
    if (!this.timer) {
      this.timer = setInterval(() => void this.check(), this.options.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.streams.delete(stream);
      if (this.streams.size === 0) this.stopTimer();
    };
  }

  /**
   * Wakes every watched stream whose order PostgreSQL has seen move past it. Asked for while a
   * check runs, it runs once more after that one, which may have read before the commits that
   * prompted it; any number of such asks share that one rerun.
   */
  check(): Promise<void> {
    if (!this.running) {
      this.running = this.checkAll().finally(() => (this.running = undefined));
      return this.running;
    }
    this.rerun ??= this.running.then(() => {
      this.rerun = undefined;
      return this.check();
    });
    return this.rerun;
  }

  close(): void {
    this.stopTimer();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async checkAll(): Promise<void> {
    const byOrder = new Map<string, WatchedStream[]>();
    for (const stream of this.streams) {
      const followers = byOrder.get(stream.orderId);
      if (followers) followers.push(stream);
      else byOrder.set(stream.orderId, [stream]);
    }
    const orderIds = [...byOrder.keys()];
    for (let start = 0; start < orderIds.length; start += this.batchSize) {
      const batch = orderIds.slice(start, start + this.batchSize);
      let stored: Map<string, number>;
      try {
        stored = await this.store.lastSeqs(batch);
      } catch (error) {
        // PostgreSQL away: live events still flow, and the next check looks again
        if (!isStoreUnavailable(error)) this.options.onError?.(error);
        return;
      }
      for (const orderId of batch) {
        const newest = stored.get(orderId) ?? 0;
        for (const stream of byOrder.get(orderId)!) {
          if (stream.lastSeq() < newest && this.streams.has(stream)) stream.wake();
        }
      }
    }
  }
}
