// GraphQL over HTTP and WebSocket without a typed client, for tests that look at what a client
// actually gets back: status codes, raw bodies, close codes.
import type { ExecutionResult } from 'graphql';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: ExecutionResult & { errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export interface RawOptions {
  /** sent as "Authorization: Bearer <key>"; none when undefined */
  key?: string;
  headers?: Record<string, string>;
  variables?: Record<string, unknown>;
  /** which operation of the document to run */
  operationName?: string;
}

export async function postGraphQL(url: string, query: string, options: RawOptions = {}): Promise<RawResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables, operationName: options.operationName }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

/** The first error's code and message, for compact assertions. */
export const firstError = (response: RawResponse) => ({
  code: response.body.errors?.[0]?.extensions?.code,
  message: response.body.errors?.[0]?.message,
});

/** Opens a graphql-transport-ws socket and resolves with how the server closed it. */
export function closeOf(socket: WebSocket, timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    socket.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

export function rawSocket(httpUrl: string): WebSocket {
  return new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
}
