// What the engine tells the outside about the orders it executes, without knowing who listens:
// the worker process plugs in Prometheus metrics (src/observability/engine-metrics.ts). Each hook
// fires once per transition that this worker actually wrote; a transition lost to another worker
// (the conditional UPDATE matched nothing) reports nothing, so counts never double.
import type { OrderRecord } from './order-store.js';
import type { Dex } from './types.js';

/** Why an attempt ended and the order went back to ROUTING. */
export type RetryCause = 'no_quote' | 'missing_quote' | 'slippage' | 'venue_fault';

export interface ExecutionObserver {
  /** a worker took an order's job for the first time, `waitMs` after the job was queued */
  dequeued(waitMs: number): void;
  /** a venue was chosen and the routing decision stored (once per attempt) */
  routed(order: OrderRecord, dex: Dex): void;
  /** the venue refused the swap: output below minAmountOut */
  slippageRejected(order: OrderRecord, dex: Dex): void;
  /** a new attempt started after `cause` */
  retried(order: OrderRecord, cause: RetryCause): void;
  /** the order reached CONFIRMED or FAILED; `order` carries its final status and timestamps */
  finished(order: OrderRecord): void;
}

/** Observes nothing: the default for tests and tools that do not export metrics. */
export const NO_OBSERVER: ExecutionObserver = {
  dequeued: () => {},
  routed: () => {},
  slippageRejected: () => {},
  retried: () => {},
  finished: () => {},
};
