// The API role: GraphQL over HTTP, SSE and WebSocket.
import { registerStateMetrics } from './observability/state-metrics.js';
import type { Runtime } from './runtime.js';
import { listen, type ApiServer } from './server.js';
import { WEB_DIST } from './web-assets.js';
import { createYogaApp } from './yoga.js';

export async function startApi(runtime: Runtime, port = runtime.config.port): Promise<ApiServer> {
  const { services, config } = runtime;
  // orders by status and queue depth, read from PostgreSQL and Redis whenever /metrics is scraped
  registerStateMetrics(runtime.metrics, { store: runtime.store, queue: runtime.queue, logger: runtime.logger });
  const yoga = createYogaApp(services, {
    ready: runtime.ready,
    security: config.security,
    metrics: runtime.metrics,
    webRoot: WEB_DIST,
    logger: runtime.logger.child({ component: 'graphql' }),
  });
  return listen(yoga, services, config.security, port, { metrics: runtime.metrics, logger: runtime.logger.child({ component: 'graphql-ws' }) });
}
