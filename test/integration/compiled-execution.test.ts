// Operations run compiled (graphql-jit, src/compiled-execution.ts) from their second execution
// on: a client must not be able to tell. Each query and mutation here is sent three times over
// HTTP, the first executed by the generic executor and the next two compiled, and every answer,
// status, data and errors alike, must be the first one again; every subscribe of a subscription's
// document, over WebSocket or SSE, must stream what the first one streamed, whatever its
// variables are named.
import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { scrape, sample } from '../support/metrics.js';
import { collect, collectSse, wsClient } from '../support/clients.js';
import { ExecuteMarketOrder, OrderDetails, OrderStatusUpdates, OrdersPage, SimulatedSwaps } from '../support/operations.js';
import { expectCompleteSequence, followOrder, signal, submitOrder, systemForThisTest } from '../support/orders.js';
import { postGraphQL } from '../support/raw-graphql.js';
import { sqlOn } from '../support/sql.js';

type Case = { name: string; query: string; variables?: Record<string, unknown> };

/** The same request three times: the first answer, and the next two. */
async function thrice(url: string, key: string, { query, variables }: Case) {
  const send = async () => {
    const response = await postGraphQL(url, query, { key, variables });
    return { status: response.status, body: response.body };
  };
  const first = await send();
  return { first, again: [await send(), await send()] };
}

const compiledCount = async (url: string, operationName: string) =>
  sample(await scrape(new URL('/metrics', url)), 'graphql_compiled_operations_total', { operationName }) ?? 0;

describe('repeated operations', () => {
  it('answer exactly what their first, uncompiled execution answered, data and errors alike', async () => {
    const system = await systemForThisTest();
    const input = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5', clientOrderId: `jit-${randomUUID()}` };
    const order = await submitOrder(system.url, input);
    const other = await submitOrder(system.url, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '25', slippageBps: 100 });
    // finished, so nothing changes between the repeats
    expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');
    expect((await followOrder(system.url, other.id)).at(-1)?.status).toBe('CONFIRMED');

    const cases: Case[] = [
      // nested lists, Decimal and DateTime scalars, enums, a JSON column's quotes
      { name: 'OrderDetails', query: print(OrderDetails), variables: { id: order.id } },
      { name: 'OrderDetails of an unknown id (null)', query: print(OrderDetails), variables: { id: randomUUID() } },
      // a connection with cursors, and its typed error for a bad cursor
      { name: 'OrdersPage', query: print(OrdersPage), variables: { first: 5 } },
      { name: 'OrdersPage of a status', query: print(OrdersPage), variables: { first: 5, status: 'CONFIRMED' } },
      { name: 'OrdersPage after a bad cursor', query: print(OrdersPage), variables: { first: 5, after: 'not-a-cursor' } },
      { name: 'SimulatedSwaps', query: print(SimulatedSwaps), variables: { orderId: order.id } },
      // the mutation: a ValidationError member of its result union, and a repeat of the first order
      { name: 'ExecuteMarketOrder refused', query: print(ExecuteMarketOrder), variables: { input: { tokenIn: 'DOGE', tokenOut: '', amountIn: '1e5' } } },
      { name: 'ExecuteMarketOrder repeated', query: print(ExecuteMarketOrder), variables: { input } },
      // variables that do not coerce: refused before anything runs, compiled or not
      { name: 'ExecuteMarketOrder without tokenIn', query: print(ExecuteMarketOrder), variables: { input: { tokenOut: 'USDC', amountIn: '1' } } },
      { name: 'ExecuteMarketOrder with a JSON number for amountIn', query: print(ExecuteMarketOrder), variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: 1.5 } } },
      { name: 'ExecuteMarketOrder with an unknown input field', query: print(ExecuteMarketOrder), variables: { input: { ...input, clientOrderId: undefined, price: '1' } } },
      // an object the schema makes non-null at its root, and an anonymous operation
      { name: 'anonymous query', query: '{ orders(first: 2) { pageInfo { hasNextPage } edges { node { amountIn amountOut tokenOut } } } }' },
      // a review's: an error of a field with literal arguments (its locations), and fields of a
      // union member selected by two fragments, an interface's and the member's (their order)
      { name: 'literal bad cursor', query: 'query LiteralCursor { orders(first: 1, after: "zzz") { edges { cursor } } }' },
      // a fragment before fields of its own set (graphql-jit takes the set's fields first): on
      // graphql-js; a fragment after them: compiled, in the same order
      { name: 'fragment then fields', query: 'query FragmentThenFields($id: ID!) { order(id: $id) { ...Amounts status } } fragment Amounts on Order { id amountIn amountOut }', variables: { id: order.id } },
      { name: 'fields then fragment', query: 'query FieldsThenFragment($id: ID!) { order(id: $id) { status ...Amounts } } fragment Amounts on Order { id amountIn amountOut }', variables: { id: order.id } },
      // a review's: @skip / @include, which graphql-jit applies at run time and shares between a
      // fragment's uses (fields reordered, or lost): on graphql-js
      {
        name: 'skipped field',
        query: 'query Skipped($id: ID!, $i: Boolean!) { order(id: $id) { status @include(if: $i) ...Amounts } } fragment Amounts on Order { id status }',
        variables: { id: order.id, i: false },
      },
      {
        name: 'fragment included in one place only',
        query: 'query IncludedOnce($id: ID!, $i: Boolean!) { x: order(id: $id) { ...Amounts @include(if: $i) } y: order(id: $id) { ...Amounts } } fragment Amounts on Order { id status }',
        variables: { id: order.id, i: false },
      },
      {
        name: 'union member through two fragments',
        query: 'mutation TwoFragments($input: ExecuteMarketOrderInput!) { executeMarketOrder(input: $input) { __typename ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }',
        variables: { input: { tokenIn: 'DOGE', tokenOut: 'USDC', amountIn: '1' } },
      },
    ];
    for (const c of cases) {
      const { first, again } = await thrice(system.url, system.key, c);
      // as text: the same fields in the same order (the selection set's), not only equal values
      expect(again.map((answer) => JSON.stringify(answer)), c.name).toEqual([JSON.stringify(first), JSON.stringify(first)]);
    }

    // the answers above were worth comparing: real data and real errors came back
    const details = (await thrice(system.url, system.key, cases[0]!)).first.body.data as { order: { events: unknown[]; routingDecisions: unknown[] } };
    expect(details.order.events).toHaveLength(5);
    expect(details.order.routingDecisions).toHaveLength(1);
    const badCursor = (await thrice(system.url, system.key, cases[4]!)).first.body;
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // a variable that does not coerce: graphql-js's answer, HTTP 400 with the scalar's own message
    const number = (await thrice(system.url, system.key, cases.find((c) => c.name.includes('JSON number'))!)).first;
    expect(number.status).toBe(400);
    expect(number.body.errors?.[0]?.message).toMatch(/\$input.*amountIn.*Decimal must be a string/);

    // an unexpected error inside a field (a routing decision whose stored quotes are not a list):
    // masked alike, with the data around it, compiled or not
    await sqlOn(process.env.DATABASE_URL!, `UPDATE routing_decisions SET quotes = '{"not": "a list"}' WHERE order_id = $1`, [other.id]);
    const corrupted = await thrice(system.url, system.key, { name: 'OrderDetails of a corrupted order', query: print(OrderDetails), variables: { id: other.id } });
    expect(corrupted.again).toEqual([corrupted.first, corrupted.first]);
    expect(corrupted.first.body.errors).toEqual([expect.objectContaining({ message: 'Unexpected error.', path: ['order', 'routingDecisions', 0, 'quotes'] })]);
    expect(JSON.stringify(corrupted.first.body)).not.toMatch(/map|TypeError|not a list/);

    // and the repeats ran compiled: each document compiled once, on its second execution
    for (const name of ['OrderDetails', 'OrdersPage', 'SimulatedSwaps', 'ExecuteMarketOrder', 'Anonymous', 'LiteralCursor', 'FieldsThenFragment']) {
      expect(await compiledCount(system.url, name), name).toBe(1);
    }
    // two fragments that apply to one type (Error's and ValidationError's), and a fragment before
    // fields: graphql-jit would order their fields otherwise, so those documents stay on graphql-js
    expect(await compiledCount(system.url, 'TwoFragments')).toBe(0);
    expect(await compiledCount(system.url, 'FragmentThenFields')).toBe(0);
    expect(await compiledCount(system.url, 'Skipped')).toBe(0);
    expect(await compiledCount(system.url, 'IncludedOnce')).toBe(0);
  });

  it('stream, once compiled, the same events and errors as a subscription on graphql-js, whatever the variables are named', async () => {
    const system = await systemForThisTest({ worker: false });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.5' });
    const other = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.5' });
    // one subscriber live (its document's first subscribe: graphql-js), then two on another order
    // (compiled; the second shares the first's execution: server.ts)
    const follow = (orderId: string) => {
      const live = signal();
      const events = followOrder(system.url, orderId, (event) => event.seq === 1 && live.resolve());
      return { live: live.promise, events };
    };
    const first = follow(order.id);
    await first.live;
    const later = [follow(other.id), follow(other.id)];
    await Promise.all(later.map((c) => c.live));
    // then the worker moves both orders, and every transition reaches all three
    await system.startWorker();
    const events = await first.events;
    expectCompleteSequence(events);
    expect(events.at(-1)?.status).toBe('CONFIRMED');
    const otherEvents = await later[0]!.events;
    expectCompleteSequence(otherEvents);
    expect(otherEvents.map((e) => e.status)).toEqual(events.map((e) => e.status));
    expect(await later[1]!.events).toEqual(otherEvents);
    // the first order once more, compiled now: exactly what graphql-js streamed of it live
    expect(await followOrder(system.url, order.id)).toEqual(events);

    // a variable not named after its argument, and the id written into the document: the same
    // history on every subscribe, over WebSocket and over SSE (graphql-jit's own subscribe hands
    // the field the variables as its arguments: "order undefined not found" from the second on)
    type Streamed = { orderStatus: { seq: number; status: string } };
    const byId = parse('subscription ById($id: ID!) { orderStatus(orderId: $id) { seq status } }') as TypedDocumentNode<Streamed, { id: string }>;
    const literal = parse(`subscription { orderStatus(orderId: "${order.id}") { seq status } }`) as TypedDocumentNode<Streamed, Record<string, never>>;
    const history = events.map(({ seq, status }) => ({ seq, status }));
    const streamed = (results: { data?: Streamed | null; errors?: unknown }[]) => results.map((r) => r.data?.orderStatus ?? r.errors);
    for (let i = 0; i < 3; i++) {
      expect(streamed(await collect(wsClient(system.url), byId, { id: order.id })), `ById over WebSocket, #${i + 1}`).toEqual(history);
      expect(streamed(await collect(wsClient(system.url), literal, {})), `literal id over WebSocket, #${i + 1}`).toEqual(history);
      expect(streamed(await collectSse(system.url, byId, { id: order.id })), `ById over SSE, #${i + 1}`).toEqual(history);
    }

    // an order that does not exist: the same error every time
    const unknown = parse('subscription Unknown($orderId: ID!) { orderStatus(orderId: $orderId) { seq status } }') as TypedDocumentNode<unknown, { orderId: string }>;
    const variables = { orderId: randomUUID() };
    const [error] = await collect(wsClient(system.url), unknown, variables);
    expect(error!.errors).toMatchObject([{ message: `order ${variables.orderId} not found`, extensions: { code: 'NOT_FOUND' } }]);
    expect(await collect(wsClient(system.url), unknown, variables)).toEqual([error]);
    // and variables that do not coerce: refused alike
    const [refused] = await collect(wsClient(system.url), unknown, { orderId: { not: 'an id' } } as never);
    expect(refused!.errors?.[0]?.message).toMatch(/\$orderId/);
    expect(await collect(wsClient(system.url), unknown, { orderId: { not: 'an id' } } as never)).toEqual([refused]);
    // and from its second subscribe on, each document ran compiled
    for (const name of ['OrderStatusUpdates', 'ById', 'Anonymous', 'Unknown']) expect(await compiledCount(system.url, name), name).toBe(1);
  });

  it('leave a document of several operations to graphql-js', async () => {
    const system = await systemForThisTest();
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.5' });
    expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');

    // one document, two operations, chosen by name in turn: each request runs the one it names
    const query = `query Status($id: ID!) { order(id: $id) { status } }
                   query Page { orders(first: 1) { edges { node { id } } } }`;
    const answers = [];
    for (const operationName of ['Status', 'Page', 'Status', 'Page', 'Status', 'Page']) {
      const response = await postGraphQL(system.url, query, { key: system.key, variables: operationName === 'Status' ? { id: order.id } : {}, operationName });
      answers.push(response.body.data);
    }
    const status = { order: { status: 'CONFIRMED' } };
    const page = { orders: { edges: [{ node: { id: order.id } }] } };
    expect(answers).toEqual([status, page, status, page, status, page]);
    expect(await compiledCount(system.url, 'Status')).toBe(0);
    expect(await compiledCount(system.url, 'Page')).toBe(0);
  });
});
