// `npm start`: the API and an engine worker in one process, on embedded PostgreSQL and Redis
// unless DATABASE_URL and REDIS_URL say otherwise.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { developmentKey } from './accounts/development-key.js';
import { startApi } from './api-process.js';
import { bootRuntime, configOrExit, onShutdown, orExit } from './process-lifecycle.js';
import { startWorker, workerShutdownBackstopMs } from './worker-process.js';

const DEVELOPMENT_KEY_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.data', 'development-api-key');

const embedded = !configOrExit('api+worker').databaseUrl;
const { runtime, stopInfrastructure } = await bootRuntime('api+worker');
const stopRuntime = async () => {
  await runtime.close();
  await stopInfrastructure();
};
// the port first: a process that cannot serve exits before its worker takes any order
const api = await orExit(startApi(runtime), stopRuntime, runtime.logger);
const worker = await orExit(startWorker(runtime), async () => {
  await api.close();
  await stopRuntime();
}, runtime.logger);
onShutdown(async () => {
  await api.close();
  await worker.close();
  await stopRuntime();
}, { logger: runtime.logger, backstopMs: workerShutdownBackstopMs(runtime.config) });
const desk = new URL('/', api.url).href;
runtime.logger.info(
  { desk, graphql: api.url, metrics: new URL('/metrics', api.url).href },
  `GraphQL API and engine worker ready: order desk at ${desk}, GraphQL at ${api.url} (GraphiQL in a browser, ws:// for subscriptions)`,
);
if (embedded) {
  // only on the embedded database: a real deployment's keys come from `npm run keys:create`
  const dev = await developmentKey(runtime.services.accounts, DEVELOPMENT_KEY_FILE);
  console.log(
    `Development API key (account "development"${dev.created ? ', new' : ', kept in .data/development-api-key'}); ` +
      `in GraphiQL's Headers tab put {"Authorization": "Bearer ${dev.key}"}:\n${dev.key}`,
  );
}
