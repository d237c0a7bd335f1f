// The API's HTTP server: Yoga over HTTP and SSE, graphql-ws over WebSocket on the same path,
// with the same schema, context and plugins (operations go through yoga.getEnveloped).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { YogaApp } from './yoga.js';

/** WebSocket close codes this server sends besides graphql-ws's own. */
export enum CloseCode {
  /** the API process is shutting down; reconnect to another one */
  GoingAway = 1001,
}

export interface ApiServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(yoga: YogaApp, port: number): Promise<ApiServer> {
  const server = createServer(yoga);
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const ws = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );

  await new Promise<void>((resolve) => server.listen(port, resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    url: `http://localhost:${actual}${yoga.graphqlEndpoint}`,
    async close() {
      // stop taking connections first, then end subscriptions with a proper close code
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of wss.clients) client.close(CloseCode.GoingAway, 'server shutting down');
      await ws.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeIdleConnections();
      // open SSE streams would otherwise keep the server open
      setTimeout(() => server.closeAllConnections(), 2_000).unref();
      await closed;
    },
  };
}
