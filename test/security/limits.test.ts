// What one request may ask for: depth, aliases, tokens, cost, directives, page size, body size,
// operations per socket, time to connection_init, and which requests a browser may send
// cross-site. Each attempt is refused with its own error before any resolver runs (a page over
// the size limit is cut to it instead).
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { print, type FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CSRF_HEADER } from '../../src/security/graphql-protection.js';
import { collect, collectSse, httpData, wsClient } from '../support/clients.js';
import { OrdersPage, OrderStatusUpdates } from '../support/operations.js';
import { failAsAWorkerWould, signal, submitOrder, systemForThisTest } from '../support/orders.js';
import { closeOf, firstError, postGraphQL, rawSocket, type RawResponse } from '../support/raw-graphql.js';
import { startSystem, type TestSystem } from '../support/system.js';

/** `{ order(id: …) { routingDecisions { quotes { f1 { f2 { … } } } } } }`, `depth` selections deep. */
function deepQuery(depth: number): string {
  const inner = Array.from({ length: depth - 4 }, (_, i) => `f${i}`);
  return `{ order(id: "${randomUUID()}") { routingDecisions { quotes ${inner.map((f) => `{ ${f} `).join('')}{ dex }${' }'.repeat(inner.length)} } } }`;
}

/** The errors of a response that come from a limit (the document may have other faults besides). */
const limitErrors = (response: RawResponse) => (response.body.errors ?? []).filter((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED').map((e) => e.message);

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

/** n aliases of a real field (armor lets `__typename` be aliased freely: it costs nothing). */
const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: order(id: "${i}") { id }`).join(' ')} }`;

/** A mutation that stores an order under `clientOrderId` if it runs at all, selecting `selection` of its result. */
const orderMutation = (clientOrderId: string, selection = '__typename') =>
  `mutation { executeMarketOrder(input: { tokenIn: "SOL", tokenOut: "USDC", amountIn: "1", clientOrderId: "${clientOrderId}" }) { ${selection} } }`;

/** n directives, on as many `__typename`s (one field may not repeat @include). */
const directives = (n: number) => '__typename @include(if: true) '.repeat(n);

type WireError = { message: string; extensions?: Record<string, unknown> };
const messagesAndCodes = (errors: readonly WireError[] | undefined) => (errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code }));

/** What graphql-ws delivers for one operation: the errors it was refused with, or its first result. */
function overWebSocket(url: string, query: string): Promise<unknown> {
  const client = wsClient(url);
  return new Promise<unknown>((resolve) => client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('complete') })).finally(() => client.dispose());
}

/**
 * Sends `orderMutation(clientOrderId, selection)` over HTTP and over graphql-ws. Both must refuse it
 * before it runs (HTTP 400, no data; an error message on the socket) with the same errors, and no
 * order may be stored. Returns those errors as { message, code }.
 */
async function refusedAlike(system: TestSystem, selection: string) {
  const clientOrderId = `limit-${randomUUID()}`;
  const query = orderMutation(clientOrderId, selection);
  const http = await postGraphQL(system.url, query, { key: system.key });
  expect(http.status).toBe(400);
  expect(http.body.data).toBeUndefined();
  const ws = await overWebSocket(system.url, query);
  // graphql-ws reports a refused operation as an array of errors, not as a result
  expect(Array.isArray(ws), JSON.stringify(ws)).toBe(true);
  // the same errors whole: messages, locations and extensions (Yoga's HTTP-only `http` in neither)
  expect(ws).toEqual(http.body.errors);
  expect(await system.runtime.prisma.order.count({ where: { clientOrderId } })).toBe(0);
  return messagesAndCodes(http.body.errors);
}

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
    // a client that accepts only application/json gets 200, as the GraphQL over HTTP spec has it,
    // with the same error and code (README, Limits)
    const plain = await postGraphQL(system.url, aliases(16), { key: system.key, headers: { accept: 'application/json' } });
    expect(plain.status).toBe(200);
    expect(plain.body.errors).toEqual(sixteen.body.errors);
  });

  it('refuses an operation with 51 directives with the directives limit and runs nothing; 50 pass', async () => {
    const over = `limit-${randomUUID()}`;
    const refused = await ask(orderMutation(over, directives(51)));
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(messagesAndCodes(refused.body.errors)).toEqual([{ message: 'Directives limit of 50 exceeded, found 51.', code: 'QUERY_LIMIT_EXCEEDED' }]);
    expect(await system.runtime.prisma.order.count({ where: { clientOrderId: over } })).toBe(0);

    const atLimit = `limit-${randomUUID()}`;
    const accepted = await ask(orderMutation(atLimit, directives(50)));
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.body.data).toEqual({ executeMarketOrder: { __typename: 'ExecuteMarketOrderSuccess' } });
    expect(await system.runtime.prisma.order.count({ where: { clientOrderId: atLimit } })).toBe(1);
  });

  it('refuses operations over the alias, token and directives limits over graphql-ws exactly as over HTTP, running nothing', async () => {
    const sixteenAliases = `... on ExecuteMarketOrderSuccess { order { ${Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    expect(await refusedAlike(system, sixteenAliases)).toEqual([{ message: 'Aliases limit of 15 exceeded, found 16.', code: 'QUERY_LIMIT_EXCEEDED' }]);
    // the parser gives up at the token limit, so its error is a parse failure: there is no document to validate
    expect(await refusedAlike(system, '__typename '.repeat(1000))).toEqual([{ message: 'Syntax Error: Token limit of 1000 exceeded.', code: 'GRAPHQL_PARSE_FAILED' }]);
    expect(await refusedAlike(system, directives(51))).toEqual([{ message: 'Directives limit of 50 exceeded, found 51.', code: 'QUERY_LIMIT_EXCEEDED' }]);
  });

  it('gives a syntax error GRAPHQL_PARSE_FAILED over graphql-ws, and HTTP its 400 after graphql-ws parsed the same text first', async () => {
    // texts no one has sent before: the parser's cache keeps each one's error, code and all
    const unfinished = `query Unfinished${randomUUID().replaceAll('-', '')} { orders(first: 1) {`;
    const tooManyTokens = `{ ${'__typename '.repeat(1000)}}# ${randomUUID()}`;
    for (const query of [unfinished, tooManyTokens]) {
      const ws = (await overWebSocket(system.url, query)) as WireError[];
      expect(messagesAndCodes(ws)).toEqual([{ message: expect.stringMatching(/^Syntax Error: /), code: 'GRAPHQL_PARSE_FAILED' }]);
      const http = await ask(query);
      expect(http.status).toBe(400);
      expect(http.body.errors).toEqual(ws);
    }
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

  it('refuses a GET query with neither the key nor the CSRF header (403), which a cross-site page could send', async () => {
    const url = `${system.url}?query=${encodeURIComponent('{ __typename }')}`;
    const auth = { authorization: `Bearer ${system.key}` };
    const refused = await fetch(url);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ errors: [{ message: 'Required CSRF header(s) not present' }] });
    // a page cannot send Authorization cross-site without a preflight: a client's GET with its key passes
    expect((await fetch(url, { headers: auth })).status).toBe(200);
    expect((await fetch(url, { headers: { ...auth, [CSRF_HEADER]: '1' } })).status).toBe(200);
    // the CSRF header alone gets as far as authentication
    expect((await fetch(url, { headers: { [CSRF_HEADER]: '1' } })).status).toBe(401);
    const form = { method: 'POST', body: 'query=%7B__typename%7D' };
    expect((await fetch(system.url, { ...form, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(403);
  });

  it('refuses a text/plain POST without the key or the CSRF header (403), which a cross-site page could send, and runs nothing', async () => {
    // a browser's fetch() of a string body sends "text/plain;charset=UTF-8" without a preflight
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8']) {
      const clientOrderId = `csrf-${randomUUID()}`;
      const post = (headers: Record<string, string>) =>
        fetch(system.url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body: JSON.stringify({ query: orderMutation(clientOrderId) }) });
      const response = await post({});
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ errors: [{ message: 'Required CSRF header(s) not present' }] });
      // with the key (which a cross-site page cannot send unpreflighted) it passes the check, but
      // no GraphQL body comes as plain text
      const unreadable = await post({ authorization: `Bearer ${system.key}` });
      expect(unreadable.status).toBe(415);
      expect(await unreadable.json()).toEqual({
        errors: [{ message: `cannot read a body of content type ${contentType}: send application/json`, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }],
      });
      expect(await system.runtime.prisma.order.count({ where: { clientOrderId } })).toBe(0);
    }
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
      // collect rejects with the error message's payload as JSON
      const third = await collect(client, OrderStatusUpdates, { orderId: orderIds[0]! }).then(
        (results) => results,
        (error: Error) => JSON.parse(error.message) as unknown,
      );
      expect(third).toEqual([{ message: 'too many operations on this connection (at most 2)', extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
    } finally {
      await client.dispose();
    }
  });
});

describe('the time a request may take to arrive', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ worker: false, security: { httpRequestTimeoutMs: 300 } });
  });
  afterAll(() => system.close());

  /** Sends `text` on a TCP connection of its own and never more; resolves with all it got back once the server closes it. */
  function sendAndWait(text: string): Promise<string> {
    const { hostname, port } = new URL(system.url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(text));
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
    });
  }

  it('answers 408 and closes a connection whose body stops arriving, or whose headers never end', async () => {
    // as a slowloris client does: a body announced, one byte of it sent, the rest never
    const body = await sendAndWait(`POST /graphql HTTP/1.1\r\nHost: ${new URL(system.url).host}\r\nContent-Type: application/json\r\nContent-Length: 99999\r\n\r\n{`);
    expect(body).toMatch(/^HTTP\/1\.1 408 /);
    const headers = await sendAndWait(`POST /graphql HTTP/1.1\r\nHost: ${new URL(system.url).host}\r\nContent-Type: appl`);
    expect(headers).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('lets an SSE stream, a response, run past that time', async () => {
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    const first = signal();
    const streamed = collectSse(system.url, OrderStatusUpdates, { orderId: order.id }, undefined, () => first.resolve());
    await first.promise;
    // three times the request timeout, and Node's check of it runs every 300 ms
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await failAsAWorkerWould(system, order.id);
    expect((await streamed).map((result) => result.data?.orderStatus.status)).toEqual(['PENDING', 'ROUTING', 'FAILED']);
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

  it('refuses an operation over the cost limit over graphql-ws exactly as over HTTP, running nothing', async () => {
    const costly = `... on ExecuteMarketOrderSuccess { order { id status tokenIn tokenOut amountIn amountOut routingDecisions { quotes { dex amountOut fee priceImpactBps } } events { seq status at } } }`;
    expect(await refusedAlike(system, costly)).toEqual([{ message: expect.stringMatching(/^Query Cost limit of 40 exceeded, found [\d.]+\.$/), code: 'QUERY_LIMIT_EXCEEDED' }]);
  });

  it('costs a page whose size is a variable as that many rows, as when it is written in the query', async () => {
    const page = (first: string) => `orders(first: ${first}) { edges { node { id } } }`;
    // 10 rows of this cost about 130, one row about 13: the limit is 40
    const inline = await postGraphQL(system.url, `{ ${page('10')} }`, { key: system.key });
    expect(inline.status).toBe(400);
    const refusal = limitErrors(inline);
    expect(refusal).toEqual([expect.stringMatching(/^Query Cost limit of 40 exceeded, found [\d.]+\.$/)]);

    const asVariable = `query Page($n: Int) { ${page('$n')} }`;
    for (const [query, variables] of [
      [asVariable, { n: 10 }],
      // as the largest page, 100, when more is asked for
      [asVariable, { n: 1_000_000 }],
      // a variable left out takes its default
      [`query Page($n: Int = 10) { ${page('$n')} }`, {}],
    ] as const) {
      const response = await postGraphQL(system.url, query, { key: system.key, variables });
      expect(response.status, JSON.stringify(variables)).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(limitErrors(response)).toEqual(variables.n === 1_000_000 ? [expect.stringMatching(/^Query Cost limit of 40 exceeded/)] : refusal);
    }
    // and over graphql-ws alike
    const client = wsClient(system.url);
    try {
      const result = await new Promise<FormattedExecutionResult>((resolve, reject) =>
        client.subscribe({ query: asVariable, variables: { n: 10 } }, { next: resolve, error: reject, complete: () => reject(new Error('completed with no result')) }),
      );
      expect(result.errors?.map((error) => [error.message, error.extensions?.['code']])).toEqual([[refusal[0], 'QUERY_LIMIT_EXCEEDED']]);
    } finally {
      await client.dispose();
    }
    // one row is within the limit, written either way
    expect((await postGraphQL(system.url, asVariable, { key: system.key, variables: { n: 1 } })).body).toEqual({ data: { orders: { edges: [] } } });
  });

  it('answers a page refused for its variable with the status of the same page refused as written, under plain application/json too', async () => {
    const page = (first: string) => `orders(first: ${first}) { edges { node { id } } }`;
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const headers = { accept };
      const inline = await postGraphQL(system.url, `{ ${page('10')} }`, { key: system.key, headers });
      const asVariable = await postGraphQL(system.url, `query Page($n: Int) { ${page('$n')} }`, { key: system.key, headers, variables: { n: 10 } });
      expect(limitErrors(inline)).toHaveLength(1);
      expect(limitErrors(asVariable), accept).toEqual(limitErrors(inline));
      expect(asVariable.status, accept).toBe(inline.status);
    }
  });

  it('costs a page given no size, or a size given as null, as the default page of 20 rows', async () => {
    const page = (first: string) => `orders${first} { edges { node { id } } }`;
    // 20 rows of this cost about 260, one row about 13: the limit is 40
    const written = await postGraphQL(system.url, `{ ${page('(first: 20)')} }`, { key: system.key });
    const refusal = limitErrors(written);
    expect(refusal).toEqual([expect.stringMatching(/^Query Cost limit of 40 exceeded, found [\d.]+\.$/)]);
    const unsized = await postGraphQL(system.url, `{ ${page('')} }`, { key: system.key });
    expect([unsized.status, limitErrors(unsized)]).toEqual([400, refusal]);
    // an explicit null is the value, in place of the variable's default (10 here): the page takes its own size
    const asNull = await postGraphQL(system.url, `query Page($n: Int = 10) { ${page('(first: $n)')} }`, { key: system.key, variables: { n: null } });
    expect([asNull.status, limitErrors(asNull)]).toEqual([400, refusal]);
    // one row is within the limit
    expect((await postGraphQL(system.url, `{ ${page('(first: 1)')} }`, { key: system.key })).body).toEqual({ data: { orders: { edges: [] } } });
  });

  it('costs the operation that runs, with its own variables and defaults, in a document of several', async () => {
    const page = (first: string) => `orders(first: ${first}) { edges { node { id } } }`;
    // the operation run declares $n = 10; another one, declared after it, $n = 1: the page is still 10 rows
    const paging = `query Page($n: Int = 10) { ${page('$n')} } query Other($n: Int = 1) { ${page('$n')} }`;
    const refused = await postGraphQL(system.url, paging, { key: system.key, operationName: 'Page' });
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(limitErrors(refused)).toEqual([expect.stringMatching(/^Query Cost limit of 40 exceeded, found [\d.]+\.$/)]);
    // and an operation that pages nothing is not refused for the page of one that does not run
    const notPaging = `query Other { __typename } query Page($n: Int) { ${page('$n')} }`;
    const served = await postGraphQL(system.url, notPaging, { key: system.key, operationName: 'Other', variables: { n: 10 } });
    expect(served.body).toEqual({ data: { __typename: 'Query' } });
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

describe('the orders page size', () => {
  it('caps orders(first:) at 100: a larger page holds 100 orders and no error, and the rest follows on the next page', async () => {
    // a system of its own: its account holds exactly these orders
    const system = await systemForThisTest({ worker: false });
    const submitted = await Promise.all(Array.from({ length: 101 }, () => submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' })));

    for (const first of [101, 1_000_000]) {
      const { orders } = await httpData(system.url, OrdersPage, { first });
      expect(orders.edges).toHaveLength(100);
      expect(orders.pageInfo.hasNextPage).toBe(true);
    }

    const page = (await httpData(system.url, OrdersPage, { first: 500 })).orders;
    const rest = (await httpData(system.url, OrdersPage, { first: 500, after: page.pageInfo.endCursor })).orders;
    expect(rest.edges).toHaveLength(1);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...page.edges, ...rest.edges].map((e) => e.node.id))).toEqual(new Set(submitted.map((o) => o.id)));
  });
});
