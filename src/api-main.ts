// `npm run api`: the API role alone, for running several behind a load balancer.
import { startApi } from './api-process.js';
import { bootRuntime, onShutdown } from './process-lifecycle.js';

const { runtime, stopInfrastructure } = await bootRuntime();
const api = await startApi(runtime);
console.log(`GraphQL API ready: ${api.url}`);

onShutdown(async () => {
  await api.close();
  await runtime.close();
  await stopInfrastructure();
});
