// `npm run worker`: the engine worker role alone, for scaling execution out.
//
// package.json starts it, like the API, with V8's young-generation semi-spaces at 64 MB
// (--max-semi-space-size=64; the default is 16). Each order's steps allocate objects that die
// within milliseconds, while hundreds of orders in flight keep a steady set alive: a young
// generation four times larger fills a quarter as often, and each collection copies that set. In eight
// alternating rounds of the engine phase (docs/performance.md, item 19) the worker's CPU per
// order was lower in seven, by 10 % on average, and its share of time in the collector fell from
// 8-9 % to 6.5 %.
import { startMetricsServer } from './observability/metrics-server.js';
import { bootRuntime, onShutdown, orExit } from './process-lifecycle.js';
import { startWorker, workerShutdownBackstopMs } from './worker-process.js';

const { runtime, stopInfrastructure } = await bootRuntime('worker');
const stopRuntime = async () => {
  await runtime.close();
  await stopInfrastructure();
};
// no API in this process to serve /metrics: the worker's counters get a listener of their own,
// bound first, so that a port taken fails the process before it takes any order
const metrics = runtime.config.metricsPort > 0 ? await orExit(startMetricsServer(runtime.metrics, runtime.config.metricsPort), stopRuntime, runtime.logger) : null;
const worker = await orExit(startWorker(runtime), async () => {
  await metrics?.close();
  await stopRuntime();
}, runtime.logger);
onShutdown(async () => {
  await worker.close();
  await metrics?.close();
  await stopRuntime();
}, { logger: runtime.logger, backstopMs: workerShutdownBackstopMs(runtime.config) });
const { queueName, concurrency } = runtime.config.engine;
runtime.logger.info({ queue: queueName, concurrency, metrics: metrics?.url }, `engine worker ready: queue "${queueName}", concurrency ${concurrency}`);
