// How long orders' jobs waited in BullMQ for a worker, from the workers' own /metrics
// (dex_order_queue_wait_seconds): read before and after a measurement window, the difference.
import { scrapeSamples } from './prometheus.js';
import { round } from './stats.js';

export interface QueueWait {
  /** jobs first started in the window, all workers together */
  count: number;
  meanMs: number;
  /** the histogram's bucket bounds that the median and the 99th percentile fall under */
  p50AtMostMs: number;
  p99AtMostMs: number;
}

const METRIC = 'dex_order_queue_wait_seconds';

/** Cumulative bucket counts by upper bound (seconds), plus sum and count, summed over the workers. */
async function scrape(metricsUrls: string[]): Promise<{ buckets: Map<number, number>; sum: number; count: number }> {
  const buckets = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const url of metricsUrls) {
    for (const { name, labels, value } of await scrapeSamples(url)) {
      if (name === `${METRIC}_bucket`) {
        const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
        buckets.set(bound, (buckets.get(bound) ?? 0) + value);
      } else if (name === `${METRIC}_sum`) sum += value;
      else if (name === `${METRIC}_count`) count += value;
    }
  }
  return { buckets, sum, count };
}

/** Starts a window over the workers whose /metrics are at `metricsUrls`; `stop()` ends it. */
export async function queueWaitWindow(metricsUrls: string[]): Promise<{ stop(): Promise<QueueWait> }> {
  const before = await scrape(metricsUrls);
  return {
    async stop() {
      const after = await scrape(metricsUrls);
      const count = after.count - before.count;
      const bounds = [...after.buckets.keys()].sort((a, b) => a - b);
      const atMost = (quantile: number) => {
        const bound = bounds.find((b) => after.buckets.get(b)! - (before.buckets.get(b) ?? 0) >= quantile * count);
        return bound === undefined || bound === Infinity ? Infinity : round(bound * 1000, 1);
      };
      return {
        count,
        meanMs: count ? round(((after.sum - before.sum) / count) * 1000) : 0,
        p50AtMostMs: atMost(0.5),
        p99AtMostMs: atMost(0.99),
      };
    },
  };
}
