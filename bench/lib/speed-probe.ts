// The bench's side of the speed probe (bench/speed-probe.ts): starts its process and keeps the
// timings it sends, so that a CPU window can say how fast the CPU ran while it was open.
import type { SpeedSample } from '../speed-probe.js';
import { startHelper } from './processes.js';
import { percentile, round } from './stats.js';

const samples: SpeedSample[] = [];

/**
 * Starts the probe's process. It runs in a process of its own so that the bench's clocks never
 * wait for it; its CPU, a few tenths of a percent of a core, counts among the other processes.
 */
export function startSpeedProbe(): void {
  const helper = startHelper('bench/speed-probe.ts', []);
  helper.child.on('message', (sample: SpeedSample) => samples.push(sample));
}

/** The median probe, in microseconds, between two epoch-ms instants; null when none ran (no probe started, or a window under half a second). */
export function speedProbeBetween(fromMs: number, toMs: number): number | null {
  const inWindow = samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs).map((s) => s.us);
  return inWindow.length ? round(percentile(inWindow.sort((a, b) => a - b), 50), 0) : null;
}
