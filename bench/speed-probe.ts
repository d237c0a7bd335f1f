// How fast the machine's CPU is right now, apart from our code: a fixed unit of work (JSON,
// BigInt arithmetic, a SHA-256, the kinds of work an order costs) timed in CPU time, not in wall
// time, so that waiting for a core does not count. Run while a phase runs, it tells a slow run on
// a slow CPU (the same work took longer) from a slow run of slower code (the probe unchanged). On
// these VMs the same code has cost 1.5 to 3 ms of CPU per order with no change in the work per
// order (WAL, buffers, Redis commands), and hardware counters are not offered (`perf stat -e
// instructions` says "not supported"), so this is the witness.
//
// This is the probe's process: every half second it runs the unit and sends the timing to the
// bench (bench/lib/speed-probe.ts started it, with an IPC channel). It exits when the channel
// closes, so it never outlives the bench.
import { createHash } from 'node:crypto';

export interface SpeedSample {
  /** epoch ms when the probe ran */
  atMs: number;
  /** CPU microseconds the unit of work took */
  us: number;
}

const EVERY_MS = 500;
const PAYLOAD = Buffer.alloc(16 * 1024, 7);

/**
 * The process's CPU time so far in microseconds. getrusage's user + system sum is the scheduler's
 * own runtime, exact to the nanosecond (only its split between the two is sampled); /proc's
 * per-thread schedstat is not, as it is brought up to date only when the thread is switched out.
 */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** The fixed work: about a millisecond on the VMs of this project. Returns something so it is not optimized away. */
function unitOfWork(): number {
  let sink = 0;
  for (let i = 0; i < 500; i++) {
    const order = { id: `order-${i}`, amountIn: (10n ** 9n * BigInt(i + 1)).toString(), slippageBps: 50, events: [1, 2, 3, 4, 5] };
    const parsed = JSON.parse(JSON.stringify(order)) as typeof order;
    const reserveIn = 10n ** 15n + BigInt(parsed.amountIn);
    sink += Number(((10n ** 15n * 997n * BigInt(parsed.amountIn)) / (reserveIn * 1000n)) % 1000n) + parsed.events.length;
  }
  return sink + createHash('sha256').update(PAYLOAD).digest()[0]!;
}

function probeOnce(): number {
  const t0 = cpuUs();
  unitOfWork();
  return cpuUs() - t0;
}

if (process.send) {
  for (let i = 0; i < 10; i++) probeOnce(); // the JIT's tiers settle
  const timer = setInterval(() => process.send?.({ atMs: Date.now(), us: probeOnce() } satisfies SpeedSample), EVERY_MS);
  process.once('disconnect', () => clearInterval(timer));
}
