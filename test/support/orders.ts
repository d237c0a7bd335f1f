// What the integration tests share: a system of their own, submitting orders, following them.
import type { ExecutionResult } from 'graphql';
import { expect, onTestFinished } from 'vitest';
import type { Transition } from '../../src/engine/order-store.js';
import { startWorker, type WorkerProcess } from '../../src/worker-process.js';
import type { ExecuteMarketOrderInput, OrderStatus, OrderStatusUpdatesSubscription } from '../gql/graphql.js';
import { collect, httpData, wsClient } from './clients.js';
import { ExecuteMarketOrder, OrderStatusUpdates } from './operations.js';
import { startSystem, type SystemOptions, type TestSystem } from './system.js';

export const LIFECYCLE: OrderStatus[] = ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED'];
export const TERMINAL: OrderStatus[] = ['CONFIRMED', 'FAILED'];

export type StreamedEvent = OrderStatusUpdatesSubscription['orderStatus'];

export type SystemUnderTest = TestSystem & {
  /** starts a worker on the system's queue now (for systems started with `worker: false`) */
  startWorker(): Promise<WorkerProcess>;
};

/** A whole system for the running test, closed when the test ends (pass or fail). */
export async function systemForThisTest(options: SystemOptions = {}): Promise<SystemUnderTest> {
  const system = await startSystem(options);
  const lateWorkers: WorkerProcess[] = [];
  onTestFinished(async () => {
    // workers first: they need the runtime's connections to finish their orders
    for (const worker of lateWorkers) await worker.close();
    await system.close();
  });
  return Object.assign(system, {
    async startWorker() {
      const worker = await startWorker(system.runtime);
      lateWorkers.push(worker);
      return worker;
    },
  });
}

/** The mutation's result, whichever member of the union it is. */
export async function executeMarketOrder(url: string, input: ExecuteMarketOrderInput) {
  return (await httpData(url, ExecuteMarketOrder, { input })).executeMarketOrder;
}

/** Submits an order that must be accepted, and returns it. */
export async function submitOrder(url: string, input: ExecuteMarketOrderInput) {
  const result = await executeMarketOrder(url, input);
  if (result.__typename !== 'ExecuteMarketOrderSuccess') throw new Error(`order refused: ${JSON.stringify(result)}`);
  return result.order;
}

/** The events of a subscription's results, failing on any GraphQL error among them. */
export function eventsOf(results: ExecutionResult<OrderStatusUpdatesSubscription>[]): StreamedEvent[] {
  return results.map((result) => {
    if (result.errors?.length || !result.data) throw new Error(`subscription error: ${JSON.stringify(result.errors)}`);
    return result.data.orderStatus;
  });
}

/** Subscribes over graphql-ws and resolves with every event once the stream completes. */
export async function followOrder(url: string, orderId: string, onEvent?: (event: StreamedEvent) => void): Promise<StreamedEvent[]> {
  const client = wsClient(url);
  try {
    const results = await collect(client, OrderStatusUpdates, { orderId }, (result) => {
      if (result.data) onEvent?.(result.data.orderStatus);
    });
    return eventsOf(results);
  } finally {
    await client.dispose();
  }
}

/** seq 1..n without a gap, PENDING first, exactly one terminal status and it comes last. */
export function expectCompleteSequence(events: Pick<StreamedEvent, 'seq' | 'status'>[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(events[0]?.status).toBe('PENDING');
  expect(TERMINAL).toContain(events.at(-1)?.status);
  expect(events.slice(0, -1).filter((e) => TERMINAL.includes(e.status))).toEqual([]);
}

/** A promise with its resolve function, for "when this happens, do that" in tests. */
export function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Resolves once every order in `ids` has a stored status that `accept` takes, reading PostgreSQL
 * (not a stream, which a fault under test may interrupt); fails after `timeoutMs`.
 */
export async function waitForStoredStatus(system: TestSystem, ids: string[], accept: (status: OrderStatus) => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const orders = await system.runtime.prisma.order.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    const waiting = orders.filter((o) => !accept(o.status));
    if (orders.length === ids.length && waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`orders still waiting after ${timeoutMs} ms: ${JSON.stringify(waiting)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Fails a PENDING order of a system without a worker as a worker's first attempt would (PENDING →
 * ROUTING → FAILED, "no route"), publishing each event unless `publish` is false: as if the
 * process that committed them had died before its publishes. Returns the stored events' seqs.
 */
export async function failAsAWorkerWould(system: TestSystem, orderId: string, { publish = true } = {}): Promise<number[]> {
  const { store, bus } = system.runtime;
  const steps: Omit<Transition, 'orderId' | 'attempt'>[] = [
    { from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', message: 'quoting' },
    { from: { status: 'ROUTING', attempt: 1 }, to: 'FAILED', message: 'no route', changes: { failureReason: 'no route' } },
  ];
  const seqs: number[] = [];
  for (const step of steps) {
    const event = await store.transition({ orderId, attempt: 1, ...step });
    if (!event) throw new Error(`${orderId}: ${step.from.status} → ${step.to} did not apply`);
    if (publish) await bus.publish(event);
    seqs.push(event.seq);
  }
  return seqs;
}
