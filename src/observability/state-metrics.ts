// Gauges read from the shared state at scrape time: orders by status from PostgreSQL and the
// order queue's job counts from BullMQ. Being derived, not counted, they are the same whichever
// API process is scraped and survive restarts, so with several API processes take max(), not
// sum(), across instances.
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { OrderStore } from '../engine/order-store.js';
import { withTimeout } from '../engine/timeout.js';
import { ORDER_STATUSES } from '../engine/types.js';
import { everyTenSeconds } from './logger.js';
import { registerOnce } from './registry.js';

/** BullMQ job states reported; completed jobs are removed at once (PostgreSQL has the history). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * How long a scrape waits for each source. Prometheus counts a scrape past its timeout (10 s by
 * default) as the target down, losing every series of the process; a stopped Redis held the
 * queue's counts for the whole outage (BullMQ's connection retries a command until Redis is back)
 * and a silent PostgreSQL the order counts for DATABASE_QUERY_TIMEOUT_MS. The same bound as /ready.
 */
const SCRAPE_READ_TIMEOUT_MS = 800;

export interface StateSources {
  store: Pick<OrderStore, 'countByStatus'>;
  queue: Pick<Queue, 'name' | 'getJobCounts'>;
  logger: Logger;
}

/** Registers the scrape-time gauges on `registry`, once (the first caller's sources win). */
export function registerStateMetrics(registry: Registry, sources: StateSources): void {
  registerOnce(registry, 'state', () => createStateMetrics(registry, sources));
}

function createStateMetrics(registry: Registry, sources: StateSources): void {
  const { store, queue, logger } = sources;
  // A failed read drops the gauge's series from this scrape: /metrics still answers while
  // PostgreSQL or Redis is away (that is what /ready reports), and shows no number rather than the
  // last one read, which a dashboard would take for the present (absent() can alert on it).
  // each gauge's failure logged at most once in ten seconds: a scrape every few seconds through an
  // outage would otherwise write a line per gauge per scrape
  const tolerate = (what: string) => {
    const warn = everyTenSeconds((error: unknown) => logger.warn({ err: error }, `metrics: could not read ${what}`));
    return (gauge: Gauge) => (error: unknown) => {
      gauge.reset();
      warn(error);
    };
  };
  const countsUnread = tolerate('order counts');
  const jobsUnread = tolerate('queue counts');

  new Gauge({
    name: 'dex_orders',
    help: 'Orders by current status, read from PostgreSQL at scrape time',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      await withTimeout(store.countByStatus(), SCRAPE_READ_TIMEOUT_MS).then((counts) => {
        for (const status of ORDER_STATUSES) this.labels(status).set(counts[status] ?? 0);
      }, countsUnread(this));
    },
  });

  new Gauge({
    name: 'dex_queue_jobs',
    help: 'Jobs of the BullMQ order queue by state, read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await withTimeout(queue.getJobCounts(...QUEUE_STATES), SCRAPE_READ_TIMEOUT_MS).then((counts) => {
        for (const state of QUEUE_STATES) this.labels(queue.name, state).set(counts[state] ?? 0);
      }, jobsUnread(this));
    },
  });
}
