// orderStatus as the contract states it: every subscriber, whenever it joins and over whichever
// transport, receives the same whole sequence from seq 1 and then completion.
import { print } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { Redis } from 'ioredis';
import type { Client } from 'graphql-ws';
import { describe, expect, it, onTestFinished } from 'vitest';
import { authHeaders, collectSse, httpData, wsClient } from '../support/clients.js';
import { sample, scrape } from '../support/metrics.js';
import { OrderDetails, OrderStatusUpdates } from '../support/operations.js';
import { LIFECYCLE, eventsOf, expectCompleteSequence, failAsAWorkerWould, followOrder, signal, submitOrder, systemForThisTest, type SystemUnderTest } from '../support/orders.js';
import { ownRedis } from '../support/own-redis.js';

/** long enough that an order sits in SUBMITTED while a test acts on it */
const SLOW_CONFIRMATION = { confirmMs: { min: 2000, max: 2000 } };

/**
 * Follows a PENDING order (of a system without a worker) over graphql-ws, then moves it to
 * ROUTING and FAILED in PostgreSQL without publishing either event: as if the process that
 * committed them had died before its publishes. Resolves with what the subscriber received.
 */
async function followThroughLostPublishes(system: SystemUnderTest, afterLoss: () => Promise<void> = async () => undefined) {
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  const pending = signal();
  const streamed = followOrder(system.url, order.id, (event) => event.status === 'PENDING' && pending.resolve());
  await pending.promise;
  expect(await failAsAWorkerWould(system, order.id, { publish: false })).toEqual([2, 3]);
  await afterLoss();
  return (await streamed).map((event) => `${event.seq} ${event.status}`);
}

describe('orderStatus subscriptions', () => {
  it('replays the whole sequence from seq 1 to a subscriber that joins while the order waits in SUBMITTED', async () => {
    const system = await systemForThisTest({ sim: SLOW_CONFIRMATION });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
    const submitted = signal();
    const first = followOrder(system.url, order.id, (event) => event.status === 'SUBMITTED' && submitted.resolve());

    await submitted.promise;
    const { order: midway } = await httpData(system.url, OrderDetails, { id: order.id });
    expect(midway?.status).toBe('SUBMITTED');
    const joiner = await followOrder(system.url, order.id);

    expect(joiner.map((e) => e.status)).toEqual(LIFECYCLE);
    expectCompleteSequence(joiner);
    expect(joiner).toEqual(await first);
  });

  it('gives three subscribers who joined before, during and after the execution identical sequences', async () => {
    // no worker yet: the first subscriber is certainly in place before the order runs
    const system = await systemForThisTest({ worker: false, sim: SLOW_CONFIRMATION });
    const order = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '300' });
    const pendingSeen = signal();
    const submittedSeen = signal();
    const before = followOrder(system.url, order.id, (event) => {
      if (event.status === 'PENDING') pendingSeen.resolve();
      if (event.status === 'SUBMITTED') submittedSeen.resolve();
    });

    await pendingSeen.promise;
    await system.startWorker();
    await submittedSeen.promise;
    const during = followOrder(system.url, order.id);
    const beforeEvents = await before;
    const after = await followOrder(system.url, order.id);

    expect(beforeEvents.map((e) => e.status)).toEqual(LIFECYCLE);
    expectCompleteSequence(beforeEvents);
    expect(beforeEvents.every((e) => e.orderId === order.id)).toBe(true);
    expect(await during).toEqual(beforeEvents);
    expect(after).toEqual(beforeEvents);
  });

  it('shares one execution among the subscribers of one account that follow the same order, each still receiving the whole sequence', async () => {
    const system = await systemForThisTest({ worker: false, sim: SLOW_CONFIRMATION });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '3' });
    const pendingSeen = signal();
    const submittedSeen = signal();
    const first = followOrder(system.url, order.id, (event) => event.status === 'PENDING' && pendingSeen.resolve());
    const second = followOrder(system.url, order.id, (event) => event.status === 'SUBMITTED' && submittedSeen.resolve());

    await pendingSeen.promise;
    await system.startWorker();
    await submittedSeen.promise;
    const late = await followOrder(system.url, order.id);

    const firstEvents = await first;
    expect(firstEvents.map((e) => e.status)).toEqual(LIFECYCLE);
    expectCompleteSequence(firstEvents);
    expect(await second).toEqual(firstEvents);
    expect(late).toEqual(firstEvents);
    const metrics = await scrape(new URL('/metrics', system.url));
    expect(sample(metrics, 'graphql_ws_subscriptions_total', { execution: 'started' })).toBe(1);
    expect(sample(metrics, 'graphql_ws_subscriptions_total', { execution: 'joined' })).toBe(2);
  });

  it('streams the same sequence over Server-Sent Events as over graphql-ws, both subscribed while the order runs', async () => {
    const system = await systemForThisTest({ sim: { confirmMs: { min: 500, max: 500 } } });
    const order = await submitOrder(system.url, { tokenIn: 'JUP', tokenOut: 'USDC', amountIn: '125' });

    const [overSse, overWs] = await Promise.all([
      collectSse(system.url, OrderStatusUpdates, { orderId: order.id }).then(eventsOf),
      followOrder(system.url, order.id),
    ]);

    expect(overWs.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(overSse).toEqual(overWs);
  });

  it("lets go of the order's Redis channel once its last subscriber leaves, over either transport, while the order waits with no event to come", async () => {
    // no worker: the order stays PENDING, and its streams wait for an event that does not come
    const system = await systemForThisTest({ worker: false });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    const channel = `order-event:${order.id}`;
    const listeners = async () => Number(((await system.runtime.redis.pubsub('NUMSUB', channel)) as [string, number])[1]);
    const follow = (client: { subscribe: Client['subscribe'] }) => {
      const seen = signal();
      const leave = client.subscribe({ query: print(OrderStatusUpdates), variables: { orderId: order.id } }, { next: () => seen.resolve(), error: () => undefined, complete: () => undefined });
      return { seen: seen.promise, leave };
    };
    const ws = wsClient(system.url);
    const sse = createSseClient({ url: system.url, singleConnection: false, retryAttempts: 0, headers: authHeaders(system.url) });
    onTestFinished(async () => {
      await ws.dispose();
      sse.dispose();
    });
    const overWs = follow(ws);
    const overSse = follow(sse);
    await Promise.all([overWs.seen, overSse.seen]);
    // the API's one subscriber connection listens for both streams
    expect(await listeners()).toBe(1);

    overWs.leave();
    overSse.leave();
    // without waking the waiting streams, they would keep the channel until the order's next event
    for (let n = await listeners(); n > 0; n = await listeners()) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await listeners()).toBe(0);
  });

  it('delivers events whose publishes were lost, read from PostgreSQL at the next check, and completes', async () => {
    const system = await systemForThisTest({ worker: false, streamRecheckMs: 200 });
    expect(await followThroughLostPublishes(system)).toEqual(['1 PENDING', '2 ROUTING', '3 FAILED']);
  });

  it("reads what it missed as soon as the API's subscriber connection to Redis comes back", async () => {
    const redis = await ownRedis();
    // checks an hour apart: only the reconnection can bring the lost events
    const system = await systemForThisTest({ worker: false, redisUrl: redis.url, streamRecheckMs: 3_600_000 });
    const events = await followThroughLostPublishes(system, async () => {
      // the connection in subscriber mode drops (a network blip, a failover); ioredis reconnects and resubscribes
      const admin = new Redis(redis.url);
      try {
        expect(await admin.client('KILL', 'TYPE', 'pubsub')).toBe(1);
      } finally {
        admin.disconnect();
      }
    });
    expect(events).toEqual(['1 PENDING', '2 ROUTING', '3 FAILED']);
  });

  it('completes after FAILED just as after CONFIRMED', async () => {
    const system = await systemForThisTest();
    // both tokens are known, but no venue lists the pair
    const order = await submitOrder(system.url, { tokenIn: 'BONK', tokenOut: 'JUP', amountIn: '1000' });

    const events = await followOrder(system.url, order.id);

    expect(events.map((e) => e.status)).toEqual(['PENDING', 'ROUTING', 'FAILED']);
    expectCompleteSequence(events);
  });
});
