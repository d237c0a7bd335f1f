// The one context type every GraphQL operation gets, over HTTP and WebSocket alike, and the one
// function that builds it: it authenticates the caller, so no operation runs without an account.
import { GraphQLError } from 'graphql';
import type { AccountStore, Principal } from './accounts/account-store.js';
import { keyFromAuthorization } from './accounts/api-keys.js';
import type { OrderEventBus } from './engine/order-events.js';
import type { OrderService } from './engine/order-service.js';
import type { OrderStore } from './engine/order-store.js';
import type { StreamRechecks } from './engine/stream-rechecks.js';
import type { ChainJournal } from './engine/venues/chain-journal.js';
import type { RateLimiter } from './security/rate-limiter.js';
import { isStoreUnavailable } from './engine/store-availability.js';

/** Long-lived services, built once per process. */
export interface AppServices {
  orders: OrderService;
  store: OrderStore;
  bus: OrderEventBus;
  /** the backstop of every orderStatus stream of the process: lost publishes, a Redis reconnection */
  rechecks: StreamRechecks;
  /** the simulated chain's journal of executed swaps */
  ledger: ChainJournal;
  accounts: AccountStore;
  /** executeMarketOrder calls per API key, shared by every API process through Redis */
  orderRateLimit: RateLimiter;
}

export interface GraphQLContext extends AppServices {
  /** the caller: every order read or written belongs to `principal.accountId` */
  principal: Principal;
}

/** What the transports hand the factory: Yoga a Fetch Request, graphql-ws the connection's params. */
export interface TransportContext {
  request?: Request;
  connectionParams?: Readonly<Record<string, unknown>>;
}

/** The error of a request without a valid key, the same for a missing, unknown or revoked key. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message: string) {
    // HTTP answers 401 with a challenge; Yoga drops `http` from the extensions it sends
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } } });
  }
}

/**
 * PostgreSQL is unreachable: the key could not be checked, or a field could not be read (or Redis,
 * and a subscription could not follow live events); nothing was done. `at`: the error of the field
 * it replaces, whose locations and path it keeps.
 */
export class ServiceUnavailableGraphQLError extends GraphQLError {
  constructor(at?: GraphQLError, unreachable = 'its database') {
    super(`the service cannot reach ${unreachable} right now; nothing was done, retry in a moment`, {
      nodes: at?.nodes,
      source: at?.source,
      positions: at?.positions,
      path: at?.path,
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'Retry-After': '1' } } },
    });
  }
}

/**
 * The API key a transport carries: the Authorization header, or graphql-ws connectionParams'
 * `authorization`, in any case of its name as a header's would be (clients copy `Authorization`
 * from their HTTP headers).
 */
export function credentialOf(transport: TransportContext): string | undefined {
  const params = transport.connectionParams;
  if (!params) return keyFromAuthorization(transport.request?.headers.get('authorization'));
  const name = 'authorization' in params ? 'authorization' : Object.keys(params).find((key) => key.toLowerCase() === 'authorization');
  return name === undefined ? undefined : keyFromAuthorization(params[name]);
}

/** The caller's principal, or UnauthenticatedError. A revoked key fails from the moment its revocation commits (account-store.ts). */
export async function authenticate(accounts: AccountStore, key: string | undefined): Promise<Principal> {
  if (!key) throw new UnauthenticatedError('authentication required: send an API key as "Authorization: Bearer <key>"');
  const principal = await accounts.authenticate(key).catch((error: unknown) => {
    throw isStoreUnavailable(error) ? new ServiceUnavailableGraphQLError() : error;
  });
  if (!principal) throw new UnauthenticatedError('invalid or revoked API key');
  return principal;
}

/** Each HTTP request's principal, so that its key is checked once however often it is asked for. */
const principals = new WeakMap<Request, Promise<Principal>>();

/**
 * The principal of an HTTP request or a WebSocket operation. An HTTP request's key is checked
 * before its document is parsed (yoga.ts, useKeyCheckedFirst), and its context reuses that check.
 */
export function principalOf(accounts: AccountStore, transport: TransportContext): Promise<Principal> {
  const request = transport.connectionParams ? undefined : transport.request;
  if (!request) return authenticate(accounts, credentialOf(transport));
  let principal = principals.get(request);
  if (!principal) principals.set(request, (principal = authenticate(accounts, credentialOf(transport))));
  return principal;
}

/** Builds the context of one request or one WebSocket operation. */
export function createContextFactory(services: AppServices) {
  return async (transport: TransportContext): Promise<GraphQLContext> => ({
    ...services,
    principal: await principalOf(services.accounts, transport),
  });
}
