// The two shapes of load the bench offers.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Closed loop: `lanes` workers each run job(i) one after another until `total` jobs have run, so
 * exactly `lanes` jobs are in flight at any time (throughput at a fixed concurrency).
 */
export async function closedLoop(total: number, lanes: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, total) }, lane));
}

/**
 * Open loop: job i starts at `start + i / rate` whether or not earlier ones have answered (a fixed
 * offered load), and is told that intended start time, so its latency can be measured from it:
 * a server that stalls is charged for every request that had to wait, not just the one it held
 * (no coordinated omission). Resolves once every job has finished.
 */
export async function openLoop(ratePerSec: number, durationMs: number, job: (i: number, intendedAt: number) => Promise<void>): Promise<{ started: number; lateMsMax: number }> {
  const total = Math.round((ratePerSec * durationMs) / 1000);
  const interval = 1000 / ratePerSec;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  let lateMsMax = 0;
  for (let i = 0; i < total; ) {
    const now = performance.now();
    while (i < total && start + i * interval <= now) {
      const intendedAt = start + i * interval;
      lateMsMax = Math.max(lateMsMax, now - intendedAt);
      inFlight.push(job(i, intendedAt));
      i++;
    }
    if (i < total) await sleep(Math.max(1, start + i * interval - performance.now()));
  }
  await Promise.all(inFlight);
  return { started: total, lateMsMax };
}
