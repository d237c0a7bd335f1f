// What the order fields do: thin calls into the engine's store.
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { formatUnits } from '../engine/money.js';
import { UUID, type OrderRecord } from '../engine/order-store.js';
import { tokenBySymbol } from '../engine/tokens.js';
import type { OrderStatus } from '../engine/types.js';

/** Base units of a token as its Decimal string. */
export const decimalOf = (amount: bigint, symbol: string) => formatUnits(amount, tokenBySymbol(symbol).decimals);

/**
 * The caller's order with this id. Another account's order is null, exactly like an unknown id,
 * so an id reveals nothing about orders the caller does not own. Every field that takes an order
 * id goes through here. An id that is not a UUID names no order.
 */
export async function orderById(ctx: GraphQLContext, id: string): Promise<OrderRecord | null> {
  return UUID.test(id) ? ctx.store.findOwned(ctx.principal.accountId, id) : null;
}

// Cursors are opaque to clients: base64url of "<createdAt ISO>|<id>", the keyset of the index.
const toCursor = (order: OrderRecord) => Buffer.from(`${order.createdAt.toISOString()}|${order.id}`).toString('base64url');

/** A cursor's time as toCursor writes it: a four-digit year (PostgreSQL refuses what Date takes past its range). */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function fromCursor(cursor: string | undefined) {
  if (cursor === undefined) return null;
  const [at = '', id = '', ...rest] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at);
  // exactly what toCursor writes, or nothing: "2026" or a year 271821 BC would otherwise reach the query
  if (rest.length > 0 || !UUID.test(id) || !CURSOR_TIME.test(at) || Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== at) {
    throw new GraphQLError('invalid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return { createdAt, id };
}

export interface OrdersArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  status?: OrderStatus | null;
}

/** The most orders one page holds: a larger `first`/`last` gets this many. */
export const ORDERS_PAGE_MAX = 100;
/** The orders a page given no `first`/`last` holds. */
export const ORDERS_PAGE_DEFAULT = 20;

export async function orderConnection(ctx: GraphQLContext, args: OrdersArgs) {
  // refused with a code of its own, as a bad cursor is (Pothos's own refusal carries none)
  for (const name of ['first', 'last'] as const) {
    const size = args[name];
    if (size != null && size < 0) throw new GraphQLError(`${name} must not be negative`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  // Pothos would take `first` and drop `last` without a word
  if (args.first != null && args.last != null) throw new GraphQLError('give first or last, not both', { extensions: { code: 'BAD_USER_INPUT' } });
  const connection = await resolveCursorConnection(
    { args, toCursor, defaultSize: ORDERS_PAGE_DEFAULT, maxSize: ORDERS_PAGE_MAX },
    ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
      ctx.store.page({ accountId: ctx.principal.accountId, status: args.status, after: fromCursor(after), before: fromCursor(before), limit, inverted }),
  );
  // An empty first page has no cursor: Pothos answers "", which `after` would refuse; Relay says null.
  const { startCursor, endCursor } = connection.pageInfo;
  return { ...connection, pageInfo: { ...connection.pageInfo, startCursor: startCursor || null, endCursor: endCursor || null } };
}
