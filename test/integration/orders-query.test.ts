// The `orders` Relay connection and `order(id)`.
//
// Every test file shares one database, and others insert orders while these tests read, so a walk
// covers the newest orders down to this test's oldest one: all of this test's orders fall in that
// stretch, whatever else is in the table.
import { describe, expect, it } from 'vitest';
import type { OrderStatus, OrdersPageQuery } from '../gql/graphql.js';
import { httpData, httpRequest } from '../support/clients.js';
import { postGraphQL } from '../support/raw-graphql.js';
import { OrderDetails, OrdersPage } from '../support/operations.js';
import { followOrder, submitOrder, systemForThisTest } from '../support/orders.js';

type Edge = OrdersPageQuery['orders']['edges'][number];
type Keyset = { createdAt: string; id: string };

/** The connection's order: newest first, ties broken by id, as in PostgreSQL (uuids compare as their hex text). */
const newerFirst = (a: Keyset, b: Keyset) =>
  a.createdAt !== b.createdAt ? Date.parse(b.createdAt) - Date.parse(a.createdAt) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * Follows `after` cursors from the first page until a page reaches past `oldest` (or the end),
 * checking each page's size and end cursor on the way.
 */
async function walkDownTo(url: string, oldest: Keyset, page: { first: number; status?: OrderStatus }): Promise<Edge[]> {
  const edges: Edge[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 10_000; pages++) {
    const { orders }: OrdersPageQuery = await httpData(url, OrdersPage, { ...page, after });
    expect(orders.edges.length).toBeLessThanOrEqual(page.first);
    edges.push(...orders.edges);
    const last = orders.edges.at(-1);
    if (!orders.pageInfo.hasNextPage || !last || newerFirst(last.node, oldest) > 0) return edges;
    expect(orders.pageInfo.endCursor).toBe(last.cursor);
    after = orders.pageInfo.endCursor;
  }
  throw new Error('the connection never ended');
}

async function createdOrders(url: string, count: number, input: Parameters<typeof submitOrder>[1]): Promise<Keyset[]> {
  const created: Keyset[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await submitOrder(url, input);
    const { order } = await httpData(url, OrderDetails, { id });
    created.push({ id, createdAt: order!.createdAt });
  }
  return created;
}

const oldestOf = (orders: Keyset[]) => [...orders].sort(newerFirst).at(-1)!;

describe('the orders connection', () => {
  it('lists orders newest first and walks them with first/after, each exactly once', async () => {
    const system = await systemForThisTest({ worker: false });
    const mine = await createdOrders(system.url, 7, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    expect(Date.parse(mine.at(-1)!.createdAt)).toBeGreaterThanOrEqual(Date.parse(mine[0]!.createdAt));

    const edges = await walkDownTo(system.url, oldestOf(mine), { first: 2 });

    const ids = edges.map((e) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < edges.length; i++) expect(newerFirst(edges[i - 1]!.node, edges[i]!.node)).toBeLessThan(0);
    const mineIds = new Set(mine.map((o) => o.id));
    expect(ids.filter((id) => mineIds.has(id))).toEqual([...mine].sort(newerFirst).map((o) => o.id));
  });

  it('filters by status', async () => {
    const system = await systemForThisTest();
    const confirmed = await createdOrders(system.url, 2, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    const failed = await createdOrders(system.url, 2, { tokenIn: 'BONK', tokenOut: 'JUP', amountIn: '1000' });
    await Promise.all([...confirmed, ...failed].map((o) => followOrder(system.url, o.id)));
    const oldest = oldestOf([...confirmed, ...failed]);

    for (const [status, included, excluded] of [
      ['FAILED', failed, confirmed],
      ['CONFIRMED', confirmed, failed],
    ] as const) {
      const edges = await walkDownTo(system.url, oldest, { first: 50, status });
      expect(edges.filter((e) => e.node.status !== status)).toEqual([]);
      const ids = new Set(edges.map((e) => e.node.id));
      expect(included.filter((o) => !ids.has(o.id))).toEqual([]);
      expect(excluded.filter((o) => ids.has(o.id))).toEqual([]);
    }
  });

  // unfinished statuses are found among the account's orders whose outcome is null (no index
  // names status, so that transitions are HOT updates: see the orders model)
  it('filters unfinished orders by status', async () => {
    const system = await systemForThisTest({ worker: false });
    const waiting = await createdOrders(system.url, 2, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    const submitted = await createdOrders(system.url, 1, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2' });
    // as a worker would have left it mid-flight: moved on, not finished
    await system.runtime.prisma.order.update({ where: { id: submitted[0]!.id }, data: { status: 'SUBMITTED' } });
    const oldest = oldestOf([...waiting, ...submitted]);

    for (const [status, included, excluded] of [
      ['PENDING', waiting, submitted],
      ['SUBMITTED', submitted, waiting],
      ['ROUTING', [], [...waiting, ...submitted]],
      ['CONFIRMED', [], [...waiting, ...submitted]],
    ] as const) {
      const edges = await walkDownTo(system.url, oldest, { first: 50, status });
      expect(edges.filter((e) => e.node.status !== status)).toEqual([]);
      const ids = new Set(edges.map((e) => e.node.id));
      expect(included.filter((o) => !ids.has(o.id))).toEqual([]);
      expect(excluded.filter((o) => ids.has(o.id))).toEqual([]);
    }
  });

  it('gives an empty page no cursor (null, not a string that `after` would refuse)', async () => {
    const system = await systemForThisTest({ worker: false });
    // the system's account has no order yet
    expect((await httpData(system.url, OrdersPage, { first: 5 })).orders).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    await createdOrders(system.url, 1, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    expect((await httpData(system.url, OrdersPage, { first: 5, status: 'CONFIRMED' })).orders.pageInfo.endCursor).toBeNull();
    const none = await httpData(system.url, OrdersPage, { first: 0 });
    expect(none.orders).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    // what a client's "load more" sends next: from the start again, without an error
    const next = await httpData(system.url, OrdersPage, { first: 5, after: none.orders.pageInfo.endCursor });
    expect(next.orders.edges).toHaveLength(1);
    // and past the last order, the cursor it was given back
    const past = await httpData(system.url, OrdersPage, { first: 5, after: next.orders.pageInfo.endCursor });
    expect(past.orders).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: next.orders.pageInfo.endCursor } });
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    // a review's: a time Date takes and PostgreSQL does not, which was an INTERNAL_SERVER_ERROR
    ['a time before PostgreSQL\'s range', '-271821-04-20T00:00:00.000Z|00000000-0000-4000-8000-000000000000'],
    ['a year alone', '2026|00000000-0000-4000-8000-000000000000'],
    ['a time not written as the API writes it', '2026-12-07T10:00:00Z|00000000-0000-4000-8000-000000000000'],
    ['a trailing part', '2026-12-07T10:00:00.000Z|00000000-0000-4000-8000-000000000000|x'],
  ])('refuses a cursor it did not issue: %s', async (_what, text) => {
    const system = await systemForThisTest({ worker: false });
    const after = text === 'not-a-cursor' ? text : Buffer.from(text).toString('base64url');

    const result = await httpRequest(system.url, OrdersPage, { first: 5, after });

    expect(result.data ?? null).toBeNull();
    expect(result.errors).toMatchObject([{ message: 'invalid cursor', extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('takes a cursor it issued, written by hand', async () => {
    const system = await systemForThisTest({ worker: false });
    const after = Buffer.from('2999-01-01T00:00:00.000Z|00000000-0000-4000-8000-000000000000').toString('base64url');
    expect((await httpRequest(system.url, OrdersPage, { first: 5, after })).errors).toBeUndefined();
  });

  it('refuses first and last together, rather than dropping one', async () => {
    const system = await systemForThisTest({ worker: false });
    const result = await postGraphQL(system.url, '{ orders(first: 3, last: 2) { edges { cursor } } }', { key: system.key });
    expect(result.body.errors).toMatchObject([{ message: 'give first or last, not both', extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('refuses a negative page size with a code, as it refuses a bad cursor', async () => {
    const system = await systemForThisTest({ worker: false });

    const result = await httpRequest(system.url, OrdersPage, { first: -1 });

    expect(result.data ?? null).toBeNull();
    expect(result.errors).toMatchObject([{ message: 'first must not be negative', extensions: { code: 'BAD_USER_INPUT' } }]);
  });
});

describe('order(id)', () => {
  it.each([
    { kind: 'an unknown id', id: '00000000-0000-4000-8000-000000000000' },
    { kind: 'a malformed id', id: 'not-an-order-id' },
    { kind: 'an SQL-looking id', id: "1' OR '1'='1" },
  ])('answers null, without an error, for $kind', async ({ id }) => {
    const system = await systemForThisTest({ worker: false });

    const result = await httpRequest(system.url, OrderDetails, { id });

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ order: null });
  });
});
