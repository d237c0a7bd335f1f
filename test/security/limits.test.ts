// What one request may ask for: depth, aliases, tokens, cost, body size, operations per socket,
// time to connection_init, and which requests a browser may send cross-site. Each attempt is
// refused with its own error before any resolver runs.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CSRF_HEADER } from '../../src/security/graphql-protection.js';
import { collect, wsClient } from '../support/clients.js';
import { OrderStatusUpdates } from '../support/operations.js';
import { closeOf, firstError, postGraphQL, rawSocket, type RawResponse } from '../support/raw-graphql.js';
import { startSystem, type TestSystem } from '../support/system.js';

/** `{ order(id: …) { routingDecisions { quotes { f1 { f2 { … } } } } } }`, `depth` selections deep. */
function deepQuery(depth: number): string {
  const inner = Array.from({ length: depth - 4 }, (_, i) => `f${i}`);
  return `{ order(id: "${randomUUID()}") { routingDecisions { quotes ${inner.map((f) => `{ ${f} `).join('')}{ dex }${' }'.repeat(inner.length)} } } }`;
}

/** The errors of a response that come from a limit (the document may have other faults besides). */
const limitErrors = (response: RawResponse) => (response.body.errors ?? []).filter((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED').map((e) => e.message);

/** n aliases of a real field (armor lets `__typename` be aliased freely: it costs nothing). */
/**
 * POSTs `chunks` on a connection of its own (a server that answers 413 before reading the body
 * drops the connection, which would break the next request of a pooled fetch), and resolves with
 * the status once the response starts. `Content-Length` is sent unless `chunked`.
 */
function postOwnConnection(url: string, key: string, chunks: Buffer[], chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const req = request(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(chunked ? {} : { 'content-length': String(length) }) },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // the server may close while the body is still being sent: that is the point
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: order(id: "${i}") { id }`).join(' ')} }`;

describe('limits on what one request may ask for', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ worker: false });
  });
  afterAll(() => system.close());

  const ask = (query: string) => postGraphQL(system.url, query, { key: system.key });

  it('accepts an ordinary deep read: the order page of the README', async () => {
    const response = await ask(
      `{ orders(first: 10) { edges { node { id routingDecisions { quotes { dex amountOut fee priceImpactBps } } events { seq status } } } pageInfo { hasNextPage } } }`,
    );
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses a query 100 levels deep with the depth limit, before any resolver runs', async () => {
    const response = await ask(deepQuery(100));
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(limitErrors(response)).toContainEqual(expect.stringMatching(/^Query depth limit of 10 exceeded, found 100\.$/));
  });

  it('refuses 1,000 aliases (the token limit stops such a document in the parser) and 16 aliases (the alias limit)', async () => {
    const thousand = await ask(aliases(1000));
    expect(thousand.status).toBe(400);
    expect(thousand.body.data).toBeUndefined();
    expect(firstError(thousand).message).toMatch(/Token limit of 1000 exceeded/);

    const sixteen = await ask(aliases(16));
    expect(sixteen.status).toBe(400);
    expect(sixteen.body.data).toBeUndefined();
    expect(limitErrors(sixteen)).toEqual(['Aliases limit of 15 exceeded, found 16.']);
    expect((await ask(aliases(15))).body.data).toBeDefined();
  });

  it('applies the same limits to operations over graphql-ws', async () => {
    const client = wsClient(system.url);
    try {
      const outcome = await new Promise<unknown>((resolve) =>
        client.subscribe({ query: deepQuery(100) }, { next: resolve, error: resolve, complete: () => resolve('complete') }),
      );
      expect(JSON.stringify(outcome)).toMatch(/Query depth limit of 10 exceeded/);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an oversized request body with 413, by its Content-Length, before running anything', async () => {
    const clientOrderId = `big-${randomUUID()}`;
    const body = JSON.stringify({
      query: `mutation { executeMarketOrder(input: { tokenIn: "SOL", tokenOut: "USDC", amountIn: "1", clientOrderId: "${clientOrderId}" }) { __typename } }`,
      pad: 'x'.repeat(system.config.security.maxRequestBytes),
    });
    const response = await postOwnConnection(system.url, system.key, [Buffer.from(body)], false);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }] });
    expect(await system.runtime.prisma.order.count({ where: { clientOrderId } })).toBe(0);
  });

  it('refuses an oversized body sent without a Content-Length (chunked) with 413 too, counting as it arrives', async () => {
    const chunk = Buffer.from(`{"query":"{ __typename }","pad":"${'y'.repeat(16_384)}`);
    const chunks = Array.from({ length: Math.ceil((system.config.security.maxRequestBytes * 2) / chunk.length) }, () => chunk);
    const response = await postOwnConnection(system.url, system.key, chunks, true);
    expect(response.status).toBe(413);
  });

  it('answers a chunked body within the limit, whole however it was split', async () => {
    const body = Buffer.from(JSON.stringify({ query: '{ __typename }', extensions: { pad: 'w'.repeat(40_000) } }));
    const chunks = [body.subarray(0, 7), body.subarray(7, 20_000), body.subarray(20_000)];
    const response = await postOwnConnection(system.url, system.key, chunks, true);
    expect({ status: response.status, body: JSON.parse(response.body) }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('closes a WebSocket that sends a message over the size limit (1009)', async () => {
    const socket = rawSocket(system.url);
    const closed = closeOf(socket);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'z'.repeat(system.config.security.maxRequestBytes) } })));
    expect((await closed).code).toBe(1009);
  });

  it('refuses a GET query without the CSRF header (403), which a cross-site page could send', async () => {
    const url = `${system.url}?query=${encodeURIComponent('{ __typename }')}`;
    const auth = { authorization: `Bearer ${system.key}` };
    expect((await fetch(url, { headers: auth })).status).toBe(403);
    expect((await fetch(url, { headers: { ...auth, [CSRF_HEADER]: '1' } })).status).toBe(200);
    const form = await fetch(system.url, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' });
    expect(form.status).toBe(403);
  });

  it('lets GraphiQL introspect the schema within the limits', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const response = await ask(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }));
    expect(response.body.errors).toBeUndefined();
    expect((response.body.data as any).__schema.queryType.name).toBe('Query');
  });
});

describe('limits on WebSocket connections', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ worker: false, security: { wsMaxSubscriptions: 2, wsConnectionInitTimeoutMs: 300 } });
  });
  afterAll(() => system.close());

  it('closes a WebSocket that never sends connection_init with 4408', async () => {
    const socket = rawSocket(system.url);
    const t0 = Date.now();
    const { code } = await closeOf(socket);
    expect(code).toBe(4408);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('refuses an operation past the maximum number running on one connection', async () => {
    // a worker-less system: PENDING orders whose streams stay open
    const orderIds = await Promise.all(
      [1, 2].map(async () => {
        const submitted = await postGraphQL(system.url, 'mutation { executeMarketOrder(input: { tokenIn: "SOL", tokenOut: "USDC", amountIn: "1" }) { ... on ExecuteMarketOrderSuccess { order { id } } } }', { key: system.key });
        return (submitted.body.data as any).executeMarketOrder.order.id as string;
      }),
    );
    const client: Client = createClient({
      url: system.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${system.key}` },
    });
    try {
      const firstEvents = orderIds.map(
        (orderId) => new Promise<void>((resolve) => client.subscribe({ query: print(OrderStatusUpdates), variables: { orderId } }, { next: () => resolve(), error: () => undefined, complete: () => undefined })),
      );
      await Promise.all(firstEvents);
      const third = await collect(client, OrderStatusUpdates, { orderId: orderIds[0]! }).catch((error: Error) => error.message);
      expect(third).toMatch(/too many operations on this connection \(at most 2\)/);
    } finally {
      await client.dispose();
    }
  });
});

describe('cost, introspection and GraphiQL switched for production', () => {
  let system: TestSystem;
  beforeAll(async () => {
    // a token limit high enough for the alias limit to be what stops 1,000 aliases
    system = await startSystem({ worker: false, security: { maxCost: 40, maxTokens: 20_000, introspection: false, graphiql: false } });
  });
  afterAll(() => system.close());

  it('refuses a query over the cost limit', async () => {
    const response = await postGraphQL(
      system.url,
      `{ orders { edges { node { id status tokenIn tokenOut amountIn amountOut routingDecisions { quotes { dex amountOut fee priceImpactBps } } events { seq status at } } } } }`,
      { key: system.key },
    );
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(limitErrors(response)).toEqual([expect.stringMatching(/^Query Cost limit of 40 exceeded, found [\d.]+\.$/)]);
  });

  it('refuses 1,000 aliases with the alias limit when the token limit lets the document through', async () => {
    const response = await postGraphQL(system.url, aliases(1000), { key: system.key });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(limitErrors(response)).toContain('Aliases limit of 15 exceeded, found 1000.');
  });

  it('refuses introspection over HTTP and WebSocket, and gives no field suggestions', async () => {
    const http = await postGraphQL(system.url, '{ __schema { types { name } } }', { key: system.key });
    expect(http.status).toBe(400);
    expect(firstError(http).message).toMatch(/introspection/i);

    const client = wsClient(system.url);
    try {
      const outcome = await new Promise<unknown>((resolve) =>
        client.subscribe({ query: '{ __type(name: "Order") { fields { name } } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') }),
      );
      expect(JSON.stringify(outcome)).toMatch(/introspection/i);
    } finally {
      await client.dispose();
    }

    const typo = await postGraphQL(system.url, '{ order(id: "x") { statu } }', { key: system.key });
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
  });

  it('serves no GraphiQL page', async () => {
    const page = await fetch(system.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });
});
