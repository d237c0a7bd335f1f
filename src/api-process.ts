// The API role: GraphQL over HTTP, SSE and WebSocket.
import type { Runtime } from './runtime.js';
import { listen, type ApiServer } from './server.js';
import { createYogaApp } from './yoga.js';

export async function startApi(runtime: Runtime, port = runtime.config.port): Promise<ApiServer> {
  const { services, config } = runtime;
  const yoga = createYogaApp(services, { ready: runtime.ready, security: config.security });
  return listen(yoga, services, config.security, port);
}
