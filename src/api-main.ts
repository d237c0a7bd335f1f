// `npm run api`: the API role alone, for running several behind a load balancer.
import { startApi } from './api-process.js';
import { bootRuntime, onShutdown } from './process-lifecycle.js';

const { runtime, stopInfrastructure } = await bootRuntime('api');
const api = await startApi(runtime);
runtime.logger.info({ graphql: api.url, desk: new URL('/', api.url).href }, `GraphQL API ready: ${api.url}, order desk at ${new URL('/', api.url).href}`);

onShutdown(async () => {
  await api.close();
  await runtime.close();
  await stopInfrastructure();
}, { logger: runtime.logger });
