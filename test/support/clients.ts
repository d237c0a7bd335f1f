// Real GraphQL clients for the tests: fetch over HTTP, graphql-ws over WebSocket, graphql-sse.
// Each sends the API key registered for its URL (startSystem registers one), unless told otherwise.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const keys = new Map<string, string>();

/** Makes `key` the one every client of `url` sends by default (startSystem does this for its API). */
export function registerKey(url: string, key: string): void {
  keys.set(url, key);
}

export function forgetKey(url: string): void {
  keys.delete(url);
}

/** Which key a client sends: `undefined` = the one registered for the URL; `null` = none at all. */
export type KeyOption = string | null | undefined;

const keyFor = (url: string, key: KeyOption) => (key === undefined ? keys.get(url) : (key ?? undefined));

/** The Authorization header for `url` (for clients built by hand). */
export function authHeaders(url: string, key?: KeyOption): Record<string, string> {
  const chosen = keyFor(url, key);
  return chosen ? { authorization: `Bearer ${chosen}` } : {};
}

export async function httpRequest<R, V>(url: string, document: TypedDocumentNode<R, V>, variables?: V, key?: KeyOption): Promise<ExecutionResult<R>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...authHeaders(url, key) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<R>;
}

/** Like httpRequest, failing the test unless the response has data and no errors. */
export async function httpData<R, V>(url: string, document: TypedDocumentNode<R, V>, variables?: V, key?: KeyOption): Promise<R> {
  const result = await httpRequest(url, document, variables, key);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export function wsClient(httpUrl: string, key?: KeyOption): Client {
  const chosen = keyFor(httpUrl, key);
  return createWsClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: chosen ? { authorization: `Bearer ${chosen}` } : {},
  });
}

/** Every result of a subscription until it completes (or rejects with its error). */
export function collect<R, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<R, V>,
  variables: V,
  onResult?: (result: ExecutionResult<R>) => void,
): Promise<ExecutionResult<R>[]> {
  const results: ExecutionResult<R>[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<R>(
      { query: print(document), variables },
      {
        next: (result) => {
          results.push(result as ExecutionResult<R>);
          onResult?.(result as ExecutionResult<R>);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(results),
      },
    );
  });
}

/** The same over Server-Sent Events (graphql-sse's distinct connections mode, which Yoga serves). */
export function collectSse<R, V extends Record<string, unknown>>(
  httpUrl: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
  key?: KeyOption,
  onResult?: (result: ExecutionResult<R>) => void,
) {
  const client = createSseClient({ url: httpUrl, singleConnection: false, retryAttempts: 0, headers: authHeaders(httpUrl, key) });
  const results: ExecutionResult<R>[] = [];
  return new Promise<ExecutionResult<R>[]>((resolve, reject) => {
    client.subscribe<R>(
      { query: print(document), variables },
      {
        next: (result) => {
          results.push(result as ExecutionResult<R>);
          onResult?.(result as ExecutionResult<R>);
        },
        error: reject,
        complete: () => resolve(results),
      },
    );
  }).finally(() => client.dispose());
}
