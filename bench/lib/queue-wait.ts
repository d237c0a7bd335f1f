// How long orders' jobs waited in BullMQ for a worker, from the workers' own /metrics
// (dex_order_queue_wait_seconds): read before and after a measurement window, the difference.
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
    const text = await (await fetch(url)).text();
    for (const [, le, value] of text.matchAll(new RegExp(`^${METRIC}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + Number(value));
    }
    sum += Number(new RegExp(`^${METRIC}_sum (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    count += Number(new RegExp(`^${METRIC}_count (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
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
        return bound === undefined || bound === Infinity ? Infinity : Math.round(bound * 1000 * 10) / 10;
      };
      return {
        count,
        meanMs: count ? Math.round(((after.sum - before.sum) / count) * 1000 * 100) / 100 : 0,
        p50AtMostMs: atMost(0.5),
        p99AtMostMs: atMost(0.99),
      };
    },
  };
}
