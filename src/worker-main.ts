// `npm run worker`: the engine worker role alone, for scaling execution out.
import { startMetricsServer } from './observability/metrics-server.js';
import { bootRuntime, onShutdown } from './process-lifecycle.js';
import { startWorker } from './worker-process.js';

const { runtime, stopInfrastructure } = await bootRuntime('worker');
const worker = await startWorker(runtime);
// no API in this process to serve /metrics: the worker's counters get a listener of their own
const metrics = runtime.config.metricsPort > 0 ? await startMetricsServer(runtime.metrics, runtime.config.metricsPort) : null;
const { queueName, concurrency } = runtime.config.engine;
runtime.logger.info({ queue: queueName, concurrency, metrics: metrics?.url }, `engine worker ready: queue "${queueName}", concurrency ${concurrency}`);

onShutdown(async () => {
  await worker.close();
  await metrics?.close();
  await runtime.close();
  await stopInfrastructure();
}, { logger: runtime.logger });
