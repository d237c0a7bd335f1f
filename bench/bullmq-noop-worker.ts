// The BullMQ baseline's worker process: takes jobs off a queue and does nothing with them.
// Usage (started by bench/bullmq-baseline.ts with an IPC channel): bullmq-noop-worker.ts QUEUE CONCURRENCY
import { Worker } from 'bullmq';
import { createBullConnection } from '../src/infra/redis.js';

const [queueName, concurrency] = process.argv.slice(2);
const redisUrl = process.env.REDIS_URL;
if (!queueName || !concurrency || !redisUrl) throw new Error('usage: REDIS_URL=… bullmq-noop-worker.ts QUEUE CONCURRENCY');

const worker = new Worker(queueName, async () => undefined, { connection: createBullConnection(redisUrl), concurrency: Number(concurrency) });
worker.on('error', (error) => console.error(`noop worker: ${error.message}`));
await worker.waitUntilReady();
process.send?.({ ready: true });

let closing = false;
const close = () => {
  if (closing) return;
  closing = true;
  void worker.close().finally(() => process.exit(0));
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
// the bench went away (even killed): so does this process
process.on('disconnect', close);
