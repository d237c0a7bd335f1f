// Who gets in: every attempt without a valid key is refused, over HTTP, SSE and WebSocket, and
// nothing is read or written for it.
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, collectSse, wsClient } from '../support/clients.js';
import { sample, scrape } from '../support/metrics.js';
import { OrderStatusUpdates } from '../support/operations.js';
import { postGraphQL, firstError } from '../support/raw-graphql.js';
import { startSystem, type TestSystem } from '../support/system.js';
import { failAsAWorkerWould } from '../support/orders.js';

const ORDER_MUTATION = `mutation ($input: ExecuteMarketOrderInput!) {
  executeMarketOrder(input: $input) { __typename ... on ExecuteMarketOrderSuccess { order { id } } }
}`;

describe('authentication', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system.close());

  const orderInput = (clientOrderId: string) => ({ input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1', clientOrderId } });
  const storedWith = (clientOrderId: string) => system.runtime.prisma.order.count({ where: { clientOrderId } });

  /** A mutation sent with `key` (or none): refused with 401 UNAUTHENTICATED, no data, no order stored. */
  async function expectRefused(key: string | undefined, message: RegExp) {
    const clientOrderId = `auth-${randomUUID()}`;
    const response = await postGraphQL(system.url, ORDER_MUTATION, { key, variables: orderInput(clientOrderId) });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors).toHaveLength(1);
    expect(firstError(response)).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringMatching(message) });
    expect(response.body.errors![0]!.extensions).not.toHaveProperty('http');
    expect(await storedWith(clientOrderId)).toBe(0);
  }

  it('accepts a valid key', async () => {
    const response = await postGraphQL(system.url, ORDER_MUTATION, { key: system.key, variables: orderInput(`auth-${randomUUID()}`) });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ executeMarketOrder: { __typename: 'ExecuteMarketOrderSuccess' } });
  });

  it('refuses a request without a key, with 401 and UNAUTHENTICATED, and stores nothing', async () => {
    await expectRefused(undefined, /authentication required/);
  });

  it('refuses a wrong key, a key of the right shape that was never issued, and a non-Bearer value', async () => {
    await expectRefused('not-a-key', /invalid or revoked API key/);
    await expectRefused(`dex_${'1'.repeat(44)}`, /invalid or revoked API key/);
    await expectRefused(system.key.slice(0, -1) + (system.key.endsWith('a') ? 'b' : 'a'), /invalid or revoked API key/);
    const response = await postGraphQL(system.url, '{ orders { edges { node { id } } } }', { headers: { authorization: `Basic ${system.key}` } });
    expect(response.status).toBe(401);
  });

  it('refuses queries too, with no data: an unauthenticated caller reads nothing', async () => {
    const response = await postGraphQL(system.url, '{ orders(first: 5) { edges { node { id } } } }');
    expect(response.status).toBe(401);
    expect(response.body.data ?? null).toBeNull();
  });

  it('checks the key before the document: a caller without one learns nothing from validation and names nothing in /metrics', async () => {
    const probe = `Probe_${randomUUID().replaceAll('-', '_')}`;
    const metricsUrl = new URL('/metrics', system.url);
    const refusedBefore = sample(await scrape(metricsUrl), 'graphql_unauthenticated_requests_total') ?? 0;
    // a field the schema does not have: validation would say so, and the name would become a label
    const unknownField = await postGraphQL(system.url, `query ${probe} { nope }`);
    expect(unknownField.status).toBe(401);
    expect(firstError(unknownField)).toMatchObject({ code: 'UNAUTHENTICATED' });
    const valid = await postGraphQL(system.url, `query ${probe}_valid { __typename }`);
    expect(valid.status).toBe(401);
    // the same with a key: its name is a label, as an operation's is
    const keyed = await postGraphQL(system.url, `query ${probe}_keyed { __typename }`, { key: system.key });
    expect(keyed.status).toBe(200);

    const metrics = await scrape(metricsUrl);
    const names = new Set([...metrics.matchAll(/operationName="(\w+)"/g)].map((match) => match[1]));
    expect([...names].filter((name) => name!.startsWith(probe))).toEqual([`${probe}_keyed`]);
    // the refusals are counted all the same, with no name
    expect(sample(metrics, 'graphql_unauthenticated_requests_total')).toBe(refusedBefore + 2);
  });

  it('refuses a revoked key over HTTP', async () => {
    const { key } = await system.issueKey();
    expect((await postGraphQL(system.url, '{ orders(first: 1) { edges { cursor } } }', { key })).status).toBe(200);
    expect(await system.runtime.services.accounts.revokeKey(key)).toBe(true);
    await expectRefused(key, /invalid or revoked API key/);
  });

  it('refuses a subscription over SSE without a valid key', async () => {
    await expect(collectSse(system.url, OrderStatusUpdates, { orderId: randomUUID() }, null)).rejects.toThrow();
    await expect(collectSse(system.url, OrderStatusUpdates, { orderId: randomUUID() }, 'dex_wrong')).rejects.toThrow();
  });

  it('serves the GraphiQL page without a key, and nothing else', async () => {
    const page = await fetch(system.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
    const introspection = await postGraphQL(system.url, '{ __schema { queryType { name } } }');
    expect(introspection.status).toBe(401);
  });
});

describe('authentication over graphql-ws', () => {
  let system: TestSystem;
  const clients: Client[] = [];
  beforeAll(async () => {
    system = await startSystem({ worker: false });
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await system.close();
  });

  /** A client that records how its socket was closed. */
  function clientWith(connectionParams: Record<string, unknown>) {
    let resolveClosed!: (close: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
    const client = createClient({
      url: system.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      // one socket for the client's whole life, so "on an open connection" means what it says
      lazy: false,
      // the refused connections' close events are what the tests look at, not noise to print
      onNonLazyError: () => undefined,
      connectionParams,
      on: { closed: (event) => resolveClosed({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
    });
    clients.push(client);
    return { client, closed };
  }

  const subscribe = (client: Client, orderId: string) =>
    new Promise<{ errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>((resolve, reject) => {
      const results: unknown[] = [];
      client.subscribe(
        { query: print(OrderStatusUpdates), variables: { orderId } },
        {
          next: (result) => results.push(result),
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(results[0] as { errors?: [] }),
        },
      );
    });

  // the reason says what HTTP's error says, so that a client can tell the user which it was
  it('closes a connection without a key with 4403 at connection_init, saying where the key goes', async () => {
    const { closed } = clientWith({});
    expect(await closed).toEqual({ code: 4403, reason: 'authentication required: send an API key as connectionParams.authorization "Bearer <key>"' });
  });

  it('closes a connection with a wrong key with 4403, saying the key was refused', async () => {
    const { closed } = clientWith({ authorization: 'Bearer dex_nope' });
    expect(await closed).toEqual({ code: 4403, reason: 'invalid or revoked API key' });
  });

  it.each(['Authorization', 'AUTHORIZATION'])('reads the key from connectionParams.%s as well, a header name in any case', async (name) => {
    const { key } = await system.issueKey();
    const { client } = clientWith({ [name]: `Bearer ${key}` });
    // an unknown order: the key is accepted, the answer is NOT_FOUND
    expect((await subscribe(client, randomUUID())).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('checks the key again on every subscribe: a key revoked on an open connection stops working at once', async () => {
    const { key } = await system.issueKey();
    const { client } = clientWith({ authorization: `Bearer ${key}` });
    // an unknown order: the key is accepted, the answer is NOT_FOUND
    const before = await subscribe(client, randomUUID());
    expect(before.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    expect(await system.runtime.services.accounts.revokeKey(key)).toBe(true);

    let closedMeanwhile = false;
    client.on('closed', () => (closedMeanwhile = true));
    const after = await subscribe(client, randomUUID());
    expect(closedMeanwhile).toBe(false);
    expect(after.errors).toHaveLength(1);
    expect(after.errors![0]).toMatchObject({ message: 'invalid or revoked API key', extensions: { code: 'UNAUTHENTICATED' } });
    expect(after.errors![0]!.extensions).not.toHaveProperty('http');
  });

  it('lets a subscription that was streaming when its key was revoked run to its end', async () => {
    const { key } = await system.issueKey();
    const placed = await postGraphQL(system.url, ORDER_MUTATION, { key, variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' } } });
    const orderId = (placed.body.data as { executeMarketOrder: { order: { id: string } } }).executeMarketOrder.order.id;
    const { client } = clientWith({ authorization: `Bearer ${key}` });
    const statuses: string[] = [];
    let streaming!: () => void;
    const started = new Promise<void>((resolve) => (streaming = resolve));
    const ended = new Promise<string>((resolve) => {
      client.subscribe(
        { query: print(OrderStatusUpdates), variables: { orderId } },
        {
          next: (result) => {
            const event = (result.data as { orderStatus?: { status: string } } | undefined)?.orderStatus;
            statuses.push(event?.status ?? JSON.stringify(result.errors));
            streaming();
          },
          error: (error) => resolve(`error: ${JSON.stringify(error)}`),
          complete: () => resolve('complete'),
        },
      );
    });
    await started;
    expect(await system.runtime.services.accounts.revokeKey(key)).toBe(true);

    // this system has no worker: the order fails as a worker would fail it, each step published
    await failAsAWorkerWould(system, orderId);
    expect(await ended).toBe('complete');
    expect(statuses).toEqual(['PENDING', 'ROUTING', 'FAILED']);
  });

  it('accepts the key bare, without "Bearer ", as many graphql-ws clients send it', async () => {
    const { client } = clientWith({ authorization: system.key });
    const result = await subscribe(client, randomUUID());
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lets the test clients in with the system key by default', async () => {
    const results = await collect(wsClient(system.url), OrderStatusUpdates, { orderId: randomUUID() });
    expect(results[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
