// Counters and the latency histogram of the orders a worker executes: the ExecutionObserver the
// worker process hands its OrderExecutor. They count what this process did, so with several
// workers Prometheus sums them across instances (sum by (dex) (rate(...))).
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ExecutionObserver, RetryCause } from '../engine/execution-observer.js';
import { DEXES, TERMINAL_STATUSES } from '../engine/types.js';
import { registerOnce } from './registry.js';

/** Seconds from acceptance to CONFIRMED/FAILED: the simulated confirmation alone takes 2-3 s by default. */
export const ORDER_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 30, 60];

/** Seconds a job waits for a worker: milliseconds while workers keep up, seconds when they fall behind. */
export const QUEUE_WAIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const RETRY_CAUSES: readonly RetryCause[] = ['no_quote', 'missing_quote', 'slippage', 'venue_fault'];

/** The worker's metrics on `registry` (registered on first use, shared after that). */
export function engineMetrics(registry: Registry): ExecutionObserver {
  return registerOnce(registry, 'engine', () => createEngineMetrics(registry));
}

function createEngineMetrics(registry: Registry): ExecutionObserver {
  const registers = [registry];
  const routingDecisions = new Counter({
    name: 'dex_routing_decisions_total',
    help: 'Venue chosen by the router, one per routing attempt that reached BUILDING',
    labelNames: ['dex'] as const,
    registers,
  });
  const slippageRejections = new Counter({
    name: 'dex_slippage_rejections_total',
    help: 'Swaps a venue refused because the output would fall below minAmountOut',
    labelNames: ['dex'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'dex_order_retries_total',
    help: 'Attempts started again (back to ROUTING) after a fault, by cause',
    labelNames: ['cause'] as const,
    registers,
  });
  const finished = new Counter({
    name: 'dex_orders_finished_total',
    help: 'Orders this worker brought to CONFIRMED or FAILED',
    labelNames: ['status'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'dex_order_latency_seconds',
    help: 'End-to-end order latency: from acceptance (PENDING) to CONFIRMED or FAILED',
    labelNames: ['status'] as const,
    buckets: ORDER_LATENCY_BUCKETS,
    registers,
  });

  const queueWait = new Histogram({
    name: 'dex_order_queue_wait_seconds',
    help: "Time an order's job waited for a worker: from being queued to its first start (a job run again after a backoff or a lost worker is not counted again)",
    buckets: QUEUE_WAIT_BUCKETS,
    registers,
  });

  // every series exists from the start at 0, so rate() and dashboards need no "absent" case
  for (const dex of DEXES) {
    routingDecisions.labels(dex).inc(0);
    slippageRejections.labels(dex).inc(0);
  }
  for (const cause of RETRY_CAUSES) retries.labels(cause).inc(0);
  for (const status of TERMINAL_STATUSES) {
    finished.labels(status).inc(0);
    latency.zero({ status });
  }

  return {
    dequeued: (waitMs) => queueWait.observe(Math.max(0, waitMs) / 1000),
    routed: (_order, dex) => routingDecisions.labels(dex).inc(),
    slippageRejected: (_order, dex) => slippageRejections.labels(dex).inc(),
    retried: (_order, cause) => retries.labels(cause).inc(),
    finished(order) {
      finished.labels(order.status).inc();
      latency.labels(order.status).observe(Math.max(0, order.updatedAt.getTime() - order.createdAt.getTime()) / 1000);
    },
  };
}
