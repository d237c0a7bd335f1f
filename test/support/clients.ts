// Real GraphQL clients for the tests: fetch over HTTP, graphql-ws over WebSocket, graphql-sse.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export async function httpRequest<R, V>(url: string, document: TypedDocumentNode<R, V>, variables?: V): Promise<ExecutionResult<R>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<R>;
}

/** Like httpRequest, failing the test unless the response has data and no errors. */
export async function httpData<R, V>(url: string, document: TypedDocumentNode<R, V>, variables?: V): Promise<R> {
  const result = await httpRequest(url, document, variables);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export function wsClient(httpUrl: string): Client {
  return createWsClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
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
export function collectSse<R, V extends Record<string, unknown>>(httpUrl: string, document: TypedDocumentNode<R, V>, variables: V) {
  const client = createSseClient({ url: httpUrl, singleConnection: false, retryAttempts: 0 });
  const results: ExecutionResult<R>[] = [];
  return new Promise<ExecutionResult<R>[]>((resolve, reject) => {
    client.subscribe<R>(
      { query: print(document), variables },
      {
        next: (result) => void results.push(result as ExecutionResult<R>),
        error: reject,
        complete: () => resolve(results),
      },
    );
  }).finally(() => client.dispose());
}
