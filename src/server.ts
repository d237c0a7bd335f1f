// The API's HTTP server: Yoga over HTTP and SSE, graphql-ws over WebSocket on the same path,
// with the same schema, context and plugins (operations go through yoga.getEnveloped).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import type { Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import type { SecuritySettings } from './config.js';
import { listenOn } from './infra/listen.js';
import { authenticate, credentialOf, ServiceUnavailableGraphQLError, UnauthenticatedError, type AppServices } from './context.js';
import { serveGraphqlWs } from './graphql-ws-server.js';
import type { Logger } from './observability/logger.js';
import { SharedSubscriptions } from './shared-subscriptions.js';
import type { YogaApp } from './yoga.js';

/**
 * WebSocket close codes this server sends itself: its own, and graphql-ws's 4403 with a reason of
 * its own. graphql-ws sends the rest of its codes (4400 bad request, 4408 connection_init timeout,
 * 4409 duplicate operation id, 4429 too many initialisation requests), ws its 1009 (message over
 * MAX_REQUEST_BYTES).
 */
export enum CloseCode {
  /** graphql-ws's own, sent here with a reason that says what HTTP's 401 says: no key, or a refused one */
  Forbidden = 4403,
  /** the API process is shutting down; reconnect to another one */
  GoingAway = 1001,
  /** PostgreSQL is out of reach, so the key in connection_init could not be checked; reconnect in a moment */
  TryAgainLater = 1013,
}

const NO_KEY_IN_CONNECTION_INIT = 'authentication required: send an API key as connectionParams.authorization "Bearer <key>"';

export interface ApiServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export type ListenSettings = Pick<SecuritySettings, 'maxRequestBytes' | 'wsMaxSubscriptions' | 'wsConnectionInitTimeoutMs' | 'httpRequestTimeoutMs'>;

/**
 * graphql-ws sends errors as they are: the same error as over HTTP (message, locations, code),
 * without Yoga's HTTP-only `http` extension, which its HTTP answers drop too.
 */
function forWebSocket(error: unknown): GraphQLError[] {
  if (!(error instanceof GraphQLError)) throw error;
  if (!error.extensions.http) return [error];
  const { http: _http, ...extensions } = error.extensions;
  const { nodes, source, positions, path, originalError } = error;
  return [new GraphQLError(error.message, { nodes, source, positions, path, originalError, extensions })];
}

export interface ListenOptions {
  /** where graphql_ws_subscriptions_total is registered; default nowhere */
  metrics?: Registry;
  /** where WebSocket errors are logged */
  logger: Logger;
}

export async function listen(yoga: YogaApp, services: AppServices, settings: ListenSettings, port: number, { metrics, logger }: ListenOptions): Promise<ApiServer> {
  const server = createServer(
    {
      // the whole request, headers and body, within this; a response may take as long as it
      // likes (an SSE stream is a response), as may an upgraded WebSocket
      requestTimeout: settings.httpRequestTimeoutMs,
      headersTimeout: settings.httpRequestTimeoutMs,
      // how often Node looks for requests past their time; its default is 30 s
      connectionsCheckingInterval: Math.min(1_000, settings.httpRequestTimeoutMs),
    },
    yoga,
  );
  // The port first, before a WebSocket server is attached: attached, it would hear a failed
  // listen too, and graphql-ws would print it as an "internal error" with a stack.
  await listenOn(server, port, { label: 'port', variable: 'PORT' });
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: settings.maxRequestBytes });
  // orderStatus replays an order's every event to each subscriber, so subscribers of one account
  // following the same order can share one execution (shared-subscriptions.ts)
  const shared = new SharedSubscriptions(new Set(['orderStatus']), metrics);
  const ws = serveGraphqlWs(
    wss,
    {
      // closed with 4408 when connection_init has not arrived by then
      connectionInitWaitTimeout: settings.wsConnectionInitTimeoutMs,
      // false closes the socket with 4403 Forbidden, unless it was closed here first
      onConnect: async (ctx) => {
        const key = credentialOf({ connectionParams: ctx.connectionParams ?? {} });
        try {
          await authenticate(services.accounts, key);
          return true;
        } catch (error) {
          // PostgreSQL out of reach is no refusal of the key: 1013 tells the client to come back
          // (graphql-ws clients retry it), where 4403 said "forbidden" with no reason
          if (error instanceof ServiceUnavailableGraphQLError) ctx.extra.socket.close(CloseCode.TryAgainLater, error.message.slice(0, 123));
          // graphql-ws's own reason is "Forbidden": the client could not tell a missing key from a
          // refused one, which HTTP's 401 says in its message
          else if (error instanceof UnauthenticatedError) ctx.extra.socket.close(CloseCode.Forbidden, key ? error.message : NO_KEY_IN_CONNECTION_INIT);
          return false;
        }
      },
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => shared.subscribe(args, args.contextValue.principal.accountId, () => args.rootValue.subscribe(args)),
      onSubscribe: async (ctx, _id, params) => {
        // ctx.subscriptions already holds this operation
        if (Object.keys(ctx.subscriptions).length > settings.wsMaxSubscriptions) {
          return [new GraphQLError(`too many operations on this connection (at most ${settings.wsMaxSubscriptions})`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        try {
          const document = parse(params.query);
          const errors = validate(schema, document);
          if (errors.length) return errors.flatMap(forWebSocket);
          return {
            schema,
            operationName: params.operationName,
            document,
            variableValues: params.variables,
            // authenticates again, on every operation: a key revoked since connection_init fails here
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
        } catch (error) {
          // a syntax error, a limit of the parser, or a missing/revoked key: an error for this operation
          return forWebSocket(error);
        }
      },
    },
    { logger },
  );

  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    url: `http://localhost:${actual}${yoga.graphqlEndpoint}`,
    async close() {
      // stop taking connections first, then end subscriptions with a proper close code
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await ws.dispose('server shutting down');
      server.closeIdleConnections();
      // open SSE streams would otherwise keep the server open
      setTimeout(() => server.closeAllConnections(), 2_000).unref();
      await closed;
    },
  };
}
