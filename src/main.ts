// `npm start`: the API and an engine worker in one process, on embedded PostgreSQL and Redis
// unless DATABASE_URL and REDIS_URL say otherwise.
import { startApi } from './api-process.js';
import { bootRuntime, onShutdown } from './process-lifecycle.js';
import { startWorker } from './worker-process.js';

const { runtime, stopInfrastructure } = await bootRuntime();
const worker = await startWorker(runtime);
const api = await startApi(runtime);
console.log(`GraphQL API and engine worker ready: ${api.url} (GraphiQL in a browser, ws://localhost:${runtime.config.port}/graphql for subscriptions)`);

onShutdown(async () => {
  await api.close();
  await worker.close();
  await runtime.close();
  await stopInfrastructure();
});
