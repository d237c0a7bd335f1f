// PostgreSQL unreachable for a while (a TCP proxy in front of it, cut and restored).
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { orderEventStream } from '../../src/engine/order-event-stream.js';
import type { OrderEventRecord } from '../../src/engine/order-store.js';
import { eventsOf, executeMarketOrder, followOrder, LIFECYCLE, signal, submitOrder, systemForThisTest } from '../support/orders.js';
import { print } from 'graphql';
import { scrape, sample } from '../support/metrics.js';
import { collect, httpData, wsClient } from '../support/clients.js';
import { ExecuteMarketOrder, OrderDetails, OrderStatusUpdates } from '../support/operations.js';
import { postGraphQL } from '../support/raw-graphql.js';
import { rowsOn } from '../support/sql.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

/** The ids of the orders stored with `clientOrderId`, read straight from PostgreSQL (not through the proxy). */
async function storedIds(clientOrderId: string): Promise<string[]> {
  return (await rowsOn<{ id: string }>(process.env.DATABASE_URL!, 'SELECT id FROM orders WHERE client_order_id = $1', [clientOrderId])).map((r) => r.id);
}

async function systemBehindProxy(options: Parameters<typeof systemForThisTest>[0] = {}) {
  const { proxy, url } = await proxyInFrontOf(process.env.DATABASE_URL!);
  const system = await systemForThisTest({ ...options, databaseUrl: url });
  return { proxy, system };
}

it('answers executeMarketOrder with a clear SERVICE_UNAVAILABLE error and stores nothing while PostgreSQL is unreachable', async () => {
  const { proxy, system } = await systemBehindProxy();
  await proxy.cut();
  const response = await postGraphQL(system.url, print(ExecuteMarketOrder), { key: system.key, variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1', clientOrderId: 'during-outage' } } });
  expect(response.status).toBe(503);
  expect(response.body).toMatchObject({ errors: [{ message: expect.stringMatching(/nothing was done/), extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
  await proxy.restore();
  // and once it is back, the same request is accepted
  const accepted = await executeMarketOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1', clientOrderId: 'after-outage' });
  expect(accepted.__typename).toBe('ExecuteMarketOrderSuccess');

  expect(await storedIds('during-outage')).toEqual([]);
  // no event without its order anywhere (events have no foreign key: the transition statement is what guarantees it)
  const [row] = await rowsOn<{ orphans: string }>(
    process.env.DATABASE_URL!,
    'SELECT count(*) AS orphans FROM order_events e WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = e.order_id)',
  );
  expect(row?.orphans).toBe('0');
});

/**
 * An order followed by a subscriber until it is SUBMITTED; then `outage` runs (PostgreSQL cut while
 * the confirmation falls due, and restored). That subscriber keeps its stream and gets every event
 * once PostgreSQL is back, as does one who joins then, and the order made exactly one swap.
 */
async function confirmThroughOutage(system: Awaited<ReturnType<typeof systemBehindProxy>>['system'], outage: (orderId: string) => Promise<void>) {
  const order = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '120' });
  const submitted = signal();
  const throughOutage = followOrder(system.url, order.id, (event) => event.status === 'SUBMITTED' && submitted.resolve());
  await submitted.promise;
  await outage(order.id);

  for (const events of [await throughOutage, await followOrder(system.url, order.id)]) {
    expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  }
  const swaps = await system.runtime.market.journal.swapsOfOrder(order.id);
  expect(swaps).toHaveLength(1);
}

it('leaves the order counts out of /metrics while PostgreSQL is unreachable, rather than showing the last ones read', async () => {
  const { proxy, system } = await systemBehindProxy();
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  await followOrder(system.url, order.id);
  const metricsUrl = new URL('/metrics', system.url);
  expect(sample(await scrape(metricsUrl), 'dex_orders', { status: 'CONFIRMED' })).toBeGreaterThanOrEqual(1);

  await proxy.cut();
  const during = await scrape(metricsUrl);
  await proxy.restore();

  expect(sample(during, 'dex_orders', { status: 'CONFIRMED' })).toBeUndefined();
  // the queue's counts come from Redis, which is there
  expect(sample(during, 'dex_queue_jobs', { state: 'waiting' })).toBe(0);
  expect(sample(await scrape(metricsUrl), 'dex_orders', { status: 'CONFIRMED' })).toBeGreaterThanOrEqual(1);
});

it('lets a worker in the middle of an order wait out the outage and finish with every event exactly once', async () => {
  const { proxy, system } = await systemBehindProxy({ sim: { confirmMs: { min: 1500, max: 1500 } } });
  await confirmThroughOutage(system, async () => {
    // the confirmation falls due while PostgreSQL is away: its write must wait, then land once
    await proxy.cut();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await proxy.restore();
  });
});

it('fails the job when the outage outlasts STORE_RETRY_MS, and a retry of it finishes the order once PostgreSQL is back', async () => {
  const { proxy, system } = await systemBehindProxy({ sim: { confirmMs: { min: 1000, max: 1000 } }, engine: { storeRetryMs: 300 } });
  // the retried job finds the swap it had sent and sends no other
  await confirmThroughOutage(system, async (orderId) => {
    await proxy.cut();
    // the CONFIRMED write gives up after 300 ms and the job fails; BullMQ schedules its next run
    await expect.poll(async () => (await system.runtime.queue.getJob(orderId))?.attemptsMade ?? 0, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await proxy.restore();
  });
});

it('starts an orderStatus stream while PostgreSQL is away and fills it from the store once it is back', async () => {
  // past the subscribe's own read (the caller was authenticated and its order found) PostgreSQL
  // goes away: the stream's first read of the order's events fails, and the stream must wait
  const { proxy, system } = await systemBehindProxy({ streamRecheckMs: 200 });
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.5' });
  await followOrder(system.url, order.id);
  await proxy.cut();
  const { bus, store, rechecks } = system.runtime.services;
  const stream = orderEventStream(order.id, { bus, store, rechecks });
  const first = stream.next();
  // the first read has failed by now (the cut proxy refuses at once), and the rechecks fail too
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await proxy.restore();
  const events = [(await first).value as OrderEventRecord];
  for await (const event of stream) events.push(event);
  expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
  expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
});

it('answers a query and a new orderStatus subscription with SERVICE_UNAVAILABLE, and closes a new WebSocket with 1013, while PostgreSQL is unreachable', async () => {
  const { proxy, system } = await systemBehindProxy({ worker: false, databaseQueryTimeoutMs: 500 });
  await inputWithKeyCached(system);
  const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
  const another = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
  // a connection authenticated before the outage, following the order (PENDING: no worker moves it)
  const connected = wsClient(system.url);
  const following = signal();
  const followed = collect(connected, OrderStatusUpdates, { orderId: order.id }, () => following.resolve());
  await following.promise;

  // silent, so the cache's listener does not notice and keeps serving the key: each operation
  // gets as far as reading its order, which fails after DATABASE_QUERY_TIMEOUT_MS
  proxy.blackhole();
  const query = await postGraphQL(system.url, print(OrderDetails), { key: system.key, variables: { id: order.id } });
  expect(query.status).toBe(503);
  expect(query.body).toMatchObject({ data: { order: null }, errors: [{ path: ['order'], extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
  // as every client does when an API restarts: it (re)subscribes, and is told to retry, not that the server failed
  // (another order: a second stream of the order followed already would share that stream's execution)
  const resubscribed = await collect(connected, OrderStatusUpdates, { orderId: another.id });
  expect(resubscribed).toMatchObject([{ errors: [{ path: ['orderStatus'], extensions: { code: 'SERVICE_UNAVAILABLE' } }] }]);
  proxy.heal();

  // cut, the cache stops serving keys: a new connection whose key cannot be checked is told to
  // come back, not that its key is refused
  await proxy.cut();
  await expect.poll(() => system.runtime.services.accounts.servesCachedKeys).toBe(false);
  const fresh = wsClient(system.url);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => fresh.on('closed', (event) => resolve(event as { code: number; reason: string })));
  void collect(fresh, OrderStatusUpdates, { orderId: order.id }).catch(() => undefined);
  expect(await closed).toMatchObject({ code: 1013, reason: expect.stringMatching(/cannot reach its database/) });
  await fresh.dispose();

  await proxy.restore();
  expect((await httpData(system.url, OrderDetails, { id: order.id })).order).toMatchObject({ id: order.id, status: 'PENDING' });
  await connected.dispose();
  expect(eventsOf(await followed).map((event) => event.status)).toEqual(['PENDING']);
});

/**
 * An order's input with a fresh clientOrderId, once the system's API serves the test's key from
 * its cache: from then on a mutation needs PostgreSQL only for the order itself.
 */
async function inputWithKeyCached(system: Awaited<ReturnType<typeof systemBehindProxy>>['system']) {
  const clientOrderId = `outage-${randomUUID()}`;
  const input = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2', clientOrderId };
  // the key is read while PostgreSQL answers and kept once the cache's listener is up
  expect((await executeMarketOrder(system.url, { ...input, clientOrderId: `${clientOrderId}-before` })).__typename).toBe('ExecuteMarketOrderSuccess');
  await expect.poll(() => system.runtime.services.accounts.servesCachedKeys, { timeout: 10_000 }).toBe(true);
  expect((await executeMarketOrder(system.url, { ...input, clientOrderId: `${clientOrderId}-cached` })).__typename).toBe('ExecuteMarketOrderSuccess');
  return { input, clientOrderId };
}

it('answers with the order id, never "nothing was stored", when PostgreSQL goes away with the order on its way', async () => {
  const { proxy, system } = await systemBehindProxy({ worker: false });
  const { input, clientOrderId } = await inputWithKeyCached(system);

  proxy.dropAnswers();
  const answer = executeMarketOrder(system.url, input);
  // the INSERT reaches PostgreSQL and commits; its answer never comes back, and then the connection breaks
  let storedId: string | undefined;
  try {
    await expect.poll(() => storedIds(clientOrderId), { timeout: 10_000 }).toHaveLength(1);
    [storedId] = await storedIds(clientOrderId);
  } finally {
    await proxy.cut();
  }
  expect(await answer).toMatchObject({ __typename: 'ServiceUnavailableError', orderId: storedId, message: expect.stringMatching(/may have been accepted/) });

  // once PostgreSQL is back, the same clientOrderId finds that order instead of placing a second one
  await proxy.restore();
  expect(await executeMarketOrder(system.url, input)).toMatchObject({ __typename: 'ExecuteMarketOrderSuccess', order: { id: storedId } });
  expect(await storedIds(clientOrderId)).toEqual([storedId]);
});

it('answers a mutation after DATABASE_QUERY_TIMEOUT_MS when PostgreSQL goes silent, and the same clientOrderId places the order once it answers again', async () => {
  const { proxy, system } = await systemBehindProxy({ worker: false, databaseQueryTimeoutMs: 500 });
  const { input, clientOrderId } = await inputWithKeyCached(system);

  // a silent partition: nothing arrives either way and no connection breaks
  proxy.blackhole();
  const answer = await executeMarketOrder(system.url, input);
  // the INSERT was sent, so whether it committed is unknown to the API: it never says "nothing was stored"
  expect(answer).toMatchObject({ __typename: 'ServiceUnavailableError', orderId: expect.any(String), message: expect.stringMatching(/may have been accepted/) });
  proxy.heal();

  // here it never reached PostgreSQL: the same clientOrderId places it now, once
  expect(await storedIds(clientOrderId)).toEqual([]);
  expect(await executeMarketOrder(system.url, input)).toMatchObject({ __typename: 'ExecuteMarketOrderSuccess' });
  expect(await storedIds(clientOrderId)).toHaveLength(1);
});

it('lets a worker whose statement goes unanswered in a silent partition retry it after DATABASE_QUERY_TIMEOUT_MS and finish the order once', async () => {
  const { proxy, system } = await systemBehindProxy({ sim: { confirmMs: { min: 1500, max: 1500 } }, databaseQueryTimeoutMs: 500 });
  await confirmThroughOutage(system, async () => {
    // the confirmation falls due in the partition: its statement is lost on the way, and without
    // the timeout the worker would wait for its answer until the kernel gave up on the connection
    proxy.blackhole();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    proxy.heal();
  });
});
