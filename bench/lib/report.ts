// The results of a run: the JSON written to bench/results, the targets it is judged against, and
// the README block that shows it.
import type { BullmqBaseline } from '../bullmq-baseline.js';
import type { EngineThroughput } from '../engine-throughput.js';
import type { Fanout } from '../fanout.js';
import type { Growth } from '../growth.js';
import type { MutationLatency } from '../mutation-latency.js';
import { OVERHEAD_STAGES, type OverheadStage, type RealisticThroughput } from '../realistic.js';
import type { CpuReport } from './cpu.js';
import { round } from './stats.js';

export interface Phases {
  engine?: EngineThroughput;
  bullmq?: BullmqBaseline;
  realistic?: RealisticThroughput;
  mutation?: MutationLatency;
  fanout?: Fanout;
  growth?: Growth;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  /** processes with "vitest" in their command line when the run started (other people's test runs) */
  vitestProcessesAtStart: number;
}

export interface Target {
  name: string;
  value: number | null;
  unit: string;
  target: string;
  met: boolean | null;
}

export interface Results {
  engineOrdersPerSec: number | null;
  bullmqBaselineJobsPerSec: number | null;
  engineToBullmqRatio: number | null;
  realisticOrdersPerSec: number | null;
  realisticOverheadP50Ms: number | null;
  realisticOverheadP99Ms: number | null;
  mutationP50Ms: number | null;
  mutationP99Ms: number | null;
  mutationMaxMs: number | null;
  subscribers: number | null;
  deliveryP50Ms: number | null;
  deliveryP99Ms: number | null;
  bytesPerSubscriber: number | null;
  orderByIdP99MsAt1e6: number | null;
  ordersPageP99MsAt1e6: number | null;
  targets: Target[];
  notes: string[];
  run: { id: string; startedAt: string; finishedAt: string; durationSec: number; quick: boolean; phasesRun: string[]; options: Record<string, unknown> };
  machine: Machine;
  phases: Phases;
}

const at = (growth: Growth | undefined, orders: number) => growth?.levels.find((l) => l.orders === orders);

export function targetsOf(p: Phases): Target[] {
  const ratio = p.engine && p.bullmq ? p.engine.ordersPerSec / p.bullmq.jobsPerSec : null;
  const top = at(p.growth, 1_000_000);
  const t = (name: string, value: number | null | undefined, unit: string, target: string, ok: (v: number) => boolean): Target => ({
    name,
    value: value ?? null,
    unit,
    target,
    met: value == null || Number.isNaN(value) ? null : ok(value),
  });
  return [
    t('engine throughput', p.engine?.ordersPerSec, 'orders/s', '≥ 1,000', (v) => v >= 1000),
    // judged on the ratio itself: rounded to 0.33 first, a ratio of 0.3334 read as missed
    t('engine ÷ BullMQ add-and-await', ratio === null ? null : round(ratio, 4), '', '≥ 1/3', () => ratio! >= 1 / 3),
    t('realistic throughput', p.realistic?.ordersPerSec, 'orders/s', '≥ 500', (v) => v >= 500),
    t('realistic overhead p99', p.realistic?.overheadMs.p99, 'ms', '< 100', (v) => v < 100),
    t('mutation p99 at 500 req/s', p.mutation?.latencyMs.p99, 'ms', '< 15', (v) => v < 15),
    t('subscribers held', p.fanout ? Math.min(p.fanout.subscribed, p.fanout.completed) : null, '', '10,000', (v) => v >= 10_000),
    t('delivery p99', p.fanout?.deliveryMs.p99, 'ms', '< 100', (v) => v < 100),
    t('memory per subscriber', p.fanout ? round(p.fanout.bytesPerSubscriber / 1024, 1) : null, 'KB', '< 30', (v) => v < 30),
    t('order(id) p99 at 10^6', top?.orderByIdMs.p99, 'ms', '< 5', (v) => v < 5),
    t('orders(first: 50) p99 at 10^6', top?.ordersPageMs.p99, 'ms', '< 5', (v) => v < 5),
  ];
}

export function headline(p: Phases) {
  const top = at(p.growth, 1_000_000);
  return {
    engineOrdersPerSec: p.engine?.ordersPerSec ?? null,
    bullmqBaselineJobsPerSec: p.bullmq?.jobsPerSec ?? null,
    engineToBullmqRatio: p.engine && p.bullmq ? round(p.engine.ordersPerSec / p.bullmq.jobsPerSec, 4) : null,
    realisticOrdersPerSec: p.realistic?.ordersPerSec ?? null,
    realisticOverheadP50Ms: p.realistic?.overheadMs.p50 ?? null,
    realisticOverheadP99Ms: p.realistic?.overheadMs.p99 ?? null,
    mutationP50Ms: p.mutation?.latencyMs.p50 ?? null,
    mutationP99Ms: p.mutation?.latencyMs.p99 ?? null,
    mutationMaxMs: p.mutation?.latencyMs.max ?? null,
    subscribers: p.fanout?.subscribed ?? null,
    deliveryP50Ms: p.fanout?.deliveryMs.p50 ?? null,
    deliveryP99Ms: p.fanout?.deliveryMs.p99 ?? null,
    bytesPerSubscriber: p.fanout?.bytesPerSubscriber ?? null,
    orderByIdP99MsAt1e6: top?.orderByIdMs.p99 ?? null,
    ordersPageP99MsAt1e6: top?.ordersPageMs.p99 ?? null,
  };
}

/** Other processes' CPU, with the busiest of them named: "31 (kworker/u8:2 20, beam.smp 6)" */
const othersOf = (cpu: CpuReport) => (cpu.othersTop.length ? `${cpu.others} (${cpu.othersTop.map((o) => `${o.command} ${o.percent}`).join(', ')})` : `${cpu.others}`);

/** "api 61, worker 70, postgres 48, redis 6, bench 9; other processes 4; machine 188 of 200, and 10 taken by the hypervisor (steal); the speed probe's unit of work 880 µs of CPU" */
export function cpuLine(cpu: CpuReport): string {
  const groups = Object.entries(cpu.byGroup).map(([name, v]) => `${name} ${v}`);
  const probe = cpu.speedProbeUs == null ? '' : `; the speed probe's unit of work ${cpu.speedProbeUs} µs of CPU`;
  return `${[...groups, `bench ${cpu.bench}`].join(', ')}; other processes ${othersOf(cpu)}; machine ${cpu.machine} of ${cpu.cores * 100}, and ${cpu.steal} taken by the hypervisor (steal)${probe}`;
}

/** Each group's wake-ups (voluntary context switches) per unit, and their sum: "api 0.9, …, bench 0.7 (6.4 in all)" */
export function wakeupsLine(cpu: CpuReport, units: number): string {
  const per = Object.entries(cpu.wakeups).map(([name, n]) => [name, n / units] as const);
  const all = per.reduce((sum, [, n]) => sum + n, 0);
  return `${per.map(([name, n]) => `${name} ${n.toFixed(1)}`).join(', ')} (${all.toFixed(1)} in all)`;
}

/**
 * Evidence for each target a run missed, from the run itself: where the CPU went (% of one
 * core), what PostgreSQL's backends were doing, and where the profiles and plans are.
 */
export function notesOf(p: Phases, targets: Target[]): string[] {
  const missed = new Set(targets.filter((t) => t.met === false).map((t) => t.name));
  const notes: string[] = [];
  if (p.engine && (missed.has('engine throughput') || missed.has('engine ÷ BullMQ add-and-await'))) {
    const waits = Object.entries(p.engine.postgres.average)
      .filter(([what]) => what !== 'idle')
      .slice(0, 4)
      .map(([what, n]) => `${what} ${n}`)
      .join(', ');
    notes.push(
      `Engine throughput: CPU during the timed run (% of one core): ${cpuLine(p.engine.cpu)}. ` +
        `PostgreSQL backends on average: ${waits || 'none busy'}. Redis commands per order: ${Object.values(p.engine.redisCommandsPerOrder).reduce((a, b) => a + b, 0).toFixed(0)} ` +
        `(EVAL, the pools' compare-and-swap: ${p.engine.redisCommandsPerOrder.eval ?? 0}) in ${p.engine.redisSocketReadsPerOrder} messages, ` +
        `${p.engine.redisBytesInPerOrder} bytes in and ${p.engine.redisBytesOutPerOrder} out. ` +
        `PostgreSQL per order: ${p.engine.postgresWork.walBytesPerUnit} bytes of WAL, ${p.engine.postgresWork.buffersPerUnit} buffers, ` +
        `${Math.round(p.engine.postgresWork.ordersHotShare * 100)} % of its ${p.engine.postgresWork.ordersUpdatesPerUnit} updates HOT, ` +
        `${p.engine.postgresWork.seqRowsReadPerUnit} rows read by sequential scans. ` +
        `An order's end to end p50 ${p.engine.endToEndMs.p50} ms, of which its mutation ${p.engine.mutationMs.p50} ms and its job's wait for a worker ${p.engine.queueWait.meanMs} ms (mean). ` +
        `Wake-ups (a thread's sleep ended) per order: ${wakeupsLine(p.engine.cpu, p.engine.orders)}. ` +
        `Profiles: bench/results/profile-summary.md (\`--profile\`).`,
    );
  }
  if (p.realistic && (missed.has('realistic throughput') || missed.has('realistic overhead p99'))) {
    const r = p.realistic;
    notes.push(
      `Realistic: ${r.confirmed} of ${r.orders} confirmed (${r.unfinished} unfinished a minute after the last was sent, ${r.retried} retried), ` +
        `${r.inFlightAtEnd} in flight when the last was sent (keeping up would be about ${Math.round(r.offeredPerSec * 2.7)}); mutation p50 ${r.mutationMs.p50} ms; CPU: ${cpuLine(r.cpu)}; ` +
        `wake-ups (a thread's sleep ended) per order: ${wakeupsLine(r.cpu, r.orders)}; ` +
        `pool compare-and-swap attempts (Redis EVAL) per order sent: ${r.redisCommandsPerOrder.eval ?? 0} (1 when swaps do not collide).`,
    );
  }
  if (p.mutation && missed.has('mutation p99 at 500 req/s')) {
    const alone = p.mutation.apiAlone;
    notes.push(
      `Mutation latency: ${p.mutation.achievedPerSec} answers/s achieved of ${p.mutation.offeredPerSec} offered; CPU: ${cpuLine(p.mutation.cpu)}.` +
        (alone ? ` With the worker stopped: ${alone.achievedPerSec} answers/s; CPU: ${cpuLine(alone.cpu)}.` : ''),
    );
  }
  if (p.fanout && (missed.has('delivery p99') || missed.has('memory per subscriber') || missed.has('subscribers held'))) {
    const f = p.fanout;
    notes.push(
      `Fan-out: ${f.subscribed} subscribed in ${f.subscribeSeconds} s, ${f.completed} streams completed, ${f.errors} errors, ${f.closedEarly} closed early` +
        `${f.firstError ? ` (first: ${f.firstError})` : ''}. Held idle, the subscribers cost ${f.idleQueriesPerSec} PostgreSQL queries/s and CPU ${cpuLine(f.idleCpu)}; ` +
        `delivering ${f.deliveriesPerSec} events/s: ${cpuLine(f.deliveryCpu)}. ` +
        `Delivery p99 by second of the events' \`at\` since the worker started (deliveries), from \`at\` / from the publish: ${f.deliveryBySecond.map((s) => `${s.second} s ${s.p99} / ${s.p99FromPublish ?? '—'} ms (${s.deliveries})`).join(', ')}. Per subscriber the API holds ${Math.round(f.heapBytesPerSubscriber / 1024)} KB of live heap ` +
        '(by constructor: bench/results/heap-summary.md, `--quick --profile --only fanout`).',
    );
  }
  if (p.growth && (missed.has('order(id) p99 at 10^6') || missed.has('orders(first: 50) p99 at 10^6'))) {
    const top = p.growth.levels[p.growth.levels.length - 1]!;
    const phases = (x: Record<string, number>) => Object.entries(x).map(([k, v]) => `${k} ${v}`).join(', ');
    notes.push(
      `Growth: mean ms per request inside the API at ${top.orders.toLocaleString('en-US')} orders, order(id): ${phases(top.orderByIdPhases)}; orders(first: 50): ${phases(top.ordersPagePhases)}; ` +
        `other processes on the machine used ${p.growth.levels.map((l) => othersOf(l.cpu)).join(' / ')} % of a core while the sizes were timed. ` +
        `Each of their SQL statements executes in at most ${p.growth.sqlExecutionMsMax} ms (EXPLAIN ANALYZE: ${p.growth.explainFile}). ` +
        `Untimed warm-up: order(id) p99 over the fresh API's first ${p.growth.warmup.requestsPerQuery.toLocaleString('en-US')} requests, by blocks of ${p.growth.warmup.blockSize}: ${p.growth.warmup.orderByIdBlocks.map((b) => b.p99).join(', ')} ms.`,
    );
  }
  return notes;
}

const num = (v: number | null | undefined, digits = 0) => (v == null || Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits }));

/** The README block: the table, the conditions of the run, and the notes. */
export function readmeBlock(r: Results): string {
  const p = r.phases;
  const met = (name: string) => {
    const target = r.targets.find((t) => t.name === name);
    return target?.met == null ? '' : target.met ? 'yes' : '**no**';
  };
  const row = (what: string, result: string, target: string, name: string) => `| ${what} | ${result} | ${target} | ${met(name)} |`;
  const levels = p.growth?.levels ?? [];
  const growthRows = levels.map(
    (l) =>
      `| order(id) / orders(first: 50) with ${l.orders.toLocaleString('en-US')} orders stored | p50 ${num(l.orderByIdMs.p50, 2)} / ${num(l.ordersPageMs.p50, 2)} ms, p99 ${num(l.orderByIdMs.p99, 2)} / ${num(l.ordersPageMs.p99, 2)} ms | ${l.orders === 1_000_000 ? 'p99 < 5 ms' : ''} | ${l.orders === 1_000_000 ? [met('order(id) p99 at 10^6'), met('orders(first: 50) p99 at 10^6')].join(' / ') : ''} |`,
  );
  const m = r.machine;
  const others = [p.engine?.cpu, p.bullmq?.cpu, p.realistic?.cpu, p.mutation?.cpu, p.fanout?.idleCpu, p.fanout?.deliveryCpu, ...(p.growth?.levels.map((l) => l.cpu) ?? [])]
    .filter((c): c is CpuReport => Boolean(c))
    .map((c) => c.others);
  return [
    '| measure | result | target | met |',
    '| --- | --- | --- | --- |',
    row(
      `1. engine: mutation → CONFIRMED, zero venue latency, ${num(p.engine?.orders)} orders, ${num(p.engine?.inFlight)} in flight, ${p.engine?.workers ?? '—'} worker process(es)`,
      `${num(r.engineOrdersPerSec)} orders/s (${num(p.engine?.eventsStoredPerOrder, 2)} events stored, ${num(p.engine?.eventsPublishedPerOrder, 2)} published per order)`,
      '≥ 1,000 orders/s',
      'engine throughput',
    ),
    row('   BullMQ alone: no-op jobs added and awaited, same in flight, same Redis', `${num(r.bullmqBaselineJobsPerSec)} jobs/s`, '', ''),
    row('   engine ÷ BullMQ', num(r.engineToBullmqRatio, 4), '≥ 1/3', 'engine ÷ BullMQ add-and-await'),
    row(
      `2. realistic: quotes 200 ms, confirmation 2-3 s, ${num(p.realistic?.offeredPerSec)} orders/s offered for ${num(p.realistic?.durationSec)} s`,
      `${num(r.realisticOrdersPerSec)} orders/s`,
      '≥ 500 orders/s',
      'realistic throughput',
    ),
    row('   overhead above the simulated latency', `p50 ${num(r.realisticOverheadP50Ms, 1)} ms, p99 ${num(r.realisticOverheadP99Ms, 1)} ms`, 'p99 < 100 ms', 'realistic overhead p99'),
    row(
      '   where the overhead arose, p50 / p99 (from the events PostgreSQL stored)',
      p.realistic
        ? Object.entries(p.realistic.overheadByStageMs)
            .map(([stage, ms]) => `${OVERHEAD_STAGES[stage as OverheadStage]}: ${num(ms.p50, 1)} / ${num(ms.p99, 1)} ms`)
            .join('; ') +
          `; of PENDING → ROUTING, the job's wait for a worker: mean ${num(p.realistic.queueWait.meanMs, 1)} ms, p99 ≤ ${num(p.realistic.queueWait.p99AtMostMs, 1)} ms`
        : '—',
      '',
      '',
    ),
    row(
      `3. executeMarketOrder at ${num(p.mutation?.offeredPerSec)} requests/s (HTTP keep-alive, open loop, ${num(p.mutation?.requests)} requests), a worker executing them on the same cores`,
      `p50 ${num(r.mutationP50Ms, 2)} ms, p99 ${num(r.mutationP99Ms, 2)} ms, max ${num(r.mutationMaxMs, 1)} ms`,
      'p99 < 15 ms',
      'mutation p99 at 500 req/s',
    ),
    row(
      '   the same with the worker stopped (workers on machines of their own)',
      p.mutation?.apiAlone
        ? `p50 ${num(p.mutation.apiAlone.latencyMs.p50, 2)} ms, p99 ${num(p.mutation.apiAlone.latencyMs.p99, 2)} ms, max ${num(p.mutation.apiAlone.latencyMs.max, 1)} ms`
        : '—',
      '',
      '',
    ),
    row(
      `4. graphql-ws subscribers on one API process (one WebSocket each, ${num(p.fanout?.subscribersPerOrder)} per order` +
        `${p.fanout?.ordersStartedPerSecAtMost ? `; orders started at most ${p.fanout.ordersStartedPerSecAtMost} a second, --paced-fanout` : ''})`,
      `${num(r.subscribers)} held, ${num(p.fanout?.completed)} streams completed`,
      '10,000',
      'subscribers held',
    ),
    row('   delivery, event `at` → subscriber', `p50 ${num(r.deliveryP50Ms, 1)} ms, p99 ${num(r.deliveryP99Ms, 1)} ms`, 'p99 < 100 ms', 'delivery p99'),
    row(
      '   of which: the event\'s publish (when Redis handed it to a bench connection) → subscriber; `at` → publish, once per event',
      p.fanout?.publishToClientMs
        ? `p50 ${num(p.fanout.publishToClientMs.p50, 1)} ms, p99 ${num(p.fanout.publishToClientMs.p99, 1)} ms; p50 ${num(p.fanout.commitToPublishMs.p50, 1)} ms, p99 ${num(p.fanout.commitToPublishMs.p99, 1)} ms`
        : '—',
      '',
      '',
    ),
    row('   API memory per subscriber (RSS growth)', `${num(r.bytesPerSubscriber == null ? null : r.bytesPerSubscriber / 1024, 1)} KB`, '< 30 KB', 'memory per subscriber'),
    ...growthRows.map((line, i) => (i === 0 ? line.replace('| order(id)', '| 5. order(id)') : line.replace('| order(id)', '|    order(id)'))),
    ...(p.growth
      ? [
          row(
            '   floor of a request, after the warm-up: `{ __typename }` over the same HTTP connection and key (no database) / a PostgreSQL `SELECT 1` round trip',
            `p50 ${num(p.growth.floor.typenameMs.p50, 2)} / ${num(p.growth.floor.postgresRoundTripMs.p50, 2)} ms, p99 ${num(p.growth.floor.typenameMs.p99, 2)} / ${num(p.growth.floor.postgresRoundTripMs.p99, 2)} ms`,
            '',
            '',
          ),
        ]
      : []),
    '',
    `Run ${r.run.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${num(r.run.durationSec)} s, on ${m.cpus} × ${m.cpuModel} (${m.memoryGb} GB), Node ${m.node}, ` +
      `PostgreSQL, Redis, API, workers and load generators all on those cores. Load average at start ${m.loadAverageAtStart.map((x) => x.toFixed(2)).join(' / ')} ` +
      `with ${m.vitestProcessesAtStart} vitest processes of other runs on the machine; other processes used ` +
      `${others.length ? `${Math.min(...others)}-${Math.max(...others)} %` : '—'} of a core during the phases (\`cpu.others\`). Details: \`bench/results/latest.json\`.`,
    ...(r.notes.length ? ['', ...r.notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}
