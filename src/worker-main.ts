// `npm run worker`: the engine worker role alone, for scaling execution out.
import { bootRuntime, onShutdown } from './process-lifecycle.js';
import { startWorker } from './worker-process.js';

const { runtime, stopInfrastructure } = await bootRuntime();
const worker = await startWorker(runtime);
console.log(`engine worker ready: queue "${runtime.config.engine.queueName}", concurrency ${runtime.config.engine.concurrency}`);

onShutdown(async () => {
  await worker.close();
  await runtime.close();
  await stopInfrastructure();
});
