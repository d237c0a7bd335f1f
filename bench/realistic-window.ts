// Why the realistic phase counts each order at its confirmation less its own venue latency.
//
// Simulates a pipeline that keeps up exactly with the realistic phase's load (an order every 2 ms
// for 30 s, a small overhead, then the phase's quote and confirmation latencies) many times, and
// counts its throughput over the phase's window both ways: confirmations as they arrive, and
// confirmations moved back by each order's venue latency (bench/realistic.ts).
//
//   npx tsx bench/realistic-window.ts [--runs 2000]
import { parseArgs } from 'node:util';
import { percentile, rateInWindow } from './lib/stats.js';
import { REALISTIC_SIM, WARM_MS } from './realistic.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2000' } } });
const runs = Number(values.runs);
const RATE = 500;
const DURATION_MS = 30_000;
const [CONFIRM_MIN_MS, CONFIRM_MAX_MS] = REALISTIC_SIM.confirmMs.split('-').map(Number) as [number, number];

const unshifted: number[] = [];
const shifted: number[] = [];
for (let run = 0; run < runs; run++) {
  const confirmedAt: number[] = [];
  const throughAt: number[] = [];
  const interval = 1000 / RATE;
  const loadEnd = DURATION_MS - interval;
  for (let sentAt = 0; sentAt <= loadEnd; sentAt += interval) {
    const overhead = 20 + Math.random() * Math.random() * 100;
    const venueMs = REALISTIC_SIM.quoteMs + CONFIRM_MIN_MS + Math.random() * (CONFIRM_MAX_MS - CONFIRM_MIN_MS);
    confirmedAt.push(sentAt + overhead + venueMs);
    throughAt.push(sentAt + overhead);
  }
  unshifted.push(rateInWindow(confirmedAt, WARM_MS, loadEnd));
  shifted.push(rateInWindow(throughAt, WARM_MS, loadEnd));
}

function describe(label: string, rates: number[]): string {
  const sorted = [...rates].sort((a, b) => a - b);
  const at = (p: number) => percentile(sorted, p).toFixed(2);
  const below = (100 * sorted.filter((r) => r < RATE - 0.5).length) / sorted.length;
  return `${label}: 5th-95th percentile ${at(5)}-${at(95)} orders/s; rounds below ${RATE} in ${below.toFixed(1)} % of runs`;
}

console.log(`${runs} runs of a pipeline that keeps up with ${RATE} orders/s exactly:`);
console.log(describe('confirmations as they arrive', unshifted));
console.log(describe('confirmations less each order\'s venue latency', shifted));
