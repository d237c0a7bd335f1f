// The event stream behind `orderStatus`: every event of one order from seq 1, in order, without
// gaps or duplicates, whenever the subscriber joins, ending after the terminal event.
import type { OrderEventBus } from './order-events.js';
import type { OrderEventRecord, OrderStore } from './order-store.js';
import { isStoreUnavailable } from './store-availability.js';
import type { StreamRechecks } from './stream-rechecks.js';
import { TERMINAL_STATUSES } from './types.js';

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

/** Wakes a stream waiting for its order's next event, to end it (see orderEventStream). */
const CLOSED = Symbol('closed');

type StreamDeps = { bus: OrderEventBus; store: OrderStore; rechecks: StreamRechecks };

/**
 * The order's events from seq 1, then its live ones, until the terminal event or return().
 *
 * An async generator takes return() only at a yield: one waiting for its order's next event
 * would keep its Redis subscription and its place in the rechecks until that event came, which for an
 * order that sits (a backlog, a stopped worker) may be never, however many subscribers have
 * left. So return() first wakes the waiting generator, which then ends and lets them go.
 */
export function orderEventStream(orderId: string, deps: StreamDeps): AsyncIterableIterator<OrderEventRecord> {
  const arrivals = new Mailbox<OrderEventRecord | null | typeof CLOSED>();
  const events = streamEvents(orderId, deps, arrivals);
  return {
    next: () => events.next(),
    return: (value?: unknown) => {
      arrivals.push(CLOSED);
      return events.return(value);
    },
    throw: (error?: unknown) => {
      arrivals.push(CLOSED);
      return events.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* streamEvents(
  orderId: string,
  deps: StreamDeps,
  arrivals: Mailbox<OrderEventRecord | null | typeof CLOSED>,
): AsyncGenerator<OrderEventRecord> {
  // Subscribe before reading the store: an event committed after the read is then certain to
  // arrive live, and one that is both read and received is dropped by its seq.
  const subscriptionId = await deps.bus.subscribe(orderId, (event) => arrivals.push(event));
  let lastSeq = 0;
  // a publish lost on its way (the rechecks find the order moved on without it): read the store
  const unwatch = deps.rechecks.watch({ orderId, lastSeq: () => lastSeq, wake: () => arrivals.push(null) });
  try {
    const catchUp = async () => {
      try {
        return await deps.store.eventsAfter(orderId, lastSeq);
      } catch (error) {
        // PostgreSQL away for a moment: live events still flow, the next check fills any gap
        if (isStoreUnavailable(error)) return [];
        throw error;
      }
    };
    // the first read too: a stream that starts while PostgreSQL is away waits for its events
    let pending = await catchUp();
    for (;;) {
      for (const event of pending) {
        if (event.seq !== lastSeq + 1) break;
        // counted as passed on before the yield: the rechecks read lastSeq while it is suspended there
        lastSeq = event.seq;
        yield event;
        if (isTerminal(event)) return;
      }
      const live = await arrivals.next();
      if (live === CLOSED) return;
      // woken by the rechecks, or an event past a gap (its predecessor's publish was lost): read the store
      pending = live && live.seq === lastSeq + 1 ? [live] : live && live.seq <= lastSeq ? [] : await catchUp();
    }
  } finally {
    unwatch();
    deps.bus.unsubscribe(subscriptionId);
  }
}
