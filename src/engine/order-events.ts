// Lifecycle events on Redis pub/sub. The topics and their payloads are declared here and
// nowhere else; every publisher and subscriber goes through this bus.
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { OrderEventRecord } from './order-store.js';

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

  /**
   * `subscriber` is the connection the subscriptions live on: when it comes back after a drop,
   * whatever was published meanwhile is lost to it, so every stream re-reads the store. It is
   * usually ready already (createRedis waits for that), and then its next 'ready' is a comeback.
   */
  constructor(
    private readonly pubsub: RedisPubSub,
    subscriber?: { status?: string; on(event: 'ready', listener: () => void): unknown },
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
    return this.pubsub.subscribe(TOPIC_NAMES.orderEvent(orderId), onEvent);
  }

  unsubscribe(subscriptionId: number): void {
    this.pubsub.unsubscribe(subscriptionId);
  }
}
