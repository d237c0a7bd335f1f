// graphql-ws on a `ws` WebSocketServer, through graphql-ws's own makeServer, as its use/ws
// adapter does, with two differences. Its errors go to the process's JSON log: use/ws printed a
// multi-line stack with console.error whenever a client went away while it was being written to
// (EPIPE, ECONNRESET) or sent a frame over MAX_REQUEST_BYTES, which anyone can do at will. And a
// write that fails ends its connection quietly: the client is gone, and the close that follows
// ends its operations, where use/ws let the failure end the message's handling as an internal error.
import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from './observability/logger.js';

/** What each connection's context carries besides graphql-ws's own (as use/ws's `Extra`). */
export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

export interface GraphqlWsSettings {
  /** where socket and handling errors are logged */
  logger: Logger;
  /** how often a connection is pinged; one that has not answered by the next ping is dropped. Default 12000, as use/ws */
  keepAliveMs?: number;
}

export function serveGraphqlWs<P extends Record<string, unknown>>(wss: WebSocketServer, options: ServerOptions<P, WsExtra>, { logger, keepAliveMs = 12_000 }: GraphqlWsSettings) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('error', (error) => logger.error({ err: error }, 'WebSocket server error'));
  wss.on('connection', (socket, request) => {
    // ws has closed the socket already (1009 for a frame over the limit); what remains is to say so
    socket.once('error', (error) => logger.debug({ reason: error.message }, 'WebSocket closed on a socket error'));

    let pongWait: NodeJS.Timeout | undefined;
    const pings = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => {
        clearTimeout(pongWait);
        pongWait = undefined;
      });
      socket.ping();
    }, keepAliveMs);

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => {
              if (error) socket.terminate();
              resolve();
            });
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              logger.error({ err: error }, 'graphql-ws: handling a message failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );

    socket.once('close', (code, reason) => {
      clearInterval(pings);
      clearTimeout(pongWait);
      void closed(code, String(reason));
    });
  });

  return {
    /** closes every connection with 1001 (going away) and `reason`, and the server with them */
    async dispose(reason = 'Going away'): Promise<void> {
      for (const client of wss.clients) client.close(1001, reason);
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
