// A worker process serves no GraphQL, so when it runs alone (`npm run worker`) it exposes its
// registry on a small HTTP listener of its own: GET /metrics on METRICS_PORT.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { listenOn } from '../infra/listen.js';

export interface MetricsServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startMetricsServer(registry: Registry, port: number): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
    );
  });
  await listenOn(server, port, { label: 'METRICS_PORT', variable: 'METRICS_PORT' });
  const { port: actual } = server.address() as AddressInfo;
  return {
    server,
    url: `http://localhost:${actual}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
