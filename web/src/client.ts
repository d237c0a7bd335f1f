// One urql client per API key: queries and mutations over HTTP, subscriptions over graphql-ws
// (graphql-transport-ws) on the same /graphql path, both carrying the key when there is one.
import { Client, fetchExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';

export interface DeskClient {
  urql: Client;
  /** whether there is a key to send: without one the API answers every request with a refusal */
  hasKey: boolean;
  /** closes the WebSocket */
  dispose(): void;
}

export type ConnectionState = 'connecting' | 'connected' | 'closed' | 'key refused' | 'no key';

/** graphql-ws close code of a connection_init without a valid key (src/server.ts) */
const FORBIDDEN = 4403;

/** What an urql error says, without the "[GraphQL] " or "[Network] " it puts in front. */
export const errorText = (error: CombinedError) => error.message.replace(/^\[\w+\] /, '');

const isCloseEvent = (value: unknown): value is CloseEvent => typeof value === 'object' && value !== null && 'code' in value;

export function createDeskClient(apiKey: string, onConnection: (state: ConnectionState) => void): DeskClient {
  const endpoint = new URL('graphql', window.location.href);
  const authorization = apiKey ? `Bearer ${apiKey}` : undefined;
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const ws: WsClient = createWsClient({
    url: endpoint.href.replace(/^http/, 'ws'),
    connectionParams: authorization ? { authorization } : {},
    // connect at once, so the header tells whether the API and the key are good before any order
    lazy: false,
    // keep the desk live through an API restart, but not when the key is refused
    retryAttempts: Infinity,
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === FORBIDDEN),
    on: {
      connecting: () => onConnection('connecting'),
      connected: () => onConnection('connected'),
      closed: (event) => onConnection(isCloseEvent(event) && event.code === FORBIDDEN ? (apiKey ? 'key refused' : 'no key') : 'closed'),
    },
  });
  const urql = new Client({
    url: endpoint.href,
    // a live desk wants what the server says now, never a cached answer
    requestPolicy: 'network-only',
    fetchOptions: () => ({ headers }),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { urql, hasKey: Boolean(apiKey), dispose: () => void ws.dispose() };
}
