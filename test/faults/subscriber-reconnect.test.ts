// The API's subscriber connection to Redis comes back after a drop. An orderStatus stream that
// starts in the moment between the reconnection's TCP connect and its ready check still gets its
// events live: ioredis 5.9-5.11 lose a SUBSCRIBE sent then, and the channel stayed unsubscribed in
// Redis, for that stream and for every later stream of the same order in the process. A stream
// that starts while Redis stays away is told so after a bounded wait.
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { expect, it, onTestFinished } from 'vitest';
import { LiveEventsUnavailableError, OrderEventBus, pubSubReviver, type OrderEventBusOptions } from '../../src/engine/order-events.js';
import type { OrderEventRecord } from '../../src/engine/order-store.js';
import { closeRedis, createRedis } from '../../src/infra/redis.js';
import { collectSse } from '../support/clients.js';
import { OrderStatusUpdates } from '../support/operations.js';
import { submitOrder, systemForThisTest } from '../support/orders.js';
import { ownRedis } from '../support/own-redis.js';

const ORDER_BEFORE = '00000000-0000-4000-8000-00000000000a';
const ORDER_DURING = '00000000-0000-4000-8000-00000000000b';

const routing = (orderId: string): OrderEventRecord => ({ orderId, seq: 2, status: 'ROUTING', attempt: 1, message: 'routing', at: new Date() });

/** The bus on a Redis of the test's own, with its connections made as the runtime makes them, and one more for the test. */
async function busOnOwnRedis(options: OrderEventBusOptions = {}) {
  const redis = await ownRedis();
  const [publisher, subscriber, admin] = await Promise.all([createRedis(redis.url), createRedis(redis.url, { name: 'subscriber' }), createRedis(redis.url)]);
  // a Redis the test stops makes them report errors: expected, not to be printed
  for (const connection of [publisher, subscriber, admin]) connection.on('error', () => undefined);
  onTestFinished(() => Promise.all([publisher, subscriber, admin].map((connection) => closeRedis(connection))).then(() => undefined));
  const bus = new OrderEventBus(new RedisPubSub({ publisher, subscriber, reviver: pubSubReviver }), subscriber, options);
  return { redis, subscriber, admin, bus };
}

it('delivers live events to a stream that subscribed while the subscriber connection was reconnecting, and to later streams of its order', async () => {
  const { subscriber, admin, bus } = await busOnOwnRedis();
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

it('fails a stream that starts while Redis stays away after the wait, rather than leave it hanging, and subscribes once Redis is back', async () => {
  const { redis, subscriber, bus } = await busOnOwnRedis({ readyWaitMs: 300 });

  await redis.stop();
  await expect.poll(() => subscriber.status).not.toBe('ready');
  await expect(bus.subscribe(ORDER_DURING, () => undefined)).rejects.toBeInstanceOf(LiveEventsUnavailableError);

  await redis.start();
  await expect.poll(() => subscriber.status, { timeout: 10_000 }).toBe('ready');
  const received: number[] = [];
  await bus.subscribe(ORDER_DURING, (event) => received.push(event.seq));
  await bus.publish(routing(ORDER_DURING));
  await expect.poll(() => received).toEqual([2]);
});

it('answers an orderStatus subscription started while Redis is away with SERVICE_UNAVAILABLE after the wait', async () => {
  const redis = await ownRedis();
  const system = await systemForThisTest({ worker: false, redisUrl: redis.url });
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  await redis.stop();
  // the default wait, 10 s: then the client is told to come back, where it waited for as long as Redis was away
  const results = await collectSse(system.url, OrderStatusUpdates, { orderId: order.id });
  expect(results).toMatchObject([{ errors: [{ message: expect.stringMatching(/cannot reach Redis/), extensions: { code: 'SERVICE_UNAVAILABLE' } }] }]);
  // back, so that the system can stop cleanly
  await redis.start();
}, 30_000);
