// Lifecycle events on Redis pub/sub. The topics and their payloads are declared here and
// nowhere else; every publisher and subscriber goes through this bus.
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { OrderEventRecord } from './order-store.js';
import { withTimeout } from './timeout.js';

/** What the bus needs of its subscriber connection: an ioredis client's status and events. */
interface SubscriberConnection {
  status?: string;
  on(event: 'ready', listener: () => void): unknown;
  once(event: 'ready' | 'end', listener: () => void): unknown;
  removeListener(event: 'ready' | 'end', listener: () => void): unknown;
}

/**
 * ioredis states in which the connection is on its way to 'ready' (after a drop, or at first).
 * ioredis 5.9-5.11 lose a SUBSCRIBE sent in them: Redis never holds it, not even after the
 * resubscription that follows 'ready' (see createRedis).
 */
const RECONNECTING = new Set(['connecting', 'connect', 'reconnecting', 'close']);

/**
 * Redis is away: a stream cannot follow live events now. Answered as SERVICE_UNAVAILABLE (yoga.ts),
 * as a store out of reach is: the client is to come back in a moment.
 */
export class LiveEventsUnavailableError extends Error {
  override name = 'LiveEventsUnavailableError';
  constructor(waitedMs: number) {
    super(`Redis has not been reachable for ${waitedMs} ms: live events cannot be followed now`);
  }
}

export interface OrderEventBusOptions {
  /** how long a subscribe waits for the subscriber connection to come back; default 10000 */
  readyWaitMs?: number;
}

/** Every topic, with the payload it carries. */
export interface Topics {
  /** one order's lifecycle events, published after they are committed */
  orderEvent: OrderEventRecord;
}

const TOPIC_NAMES: { [K in keyof Topics]: (id: string) => string } = {
  orderEvent: (orderId) => `order-event:${orderId}`,
};

/** JSON carries `at` as an ISO string; give subscribers a Date again. */
export const pubSubReviver = (key: string, value: unknown) =>
  key === 'at' && typeof value === 'string' ? new Date(value) : value;

export class OrderEventBus {
  /**
   * One listener per live stream. A Set, not an EventEmitter: removing one of an emitter's
   * listeners scans and splices its array, which with ten thousand streams cost every ending
   * stream a pass over all the others.
   */
  private readonly resyncs = new Set<() => void>();

  /** Settles at the subscriber's next 'ready' (or 'end'); shared by every stream waiting for it. */
  private nextReady?: Promise<void>;

  /**
   * `subscriber` is the connection the subscriptions live on: when it comes back after a drop,
   * whatever was published meanwhile is lost to it, so every stream re-reads the store. It is
   * usually ready already (createRedis waits for that), and then its next 'ready' is a comeback.
   */
  constructor(
    private readonly pubsub: RedisPubSub,
    private readonly subscriber?: SubscriberConnection,
    private readonly options: OrderEventBusOptions = {},
  ) {
    let connectedOnce = subscriber?.status === 'ready';
    subscriber?.on('ready', () => {
      if (connectedOnce) for (const listener of [...this.resyncs]) listener();
      connectedOnce = true;
    });
  }

  /** Calls `listener` each time live events may have been missed; returns how to stop. */
  onResync(listener: () => void): () => void {
    // each call registers anew, even the same function twice, as an emitter would
    const registration = () => listener();
    this.resyncs.add(registration);
    return () => this.resyncs.delete(registration);
  }

  publish(event: OrderEventRecord): Promise<void> {
    return this.pubsub.publish(TOPIC_NAMES.orderEvent(event.orderId), event);
  }

  /** Resolves once Redis has confirmed the subscription, so nothing published later is missed. */
  subscribe(orderId: string, onEvent: (event: Topics['orderEvent']) => void): Promise<number> {
    // A stream starting while the connection comes back would otherwise get no live event ever
    // (and, as graphql-redis-subscriptions subscribes a channel only for its first listener,
    // neither would any later stream of the order in this process): wait for the connection.
    // (bounded: while Redis is down, a stream fails as it did when ioredis gave the SUBSCRIBE up,
    // rather than hang with neither events nor an error)
    const ready = this.untilReady();
    if (!ready) return this.pubsub.subscribe(TOPIC_NAMES.orderEvent(orderId), onEvent);
    const waitMs = this.options.readyWaitMs ?? 10_000;
    return withTimeout(ready, waitMs, () => new LiveEventsUnavailableError(waitMs)).then(() => this.subscribe(orderId, onEvent));
  }

  private untilReady(): Promise<void> | undefined {
    const subscriber = this.subscriber;
    if (!subscriber?.status || !RECONNECTING.has(subscriber.status)) return undefined;
    // 'end': the connection was closed for good; subscribing then fails as it always did
    return (this.nextReady ??= new Promise<void>((resolve) => {
      const settle = () => {
        subscriber.removeListener('ready', settle);
        subscriber.removeListener('end', settle);
        this.nextReady = undefined;
        resolve();
      };
      subscriber.once('ready', settle);
      subscriber.once('end', settle);
    }));
  }

  unsubscribe(subscriptionId: number): void {
    this.pubsub.unsubscribe(subscriptionId);
  }
}
