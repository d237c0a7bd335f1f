// Every full run committed in bench/results, side by side, and how often each target was met.
//
// Each dated JSON is a full `npm run bench` (quick and partial runs write only last-*.json). Its
// targets are judged again with the bench's current rules (`targetsOf`), so that runs made
// before a rule was refined (the ratio was once rounded to 0.33 first) count alike.
//
//   npx tsx bench/runs.ts [--since 2026-12-06T05-15] [--runs]
//
// `--since` keeps the runs whose file name (the run's start, UTC) sorts at or after it; `--runs`
// also prints one row per run, with the speed probe of the engine phase (bench/speed-probe.ts;
// runs before 2026-12-07 19:00 have none). The summary says, per target, in how many runs it was met and the
// range of its value.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { targetsOf, type Results, type Target } from './lib/report.js';
import { round } from './lib/stats.js';

const DATED = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.json$/;
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

const { values } = parseArgs({ options: { since: { type: 'string', default: '' }, runs: { type: 'boolean', default: false } } });

interface Run {
  stamp: string;
  results: Results;
  targets: Target[];
}

async function fullRuns(since: string): Promise<Run[]> {
  const names = (await readdir(resultsDir)).filter((name) => DATED.test(name) && name >= since).sort();
  const runs: Run[] = [];
  for (const name of names) {
    const results = JSON.parse(await readFile(path.join(resultsDir, name), 'utf8')) as Results;
    runs.push({ stamp: name.slice(0, 16).replace('T', ' ').replace(/-(\d\d)$/, ':$1'), results, targets: targetsOf(results.phases) });
  }
  return runs;
}

const show = (v: number | null | undefined) => (v == null || Number.isNaN(v) ? '–' : String(v));

/** The machine's CPU per order in the engine phase: busy cores over orders per second. */
function cpuMsPerOrder(r: Results): number | null {
  const engine = r.phases.engine;
  return engine?.cpu ? round((engine.cpu.machine * 10) / engine.ordersPerSec, 2) : null;
}

function runRow({ stamp, results: r, targets }: Run): string {
  const p = r.phases;
  const cells = [
    stamp,
    r.machine.cpuModel,
    show(p.engine?.ordersPerSec),
    show(cpuMsPerOrder(r)),
    show(p.engine?.cpu?.speedProbeUs),
    show(p.bullmq?.jobsPerSec),
    show(r.engineToBullmqRatio),
    show(p.realistic?.ordersPerSec),
    show(p.realistic?.overheadMs.p99),
    `${show(p.mutation?.latencyMs.p99)} (${show(p.mutation?.apiAlone?.latencyMs.p99)})`,
    `${show(p.fanout?.deliveryMs.p99)} (${show(p.fanout?.publishToClientMs?.p99)})`,
    `${show(r.orderByIdP99MsAt1e6)} / ${show(r.ordersPageP99MsAt1e6)}`,
    String(targets.filter((t) => t.met).length),
  ];
  return `| ${cells.join(' | ')} |`;
}

function summaryRow(name: string, runs: Run[]): string {
  const judged = runs.map((run) => run.targets.find((t) => t.name === name)).filter((t): t is Target => t?.value != null);
  const values = judged.map((t) => t.value!);
  const met = judged.filter((t) => t.met).length;
  const range = values.length ? `${Math.min(...values)}-${Math.max(...values)}` : '–';
  return `| ${name} (${judged[0]?.target ?? ''}) | ${met} of ${judged.length} | ${range} |`;
}

const runs = await fullRuns(values.since);
if (runs.length === 0) {
  console.error(`no dated full runs in ${path.relative(process.cwd(), resultsDir)}${values.since ? ` from ${values.since}` : ''}`);
  process.exit(1);
}
const metCounts = runs.map((run) => run.targets.filter((t) => t.met).length);
console.log(`${runs.length} full runs, ${runs[0]!.stamp} to ${runs.at(-1)!.stamp} UTC; targets met per run: ${Math.min(...metCounts)}-${Math.max(...metCounts)} of 10\n`);
if (values.runs) {
  console.log('| run (UTC) | CPU | engine orders/s | CPU ms per order | speed probe µs | BullMQ jobs/s | ratio | realistic orders/s | overhead p99 ms | mutation p99 ms (worker stopped) | delivery p99 ms (from publish) | order(id) / orders(first: 50) p99 ms at 10^6 | met |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const run of runs) console.log(runRow(run));
  console.log('');
}
const apiAlone = runs.map((run) => run.results.phases.mutation?.apiAlone?.latencyMs.p99).filter((v): v is number => v != null);
console.log('| target | met in | range |');
console.log('| --- | --- | --- |');
for (const { name } of runs[0]!.targets) console.log(summaryRow(name, runs));
if (apiAlone.length) console.log(`| mutation p99 with the worker stopped (< 15) | ${apiAlone.filter((v) => v < 15).length} of ${apiAlone.length} | ${Math.min(...apiAlone)}-${Math.max(...apiAlone)} |`);
