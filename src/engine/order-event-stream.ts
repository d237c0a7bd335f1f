// The event stream behind `orderStatus`: every event of one order from seq 1, in order, without
// gaps or duplicates, whenever the subscriber joins, ending after the terminal event.
import { EventEmitter, on } from 'node:events';
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

export async function* orderEventStream(
  orderId: string,
  deps: { bus: OrderEventBus; store: OrderStore },
  options: OrderEventStreamOptions = {},
): AsyncGenerator<OrderEventRecord> {
  const wake = new EventEmitter();
  const stop = new AbortController();
  const arrivals = on(wake, 'event', { signal: stop.signal });
  // Subscribe before reading the store: an event committed after the read is then certain to
  // arrive live, and one that is both read and received is dropped by its seq.
  const subscriptionId = await deps.bus.subscribe(orderId, (event) => wake.emit('event', event));
  const recheck = setInterval(() => wake.emit('event', null), options.recheckMs ?? 30_000);
  const stopResync = deps.bus.onResync(() => wake.emit('event', null));
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
      const { value } = await arrivals.next();
      const live = (value as [OrderEventRecord | null])[0];
      // a recheck, or an event past a gap (its predecessor's publish was lost): read the store
      pending = live && live.seq === lastSeq + 1 ? [live] : live && live.seq <= lastSeq ? [] : await catchUp();
    }
  } finally {
    clearInterval(recheck);
    stopResync();
    deps.bus.unsubscribe(subscriptionId);
    stop.abort();
  }
}
