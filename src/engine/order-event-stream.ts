// The event stream behind `orderStatus`: every event of one order from seq 1, in order, without
// gaps or duplicates, whenever the subscriber joins, ending after the terminal event.
import type { OrderEventBus } from './order-events.js';
import type { OrderEventRecord, OrderStore } from './order-store.js';
import { isStoreUnavailable } from './store-availability.js';
import { TERMINAL_STATUSES } from './types.js';

export interface OrderEventStreamOptions {
  /**
   * Read the store again this often, so a publish lost between commit and Redis delays the
   * stream instead of hanging it; default 30000. A reconnect of the subscriber connection (where
   * losses usually come from) triggers a read at once, so this is only the backstop, and long:
   * ten thousand idle subscribers must not turn into a steady load of queries.
   */
  recheckMs?: number;
}

const isTerminal = (event: OrderEventRecord) => TERMINAL_STATUSES.includes(event.status);

/**
 * Live events (and null: "read the store") waiting for the stream, in arrival order. Small on
 * purpose: one lives per subscriber, and Node's events.on() preallocates kilobytes per stream.
 */
class Mailbox<T> {
  private readonly items: T[] = [];
  private waiter?: (item: T) => void;

  push(item: T): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    return new Promise((resolve) => (this.waiter = resolve));
  }
}

export async function* orderEventStream(
  orderId: string,
  deps: { bus: OrderEventBus; store: OrderStore },
  options: OrderEventStreamOptions = {},
): AsyncGenerator<OrderEventRecord> {
  const arrivals = new Mailbox<OrderEventRecord | null>();
  // Subscribe before reading the store: an event committed after the read is then certain to
  // arrive live, and one that is both read and received is dropped by its seq.
  const subscriptionId = await deps.bus.subscribe(orderId, (event) => arrivals.push(event));
  const recheck = setInterval(() => arrivals.push(null), options.recheckMs ?? 30_000);
  const stopResync = deps.bus.onResync(() => arrivals.push(null));
  let lastSeq = 0;
  try {
    const catchUp = async () => {
      try {
        return await deps.store.eventsAfter(orderId, lastSeq);
      } catch (error) {
        // PostgreSQL away for a moment: live events still flow, the next recheck fills any gap
        if (isStoreUnavailable(error)) return [];
        throw error;
      }
    };
    let pending: OrderEventRecord[] = await deps.store.eventsAfter(orderId, lastSeq);
    for (;;) {
      for (const event of pending) {
        if (event.seq !== lastSeq + 1) break;
        yield event;
        lastSeq = event.seq;
        if (isTerminal(event)) return;
      }
      const live = await arrivals.next();
      // a recheck, or an event past a gap (its predecessor's publish was lost): read the store
      pending = live && live.seq === lastSeq + 1 ? [live] : live && live.seq <= lastSeq ? [] : await catchUp();
    }
  } finally {
    clearInterval(recheck);
    stopResync();
    deps.bus.unsubscribe(subscriptionId);
  }
}
