// Learns when orders finish by listening to the engine's own lifecycle events on Redis pub/sub
// (one pattern subscription for all orders), so a load generator can await each order's
// CONFIRMED without a subscription per order, and counts every event published on the way.
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { OrderEventBus } from '../../src/engine/order-events.js';
import type { OrderEventRecord } from '../../src/engine/order-store.js';
import { createRedis, type Redis } from '../../src/infra/redis.js';

export interface Completion {
  status: 'CONFIRMED' | 'FAILED';
  /** Date.now() when the bench received the terminal event */
  receivedAt: number;
}

/**
 * The bus's Redis topic of an order id, taken from its one declaration (src/engine/order-events.ts)
 * by publishing to a stub, so the bench repeats no topic string.
 */
async function topicOf(orderId: string): Promise<string> {
  let topic = '';
  const stub = { publish: async (name: string) => void (topic = name) } as unknown as RedisPubSub;
  await new OrderEventBus(stub).publish({ orderId } as OrderEventRecord);
  return topic;
}

/**
 * Now, in epoch ms with a fraction. Comparable across the bench's processes (one clock), unlike
 * performance.now() alone, and finer than Date.now().
 */
export const epochMs = () => performance.timeOrigin + performance.now();

/** One event of one order, as a key of `CompletionWatcher.publishedAt`. */
export const eventKey = (orderId: string, seq: number) => `${orderId}:${seq}`;

export class CompletionWatcher {
  /** every lifecycle event received, of any order */
  events = 0;
  confirmed = 0;
  failed = 0;
  private readonly waiters = new Map<string, (completion: Completion) => void>();
  /**
   * With `publishTimes`: when each event came off Redis here (`epochMs`), by `eventKey`: the
   * moment of its publish, as seen by a subscriber that does nothing else.
   */
  readonly publishedAt = new Map<string, number>();
  /** terminal events that arrived before their order's mutation answered (zero-latency runs) */
  private readonly early = new Map<string, Completion>();

  private constructor(
    private readonly redis: Redis,
    private readonly publishTimes: boolean,
  ) {}

  static async start(redisUrl: string, options: { publishTimes?: boolean } = {}): Promise<CompletionWatcher> {
    // ready before PSUBSCRIBE (src/infra/redis.ts: an early SUBSCRIBE can silently lose messages)
    const redis = await createRedis(redisUrl, { name: 'bench-completions' });
    const watcher = new CompletionWatcher(redis, options.publishTimes ?? false);
    redis.on('pmessage', (_pattern: string, _channel: string, message: string) => watcher.onEvent(message, epochMs()));
    // a Ctrl-C stops Redis while this connection is still open: nothing to report then
    redis.on('error', () => undefined);
    await redis.psubscribe(await topicOf('*'));
    return watcher;
  }

  /** Resolves when the order reaches CONFIRMED or FAILED (at once if it already has). */
  wait(orderId: string): Promise<Completion> {
    const done = this.early.get(orderId);
    if (done) {
      this.early.delete(orderId);
      return Promise.resolve(done);
    }
    return new Promise((resolve) => this.waiters.set(orderId, resolve));
  }

  /** Forgets early completions nobody waited for (orders of an earlier step). */
  reset(): void {
    this.early.clear();
    this.events = 0;
    this.confirmed = 0;
    this.failed = 0;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private onEvent(message: string, receivedAt: number): void {
    this.events++;
    const event = JSON.parse(message) as { orderId: string; seq: number; status: string };
    if (this.publishTimes) this.publishedAt.set(eventKey(event.orderId, event.seq), receivedAt);
    if (event.status !== 'CONFIRMED' && event.status !== 'FAILED') return;
    if (event.status === 'CONFIRMED') this.confirmed++;
    else this.failed++;
    const completion: Completion = { status: event.status, receivedAt: Date.now() };
    const waiter = this.waiters.get(event.orderId);
    if (waiter) {
      this.waiters.delete(event.orderId);
      waiter(completion);
    } else {
      this.early.set(event.orderId, completion);
    }
  }
}
