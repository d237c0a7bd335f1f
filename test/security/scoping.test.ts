// What an account sees: only its own orders. Another account's order id gets exactly the answer an
// unknown id gets, through every field that takes one, and clientOrderIds are per account.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, collectSse, wsClient } from '../support/clients.js';
import { OrderStatusUpdates } from '../support/operations.js';
import { postGraphQL } from '../support/raw-graphql.js';
import { startSystem, type TestSystem } from '../support/system.js';

const ORDER_READS = `query ($id: ID!) {
  order(id: $id) { id status routingDecisions { chosenDex quotes { dex amountOut } } events { seq status } }
  simulatedSwaps(orderId: $id) { signature }
}`;
const ORDERS = `{ orders(first: 100) { edges { node { id clientOrderId } } pageInfo { hasNextPage } } }`;
const SUBMIT = `mutation ($input: ExecuteMarketOrderInput!) {
  executeMarketOrder(input: $input) {
    __typename
    ... on ExecuteMarketOrderSuccess { order { id clientOrderId amountIn } }
    ... on IdempotencyConflictError { existingOrderId }
  }
}`;

describe('scoping: each account sees only its own orders', () => {
  let system: TestSystem;
  let otherKey: string;
  /** a finished order of the system's account, with routing decisions, events and a swap */
  let ordersOfA: { id: string; clientOrderId: string };

  beforeAll(async () => {
    system = await startSystem();
    otherKey = (await system.issueKey()).key;
    const clientOrderId = `scoped-${randomUUID()}`;
    const submitted = await postGraphQL(system.url, SUBMIT, {
      key: system.key,
      variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2', clientOrderId } },
    });
    const id = (submitted.body.data as any).executeMarketOrder.order.id as string;
    await collect(wsClient(system.url), OrderStatusUpdates, { orderId: id }); // until CONFIRMED
    ordersOfA = { id, clientOrderId };
  });
  afterAll(() => system.close());

  it("shows the owner its order, its routing decision and its swap", async () => {
    const mine = await postGraphQL(system.url, ORDER_READS, { key: system.key, variables: { id: ordersOfA.id } });
    expect(mine.body.data).toMatchObject({ order: { id: ordersOfA.id, status: 'CONFIRMED' }, simulatedSwaps: [{ signature: expect.any(String) }] });
    expect((mine.body.data as any).order.routingDecisions).toHaveLength(1);
  });

  it("answers another account's order id exactly as an unknown id: order, routing decisions, simulatedSwaps", async () => {
    const theirs = await postGraphQL(system.url, ORDER_READS, { key: otherKey, variables: { id: ordersOfA.id } });
    const unknown = await postGraphQL(system.url, ORDER_READS, { key: otherKey, variables: { id: randomUUID() } });
    expect(theirs.status).toBe(unknown.status);
    expect(theirs.body).toEqual(unknown.body);
    expect(theirs.body).toEqual({ data: { order: null, simulatedSwaps: [] } });
  });

  it("leaves another account's orders out of `orders`", async () => {
    const page = await postGraphQL(system.url, ORDERS, { key: otherKey });
    expect(page.body.data).toEqual({ orders: { edges: [], pageInfo: { hasNextPage: false } } });
    const own = await postGraphQL(system.url, ORDERS, { key: system.key });
    expect((own.body.data as any).orders.edges.map((e: any) => e.node.id)).toContain(ordersOfA.id);
  });

  it("ends a subscription to another account's order exactly as one to an unknown id, over WebSocket and SSE", async () => {
    const unknownId = randomUUID();
    const asNotFound = (results: { errors?: readonly { message: string }[] }[], id: string) =>
      JSON.stringify(results).replaceAll(id, '<id>');

    const theirs = await collect(wsClient(system.url, otherKey), OrderStatusUpdates, { orderId: ordersOfA.id });
    const unknown = await collect(wsClient(system.url, otherKey), OrderStatusUpdates, { orderId: unknownId });
    expect(theirs).toHaveLength(1);
    expect(theirs[0]!.data ?? null).toBeNull();
    expect(theirs[0]!.errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    expect(asNotFound(theirs, ordersOfA.id)).toBe(asNotFound(unknown, unknownId));

    const theirsSse = await collectSse(system.url, OrderStatusUpdates, { orderId: ordersOfA.id }, otherKey);
    const unknownSse = await collectSse(system.url, OrderStatusUpdates, { orderId: unknownId }, otherKey);
    expect(asNotFound(theirsSse, ordersOfA.id)).toBe(asNotFound(unknownSse, unknownId));
    expect(theirsSse[0]!.errors).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
  });

  it("lets another account reuse a clientOrderId without learning anything about the first account's order", async () => {
    // different input: for the owner this would be an IdempotencyConflictError naming the order
    const reuse = await postGraphQL(system.url, SUBMIT, {
      key: otherKey,
      variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '3', clientOrderId: ordersOfA.clientOrderId } },
    });
    const created = (reuse.body.data as any).executeMarketOrder;
    expect(created).toMatchObject({ __typename: 'ExecuteMarketOrderSuccess', order: { clientOrderId: ordersOfA.clientOrderId, amountIn: '3' } });
    expect(created.order.id).not.toBe(ordersOfA.id);

    // same input: still a new order of its own, not the first account's
    const same = await postGraphQL(system.url, SUBMIT, {
      key: (await system.issueKey()).key,
      variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2', clientOrderId: ordersOfA.clientOrderId } },
    });
    expect((same.body.data as any).executeMarketOrder.order.id).not.toBe(ordersOfA.id);

    // and for the owner the key still means its own order
    const replay = await postGraphQL(system.url, SUBMIT, {
      key: system.key,
      variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2', clientOrderId: ordersOfA.clientOrderId } },
    });
    expect((replay.body.data as any).executeMarketOrder.order.id).toBe(ordersOfA.id);
    const conflict = await postGraphQL(system.url, SUBMIT, {
      key: system.key,
      variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '9', clientOrderId: ordersOfA.clientOrderId } },
    });
    expect((conflict.body.data as any).executeMarketOrder).toEqual({ __typename: 'IdempotencyConflictError', existingOrderId: ordersOfA.id });
  });

  it('shares the orders of one account between its keys', async () => {
    const secondKeyOfA = await system.issueKey(`test-${system.config.sim.namespace}`);
    const read = await postGraphQL(system.url, ORDER_READS, { key: secondKeyOfA.key, variables: { id: ordersOfA.id } });
    expect((read.body.data as any).order.id).toBe(ordersOfA.id);
  });
});
