// The roles as separate OS processes: one worker and two API processes started from their entry
// points with nothing but environment variables, sharing a queue and a simulated market of their
// own. This test process runs no worker, so whatever executes an order is the worker process.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../src/accounts/account-store.js';
import { createDatabase } from '../../src/infra/prisma.js';
import { createBullConnection } from '../../src/infra/redis.js';
import { httpData, registerKey } from '../support/clients.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { LIFECYCLE, followOrder, signal, submitOrder } from '../support/orders.js';
import { freePort, spawnRole, type SpawnedRole } from '../support/spawned.js';

describe('a worker process and two API processes', () => {
  const id = randomUUID().slice(0, 8);
  const shared = {
    QUEUE_NAME: `orders-processes-${id}`,
    SIM_NAMESPACE: `test-processes-${id}`,
    SIM_QUOTE_MS: '0',
    SIM_CONFIRM_MS: '0',
    SIM_FLOW_MS: '0',
    RETRY_BASE_MS: '5',
  };
  const children: SpawnedRole[] = [];
  let api1: string;
  let api2: string;
  let worker: SpawnedRole;
  let queue: Queue;

  async function startApi(): Promise<string> {
    const port = await freePort();
    children.push(await spawnRole('api', { ...shared, PORT: String(port) }));
    return `http://localhost:${port}/graphql`;
  }

  async function startWorker(): Promise<SpawnedRole> {
    const started = await spawnRole('worker', shared);
    children.push(started);
    return started;
  }

  beforeAll(async () => {
    queue = new Queue(shared.QUEUE_NAME, { connection: createBullConnection(process.env.REDIS_URL!) });
    [api1, api2, worker] = await Promise.all([startApi(), startApi(), startWorker()]);
    // the processes share the test database: a key issued there is good on both
    const database = createDatabase(process.env.DATABASE_URL!, { max: 1 });
    const { key } = await new AccountStore(database).issueKey(`test-processes-${id}`);
    await database.prisma.$disconnect();
    registerKey(api1, key);
    registerKey(api2, key);
  });

  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  });

  it('executes an order submitted through API #1 and streams all of it to subscribers on both APIs', async () => {
    const order = await submitOrder(api1, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '2.5' });

    const [onApi2, onApi1] = await Promise.all([followOrder(api2, order.id), followOrder(api1, order.id)]);

    expect(onApi2.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(onApi2.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(onApi1).toEqual(onApi2);
    const { order: stored } = await httpData(api2, OrderDetails, { id: order.id });
    const { simulatedSwaps } = await httpData(api2, SimulatedSwaps, { orderId: order.id });
    expect(simulatedSwaps.map((s) => s.signature)).toEqual([stored!.txSignature]);
  });

  it('leaves an order queued while no worker process runs, until a new worker process executes it', async () => {
    expect(await worker.stop()).toEqual({ code: 0, signal: null });

    const order = await submitOrder(api1, { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '100' });
    const pendingSeen = signal();
    const events = followOrder(api2, order.id, (event) => event.status === 'PENDING' && pendingSeen.resolve());
    await pendingSeen.promise;

    // no process is consuming the queue: the job waits there and the order stays PENDING
    expect(await queue.getJobState(order.id)).toBe('waiting');
    expect((await httpData(api1, OrderDetails, { id: order.id })).order?.status).toBe('PENDING');

    worker = await startWorker();

    expect((await events).map((e) => e.status)).toEqual(LIFECYCLE);
  });
});

describe('a process whose port is taken', () => {
  // npm start, npm run api, and npm run worker with its metrics port: each binds its port before
  // its worker takes an order, and exits with 1 and the reason; none lives on serving nothing
  it.each([
    ['api+worker', 'PORT', /port \d+ is already in use by another program: stop it, or set PORT to a free port/],
    ['api', 'PORT', /port \d+ is already in use by another program: stop it, or set PORT to a free port/],
    ['worker', 'METRICS_PORT', /METRICS_PORT \d+ is already in use by another program/],
  ] as const)('%s with %s taken exits with 1, saying which port', async (role, variable, message) => {
    const taken = createServer().listen(0);
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    const id = randomUUID().slice(0, 8);
    try {
      const start = spawnRole(role, { [variable]: String(port), QUEUE_NAME: `orders-port-taken-${id}`, SIM_NAMESPACE: `test-port-taken-${id}` });

      await expect(start).rejects.toThrow(/exited \(1\) before it was ready/);
      await expect(start).rejects.toThrow(message);
      // the reason alone, not graphql-ws's "internal error" with a stack, as if the code were at fault
      await expect(start).rejects.not.toThrow(/Internal error emitted on the WebSocket server/);
    } finally {
      taken.close();
    }
  });
});
