// Does a busy second core slow this one? The speed probe (bench/speed-probe.ts) in CPU time with
// the other core idle, then while a second process keeps it busy, in turns, so drift shows. On a
// machine whose two virtual CPUs are one physical core's two hyperthreads, or share one with
// another tenant, the same work takes more CPU time when both are busy: then "both cores busy"
// is less than twice "one core busy", which bounds every throughput of the bench.
//   npx tsx bench/cpu-contention.ts [--seconds 10] [--turns 3]
// Run it on a quiet machine: any other load counts as a busy core.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { stopAll } from './lib/processes.js';
import { speedProbeBetween, startSpeedProbe } from './lib/speed-probe.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, turns: { type: 'string', default: '3' } } });
const windowMs = Number(values.seconds) * 1000;

/** Another process that keeps a core busy: V8 running the same kind of work, with no I/O. */
const BUSY = `const { createHash } = require('node:crypto'); const b = Buffer.alloc(16384, 7);
for (;;) { JSON.parse(JSON.stringify({ a: (10n ** 9n * 7n).toString(), e: [1, 2, 3] })); createHash('sha256').update(b).digest(); }`;

async function probeWindow(label: string, busy: boolean): Promise<number | null> {
  const burner = busy ? spawn(process.execPath, ['-e', BUSY], { stdio: 'ignore' }) : undefined;
  try {
    await sleep(1_000); // the burner up to speed, the last window's samples behind
    const from = Date.now();
    await sleep(windowMs);
    const us = speedProbeBetween(from, Date.now());
    console.log(`${label.padEnd(22)} ${us ?? '–'} µs`);
    return us;
  } finally {
    burner?.kill('SIGKILL');
  }
}

startSpeedProbe();
await sleep(3_000); // the probe's warm-up
const idle: number[] = [];
const loaded: number[] = [];
for (let turn = 0; turn < Number(values.turns); turn++) {
  const a = await probeWindow('other core idle', false);
  const b = await probeWindow('other core busy', true);
  if (a && b) idle.push(a), loaded.push(b);
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
if (idle.length) {
  const slowdown = mean(loaded) / mean(idle);
  console.log(`the same work took ${Math.round((slowdown - 1) * 100)} % more CPU time with the other core busy: both cores together do ${(2 / slowdown).toFixed(2)} cores' worth of work`);
}
await stopAll();
