// `npm run bench`: starts the real system (API and worker processes, PostgreSQL, Redis) and
// measures it in one run; see "## Performance" in the README.
//
//   npm run bench                       everything (about 10 minutes), results in bench/results and the README
//   npm run bench -- --quick            a smoke run of a minute or two (bench/results/last-quick.json only)
//   npm run bench -- --profile          also --cpu-prof the engine phase (bench/results/profile-summary.md)
//   npm run bench -- --only engine,bullmq   some phases (bench/results/last-partial.json only)
//   --workers N  worker processes in the throughput phases; --in-flight N  orders (and jobs) in flight in the
//   engine and BullMQ phases; --orders N  timed orders (and jobs) in those phases (default 20,000);
//   --rate N  offered orders/s of the realistic and mutation phases (default 500, the target's rate)
import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bullmqBaseline } from './bullmq-baseline.js';
import { engineThroughput } from './engine-throughput.js';
import { fanout } from './fanout.js';
import { growth } from './growth.js';
import { createKeyIssuer, type BenchContext, type BenchOptions } from './lib/context.js';
import { startInfrastructure, type BenchInfrastructure } from './lib/infrastructure.js';
import { ROOT, stopAll } from './lib/processes.js';
import { writeProfileSummary } from './lib/profile-summary.js';
import { Progress } from './lib/progress.js';
import { startSpeedProbe } from './lib/speed-probe.js';
import { headline, notesOf, readmeBlock, targetsOf, type Machine, type Phases, type Results } from './lib/report.js';
import { updateReadme } from './lib/readme.js';
import { mutationLatency } from './mutation-latency.js';
import { realisticThroughput } from './realistic.js';

const PHASES = ['engine', 'bullmq', 'realistic', 'mutation', 'fanout', 'growth'] as const;
/** PostgreSQL connections per API or worker process in the throughput phases. */
const DATABASE_POOL_SIZE = 20;

function parseOptions(argv: string[]): BenchOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only')?.split(',').map((s) => s.trim()).filter(Boolean) ?? null;
  const unknown = only?.filter((p) => !(PHASES as readonly string[]).includes(p)) ?? [];
  if (unknown.length) throw new Error(`--only: unknown phase(s) ${unknown.join(', ')}; phases: ${PHASES.join(', ')}`);
  return {
    quick: argv.includes('--quick'),
    profile: argv.includes('--profile'),
    pacedFanout: argv.includes('--paced-fanout'),
    workers: Number(value('--workers') ?? 1),
    inFlight: Number(value('--in-flight') ?? 100),
    orders: Number(value('--orders') ?? (argv.includes('--quick') ? 600 : 20_000)),
    rate: value('--rate') === undefined ? null : Number(value('--rate')),
    only,
  };
}

function machine(): Machine {
  let vitest = 0;
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('vitest')) vitest++;
    } catch {
      // gone meanwhile
    }
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    vitestProcessesAtStart: vitest,
  };
}

const options = parseOptions(process.argv.slice(2));
process.chdir(ROOT);
const progress = new Progress();
const startedAt = new Date();
const runId = startedAt.getTime().toString(36);
const resultsDir = path.join(ROOT, 'bench', 'results');
const runs = (phase: (typeof PHASES)[number]) => !options.only || options.only.includes(phase);
const host = machine();
progress.log(
  `bench ${options.quick ? '(quick) ' : ''}run ${runId}: ${host.cpus} cores, load average ${host.loadAverageAtStart.join(' ')}, ` +
    `${host.vitestProcessesAtStart} vitest processes running`,
);

let infra: BenchInfrastructure | undefined;
let interrupted = false;
const shutDown = async (code: number) => {
  await stopAll();
  await infra?.stop();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: now
    interrupted = true;
    progress.log(`\n${signal}: stopping every process the bench started…`);
    void shutDown(130);
  });
}

try {
  infra = await startInfrastructure((line) => progress.log(line));
  startSpeedProbe();
  await mkdir(path.join(resultsDir, 'profiles'), { recursive: true });
  const ctx: BenchContext = { options, infra, progress, runId, resultsDir, issueKey: createKeyIssuer(infra.databaseUrl, runId) };
  const q = options.quick;
  const phases: Phases = {};
  const checkpoint = () => infra!.pool.query('CHECKPOINT').catch(() => undefined);

  if (runs('engine')) {
    await checkpoint();
    phases.engine = await engineThroughput(ctx, { orders: options.orders, warmup: q ? 100 : 1_000, databasePoolSize: DATABASE_POOL_SIZE });
  }
  if (runs('bullmq')) phases.bullmq = await bullmqBaseline(ctx, { jobs: options.orders, warmup: q ? 100 : 1_000 });
  if (runs('realistic')) {
    await checkpoint();
    phases.realistic = await realisticThroughput(ctx, { ratePerSec: options.rate ?? (q ? 100 : 500), durationMs: q ? 8_000 : 30_000, databasePoolSize: DATABASE_POOL_SIZE });
  }
  if (runs('mutation')) {
    await checkpoint();
    phases.mutation = await mutationLatency(ctx, { ratePerSec: options.rate ?? 500, durationMs: q ? 4_000 : 20_000, databasePoolSize: DATABASE_POOL_SIZE });
  }
  if (runs('fanout')) phases.fanout = await fanout(ctx, { subscribers: q ? 500 : 10_000, subscribersPerOrder: 10, databasePoolSize: DATABASE_POOL_SIZE });
  if (runs('growth')) phases.growth = await growth(ctx, { levels: q ? [10_000] : [10_000, 100_000, 1_000_000], requests: q ? 200 : 500 });

  if (options.profile) await writeProfileSummary(ctx, PHASES.filter(runs));
  const finishedAt = new Date();
  const targets = targetsOf(phases);
  const results: Results = {
    ...headline(phases),
    targets,
    notes: notesOf(phases, targets),
    run: {
      id: runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSec: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
      quick: q,
      phasesRun: PHASES.filter(runs),
      options: { ...options, databasePoolSize: DATABASE_POOL_SIZE, databaseUrlFromEnv: !infra.owned.postgres, redisUrlFromEnv: !infra.owned.redis },
    },
    machine: { ...host, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    phases,
  };
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const full = !q && !options.only && options.rate === null;
  if (full) {
    const latest = path.join(resultsDir, 'latest.json');
    await writeFile(latest, json);
    await copyFile(latest, path.join(resultsDir, `${startedAt.toISOString().slice(0, 19).replace(/:/g, '-')}.json`));
    await updateReadme(path.join(ROOT, 'README.md'), readmeBlock(results));
    progress.log(`results: bench/results/latest.json (and a dated copy); README table updated`);
  } else {
    const file = path.join(resultsDir, q ? 'last-quick.json' : 'last-partial.json');
    await writeFile(file, json);
    progress.log(`results: ${path.relative(ROOT, file)} (a quick or partial run leaves latest.json and the README alone)`);
  }
  for (const t of targets) {
    if (t.value === null) continue;
    progress.log(`  ${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.value}${t.unit ? ` ${t.unit}` : ''} (target ${t.target})`);
  }
  await shutDown(0);
} catch (error) {
  progress.log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  await shutDown(1);
}
