// Summaries of latency samples. Timings are plain float milliseconds: money rules do not apply.

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The nearest-rank percentile `p` (0..100) of samples already sorted ascending. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** count, mean, p50, p90, p99 and max of `samples`, rounded to 0.01 ms. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const list = Array.from(sorted);
  const mean = list.reduce((sum, x) => sum + x, 0) / (list.length || 1);
  return {
    count: list.length,
    mean: round(mean),
    p50: round(percentile(list, 50)),
    p90: round(percentile(list, 90)),
    p99: round(percentile(list, 99)),
    max: round(list.length ? list[list.length - 1]! : Number.NaN),
  };
}

/** Samples grouped by the whole second of their `atMs` counted from `startMs`: count, p50 and p99 of each second. */
export function summarizeBySecond(samples: readonly { atMs: number; value: number }[], startMs: number): { second: number; count: number; p50: number; p99: number }[] {
  const seconds = new Map<number, number[]>();
  for (const { atMs, value } of samples) {
    const second = Math.max(0, Math.floor((atMs - startMs) / 1000));
    const values = seconds.get(second) ?? [];
    values.push(value);
    seconds.set(second, values);
  }
  return [...seconds]
    .sort(([a], [b]) => a - b)
    .map(([second, values]) => {
      const { count, p50, p99 } = summarize(values);
      return { second, count, p50, p99 };
    });
}

export const round = (x: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/**
 * Throughput over the sustained part of a run: completions between the 10th and the 90th
 * percentile of their times, per second. Leaves out the ramp-up (workers warming, the first
 * completions) and the drain (the last orders finishing with nothing behind them).
 */
export function sustainedRate(completionTimesMs: readonly number[], from = 0.1, to = 0.9): number {
  const sorted = Float64Array.from(completionTimesMs).sort();
  if (sorted.length < 10) return Number.NaN;
  const i = Math.floor(from * (sorted.length - 1));
  const j = Math.floor(to * (sorted.length - 1));
  const seconds = (sorted[j]! - sorted[i]!) / 1000;
  return seconds > 0 ? (j - i) / seconds : Number.NaN;
}

/** Completions per second inside [fromMs, toMs] (times on the same clock). */
export function rateInWindow(completionTimesMs: readonly number[], fromMs: number, toMs: number): number {
  const n = completionTimesMs.filter((t) => t >= fromMs && t <= toMs).length;
  return toMs > fromMs ? (n * 1000) / (toMs - fromMs) : Number.NaN;
}
