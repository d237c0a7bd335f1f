// The API's subscriber connection to Redis comes back after a drop. An orderStatus stream that
// starts in the moment between the reconnection's TCP connect and its ready check still gets its
// events live: ioredis 5.9-5.11 lose a SUBSCRIBE sent then, and the channel stayed unsubscribed in
// Redis, for that stream and for every later stream of the same order in the process.
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { expect, it, onTestFinished } from 'vitest';
import { OrderEventBus, pubSubReviver } from '../../src/engine/order-events.js';
import type { OrderEventRecord } from '../../src/engine/order-store.js';
import { closeRedis, createRedis } from '../../src/infra/redis.js';
import { ownRedis } from '../support/own-redis.js';

const ORDER_BEFORE = '00000000-0000-4000-8000-00000000000a';
const ORDER_DURING = '00000000-0000-4000-8000-00000000000b';

const routing = (orderId: string): OrderEventRecord => ({ orderId, seq: 2, status: 'ROUTING', attempt: 1, message: 'routing', at: new Date() });

it('delivers live events to a stream that subscribed while the subscriber connection was reconnecting, and to later streams of its order', async () => {
  const redis = await ownRedis();
  // the connections as the runtime makes them
  const [publisher, subscriber, admin] = await Promise.all([createRedis(redis.url), createRedis(redis.url, { name: 'subscriber' }), createRedis(redis.url)]);
  onTestFinished(() => Promise.all([publisher, subscriber, admin].map((connection) => closeRedis(connection))).then(() => undefined));
  const bus = new OrderEventBus(new RedisPubSub({ publisher, subscriber, reviver: pubSubReviver }), subscriber);
  const received: string[] = [];
  const collect = (stream: string) => (event: OrderEventRecord) => received.push(`${stream} ${event.orderId.slice(-1)}${event.seq}`);

  await bus.subscribe(ORDER_BEFORE, collect('before'));
  // a stream starting once TCP is up again and ioredis is still running its ready check
  const duringReconnect = new Promise<number>((resolve) => subscriber.once('connect', () => resolve(bus.subscribe(ORDER_DURING, collect('during')))));
  expect(await admin.client('KILL', 'TYPE', 'pubsub')).toBe(1);
  await duringReconnect;
  // a later stream of the same order, once the connection is ready
  await bus.subscribe(ORDER_DURING, collect('later'));

  // Redis holds both channels, and both orders' next events reach every stream
  expect(await admin.pubsub('NUMSUB', `order-event:${ORDER_BEFORE}`, `order-event:${ORDER_DURING}`)).toEqual([`order-event:${ORDER_BEFORE}`, 1, `order-event:${ORDER_DURING}`, 1]);
  await bus.publish(routing(ORDER_BEFORE));
  await bus.publish(routing(ORDER_DURING));
  await expect.poll(() => received.length).toBe(3);
  expect(received.sort()).toEqual(['before a2', 'during b2', 'later b2']);
});
