// What every phase gets from bench/run.ts, and the environment its processes run with.
import path from 'node:path';
import { AccountStore } from '../../src/accounts/account-store.js';
import { createDatabase } from '../../src/infra/prisma.js';
import { cpuWindow, postgresPids, redisPids, type CpuGroup } from './cpu.js';
import type { BenchInfrastructure } from './infrastructure.js';
import { startCpuProfile } from './inspector.js';
import type { BenchProcess, RoleProcess } from './processes.js';
import type { Progress } from './progress.js';

export interface BenchOptions {
  /** a small smoke run: hundreds of orders, 500 subscribers, 10^4 stored orders */
  quick: boolean;
  /** --cpu-prof the engine-throughput phase's processes and summarize the profiles */
  profile: boolean;
  /** worker processes in the throughput phases */
  workers: number;
  /** orders in flight (and BullMQ jobs in flight) in the engine-throughput phase */
  inFlight: number;
  /** timed orders (and no-op jobs) of the engine and BullMQ phases; default 20,000 (quick: 600) */
  orders: number;
  /** offered orders/s of the realistic and mutation phases; null: the target's 500 (quick: 100 realistic) */
  rate: number | null;
  /**
   * the fan-out phase's worker starts at most 100 orders a second (a BullMQ global rate limit on
   * the phase's queue) instead of its first 250 at one instant
   */
  pacedFanout: boolean;
  /** phases to run; default all */
  only: readonly string[] | null;
}

export interface BenchContext {
  options: BenchOptions;
  infra: BenchInfrastructure;
  progress: Progress;
  /** distinguishes this run's queues, namespaces and accounts */
  runId: string;
  resultsDir: string;
  /** an API key of a fresh account of this run */
  issueKey(label: string): Promise<{ key: string; accountId: string }>;
}

export function createKeyIssuer(databaseUrl: string, runId: string) {
  return async (label: string) => {
    const database = createDatabase(databaseUrl, { max: 1 });
    try {
      const issued = await new AccountStore(database).issueKey(`bench-${label}-${runId}`);
      return { key: issued.key, accountId: issued.accountId };
    } finally {
      await database.prisma.$disconnect();
    }
  };
}

/**
 * The environment of one phase's API and worker processes: its own queue and simulated market,
 * no rate limit (the bench is one client sending thousands of orders a second), no reconciler
 * (it would re-enqueue an earlier phase's leftovers into this phase's queue), the production
 * NODE_ENV, and a short shutdown grace so a phase ends promptly.
 */
export function roleEnv(ctx: BenchContext, phase: string, settings: Record<string, string | number>): Record<string, string> {
  const name = `bench-${phase}-${ctx.runId}`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: ctx.infra.databaseUrl,
    REDIS_URL: ctx.infra.redisUrl,
    QUEUE_NAME: name,
    SIM_NAMESPACE: name,
    SIM_FLOW_MS: '0',
    ORDER_RATE_LIMIT: '0',
    RECONCILE_INTERVAL_MS: '0',
    SHUTDOWN_GRACE_MS: '2000',
    LOG_LEVEL: 'warn',
  };
  for (const [key, value] of Object.entries(settings)) env[key] = String(value);
  return env;
}

/**
 * Under --profile, CPU-profiles the phase's processes (started with `inspect: ctx.options.profile`)
 * over a measurement's window: `stop()` writes `<runId>-<phase>-<name>.cpuprofile` of each into
 * bench/results/profiles. Without --profile it does nothing.
 */
export async function profileWindow(ctx: BenchContext, phase: string, processes: RoleProcess[]): Promise<{ stop(): Promise<void> }> {
  const profiled = processes.filter((p) => ctx.options.profile && p.inspectPort);
  const sessions = await Promise.all(profiled.map(async (p) => ({ p, session: await startCpuProfile(p.inspectPort!) })));
  return {
    async stop() {
      await Promise.all(sessions.map(({ p, session }) => session.stop(path.join(ctx.resultsDir, 'profiles', `${ctx.runId}-${phase}-${p.name}.cpuprofile`))));
    },
  };
}

/** CPU groups of a phase: its processes by role, PostgreSQL and Redis. */
export function cpuGroups(ctx: BenchContext, processes: Record<string, BenchProcess[]>): CpuGroup[] {
  const redisPort = ctx.infra.owned.redis ? Number(new URL(ctx.infra.redisUrl).port) : undefined;
  return [
    ...Object.entries(processes).map(([name, list]) => ({ name, pids: () => list.map((p) => p.pid).filter(Boolean) })),
    { name: 'postgres', pids: postgresPids(ctx.infra.postmasterPid) },
    { name: 'redis', pids: redisPids(redisPort) },
  ];
}

export { cpuWindow };
