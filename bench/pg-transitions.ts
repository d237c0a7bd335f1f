// PostgreSQL's cost of an order's writes under two schemas, measured side by side:
//
//   npx tsx bench/pg-transitions.ts [--before <migration>] [--rounds 6] [--orders 5000] [--lanes 100]
//
// Two databases on the bench's PostgreSQL server: one migrated up to and including `--before`
// (default: the migration before the last), one migrated fully. Rounds alternate between them,
// each storing `--orders` orders through the real OrderStore, 100 at a time, and moving each
// PENDING → ROUTING → BUILDING (with its routing decision) → SUBMITTED → CONFIRMED as the worker
// does, group-committed. Per order: the CPU of every PostgreSQL process (the server runs nothing
// else meanwhile) and the WAL written. The machine's speed drifts by tens of percent within
// minutes on a shared virtual machine; alternating rounds puts both schemas under the same drift,
// and the WAL figure does not drift at all. Results: bench/results/pg-transitions.json.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { OrderStore, type OrderChanges, type NewRoutingDecision } from '../src/engine/order-store.js';
import type { OrderStatus } from '../src/engine/types.js';
import { applyMigrations } from '../src/infra/migrate.js';
import { createDatabase, type Database } from '../src/infra/prisma.js';
import { postgresPids, processCpuMs } from './lib/cpu.js';
import { analyzeOrderTables, countPostgresWork } from './lib/pg-work.js';
import { startInfrastructure } from './lib/infrastructure.js';
import { ROOT } from './lib/processes.js';
import { round } from './lib/stats.js';

const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');

const argv = process.argv.slice(2);
const option = (flag: string) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const migrations = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const before = option('--before') ?? migrations.at(-2)!;
if (!migrations.includes(before)) throw new Error(`--before: no migration ${before}`);
const rounds = Number(option('--rounds') ?? 6);
const ordersPerRound = Number(option('--orders') ?? 5000);
/** orders in flight at once: 100 batches transitions the way a busy worker does, 1 not at all */
const LANES = Number(option('--lanes') ?? 100);

const decision: NewRoutingDecision = {
  chosenDex: 'RAYDIUM',
  quotes: [
    { dex: 'RAYDIUM', amountOut: '149812345', fee: '2500000', priceImpactBps: 3 },
    { dex: 'METEORA', amountOut: '149700000', fee: '1000000', priceImpactBps: 5 },
  ],
  expectedAmountOut: 149_812_345n,
  minAmountOut: 149_063_283n,
  reason: 'RAYDIUM returns 149.812345 USDC, 0.112345 more than METEORA',
};

/** The worker's four transitions and what each sets (src/engine/order-executor.ts). */
const STEPS: { to: OrderStatus; changes?: OrderChanges; decision?: NewRoutingDecision }[] = [
  { to: 'ROUTING' },
  { to: 'BUILDING', changes: { dex: 'RAYDIUM', minAmountOut: decision.minAmountOut }, decision },
  { to: 'SUBMITTED', changes: { txSignature: '5'.repeat(88) } },
  { to: 'CONFIRMED', changes: { amountOut: decision.expectedAmountOut } },
];

interface Schema {
  label: string;
  url: string;
  database: Database;
  store: OrderStore;
  accountId: string;
  cpuMsPerOrder: number[];
  walBytesPerOrder: number[];
}

async function runRound(schema: Schema, pids: () => number[], admin: pg.Pool): Promise<void> {
  const cpu = () => pids().reduce((sum, pid) => sum + processCpuMs(pid), 0);
  const [cpu0, work] = [cpu(), await countPostgresWork(admin)];
  let next = 0;
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (next < ordersPerRound) {
        next++;
        const created = await schema.store.create(
          { id: randomUUID(), accountId: schema.accountId, clientOrderId: null, tokenIn: 'SOL', tokenOut: 'USDC', amountIn: 1_000_000_000n, slippageBps: 50 },
          'accepted and queued',
        );
        if (!created.created) throw new Error('order not created');
        let from: OrderStatus = 'PENDING';
        for (const { to, changes, decision } of STEPS) {
          const event = await schema.store.transition({ orderId: created.order.id, from: { status: from, attempt: 0 }, to, attempt: 0, message: to, changes, decision });
          if (!event) throw new Error(`transition to ${to} did not apply`);
          from = to;
        }
      }
    }),
  );
  const cpuMs = cpu() - cpu0;
  // only the WAL figure of the work: the backends stay connected, so their statistics may lag
  const { walBytesPerUnit } = await work.stop(ordersPerRound);
  schema.cpuMsPerOrder.push(cpuMs / ordersPerRound);
  schema.walBytesPerOrder.push(walBytesPerUnit);
  console.log(`${schema.label.padEnd(40)} ${round(cpuMs / ordersPerRound, 3)} ms of PostgreSQL CPU, ${walBytesPerUnit} bytes of WAL per order`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const infra = await startInfrastructure((line) => console.log(line));
const workDir = mkdtempSync(path.join(os.tmpdir(), 'pg-transitions-'));
const schemas: Schema[] = [];
try {
  const admin = infra.pool;
  for (const [label, upTo] of [
    [`up to ${before}`, before],
    [`up to ${migrations.at(-1)}`, migrations.at(-1)!],
  ] as const) {
    const name = `bench_transitions_${schemas.length}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(infra.databaseUrl);
    url.pathname = `/${name}`;
    const dir = path.join(workDir, name);
    for (const m of migrations.filter((m) => m <= upTo)) cpSync(path.join(MIGRATIONS_DIR, m), path.join(dir, m), { recursive: true });
    cpSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(dir, 'migration_lock.toml'));
    await applyMigrations(url.toString(), { migrationsDir: dir });
    const database = createDatabase(url.toString(), { max: 20 });
    // connections stay open across the other schema's round, so no round pays for new backends
    database.pool.options.idleTimeoutMillis = 0;
    const accountId = randomUUID();
    await database.prisma.account.create({ data: { id: accountId, name: 'bench' } });
    schemas.push({ label, url: url.toString(), database, store: new OrderStore(database), accountId, cpuMsPerOrder: [], walBytesPerOrder: [] });
  }
  // a server the bench did not start (DATABASE_URL) has no processes it can read: WAL only
  if (!infra.postmasterPid) console.log('PostgreSQL runs elsewhere (DATABASE_URL): its CPU is not measured, only the WAL');
  const pids = postgresPids(infra.postmasterPid);
  // a first round each, unmeasured: plans, caches and the JIT of this process; then statistics,
  // so that no plan made while the tables were empty scans them for the measured rounds
  for (const schema of schemas) {
    await runRound(schema, pids, admin);
    await analyzeOrderTables(schema.database.pool);
    schema.cpuMsPerOrder.length = 0;
    schema.walBytesPerOrder.length = 0;
  }
  for (let r = 0; r < rounds; r++) for (const schema of r % 2 ? [...schemas].reverse() : schemas) await runRound(schema, pids, admin);

  const result = {
    at: new Date().toISOString(),
    ordersPerRound,
    rounds,
    lanes: LANES,
    schemas: schemas.map((s) => ({
      schema: s.label,
      cpuMsPerOrderMedian: round(median(s.cpuMsPerOrder), 3),
      cpuMsPerOrder: s.cpuMsPerOrder.map((x) => round(x, 3)),
      walBytesPerOrderMedian: Math.round(median(s.walBytesPerOrder)),
    })),
    /** the second schema's CPU per order over the first's, round by round (each pair ran back to back) */
    cpuRatioMedian: infra.postmasterPid ? round(median(schemas[1]!.cpuMsPerOrder.map((x, i) => x / schemas[0]!.cpuMsPerOrder[i]!)), 3) : null,
  };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(path.join(ROOT, 'bench', 'results', 'pg-transitions.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  for (const schema of schemas) await schema.database.prisma.$disconnect();
  for (let i = 0; i < schemas.length; i++) await infra.pool.query(`DROP DATABASE IF EXISTS bench_transitions_${i} WITH (FORCE)`).catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
  await infra.stop();
}
