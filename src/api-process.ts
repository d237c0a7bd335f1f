// The API role: GraphQL over HTTP, SSE and WebSocket.
import type { Runtime } from './runtime.js';
import { listen, type ApiServer } from './server.js';
import { createYogaApp } from './yoga.js';

export async function startApi(runtime: Runtime, port = runtime.config.port): Promise<ApiServer> {
  const yoga = createYogaApp(runtime.services, { ready: runtime.ready });
  return listen(yoga, port);
}
