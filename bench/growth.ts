// Measure 5: how the cost of reading grows with the data. Synthetic orders (each with the five
// events of a confirmed order) are inserted straight into PostgreSQL with generate_series, up to
// 10^4, 10^5 and 10^6 orders of one account; at each size the real GraphQL queries order(id) and
// orders(first: 50) are timed over HTTP, one request at a time. At the largest size the SQL the app
// runs for them (captured from Prisma's query log, and OrderStore.page's own) is EXPLAIN ANALYZEd.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { AccountStore } from '../src/accounts/account-store.js';
import { OrderStore } from '../src/engine/order-store.js';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { cpuGroups, cpuWindow, profileWindow, roleEnv, type BenchContext } from './lib/context.js';
import type { CpuReport } from './lib/cpu.js';
import { GraphQLHttp } from './lib/graphql-http.js';
import { startRole, type RoleProcess } from './lib/processes.js';
import { count } from './lib/progress.js';
import { yogaPhases, type PhaseMeans } from './lib/yoga-metrics.js';
import { round, summarize, type Summary } from './lib/stats.js';

const ORDER_BY_ID = `query Order($id: ID!) {
  order(id: $id) { id status tokenIn tokenOut amountIn amountOut dex txSignature attempts createdAt updatedAt }
}`;
const ORDERS_PAGE = `query Orders {
  orders(first: 50) { edges { cursor node { id status tokenIn tokenOut amountIn amountOut createdAt } } pageInfo { hasNextPage endCursor } }
}`;
/** Requests of each query sent untimed at each size before the timed ones (the indexes' buffers). */
const WARMUP_REQUESTS = 50;
/**
 * Requests of each query sent untimed at the first size, before anything is timed: a fresh API
 * process's p99 halves over its first few thousand requests as V8 optimizes Yoga's, graphql-js's
 * and pg's code (the warm-up's blocks, in `warmup`, show it), and a server that has run for a
 * minute is past that.
 */
const JIT_WARMUP_REQUESTS = 2_500;
/** Consecutive requests of one query summarized together in `warmup.orderByIdBlocks`. */
const WARMUP_BLOCK = 250;
/** The same HTTP, authentication and Yoga path as the measured queries, with no resolver I/O. */
const TYPENAME = '{ __typename }';
/** Orders inserted per statement (and five times as many events). */
const BATCH = 50_000;

export interface GrowthLevel {
  orders: number;
  /** seconds spent inserting this level's new rows */
  insertSeconds: number;
  orderByIdMs: Summary;
  ordersPageMs: Summary;
  /** mean ms per request of each phase inside the API (its /metrics), for each query */
  orderByIdPhases: PhaseMeans;
  ordersPagePhases: PhaseMeans;
  tableMb: { orders: number; orderEvents: number };
  /** CPU while the requests were timed: one request at a time uses little, so `others` says how much the machine disturbed them */
  cpu: CpuReport;
}

export interface Growth {
  levels: GrowthLevel[];
  requestsPerQuery: number;
  explainFile: string;
  /** the largest "Execution Time" of the EXPLAIN ANALYZEd statements at the largest size */
  sqlExecutionMsMax: number;
  /** order(id)'s latency over the fresh API's first requests (at the first size), by blocks of consecutive requests */
  warmup: { requestsPerQuery: number; blockSize: number; orderByIdBlocks: { p50: number | null; p99: number | null }[] };
  /**
   * What any request costs on this machine, timed after the warm-up, one at a time: the same
   * query path with no database (`{ __typename }` over the same connection and key) and a
   * PostgreSQL round trip (`SELECT 1` from the bench's process).
   */
  floor: { typenameMs: Summary; postgresRoundTripMs: Summary };
}

export async function growth(ctx: BenchContext, settings: { levels: number[]; requests: number }): Promise<Growth> {
  const label = 'growth';
  const { key, accountId } = await ctx.issueKey('growth');
  const env = roleEnv(ctx, 'growth', { DATABASE_POOL_SIZE: 10 });
  const pool = ctx.infra.pool;
  let api: RoleProcess | undefined;
  let http: GraphQLHttp | undefined;
  try {
    ctx.progress.update(label, 'starting the API…', true);
    api = await startRole('api', env, { name: 'api', inspect: ctx.options.profile });
    // one window over every size: the API idles while rows are inserted, which a profile leaves out of its busy time
    const profiles = await profileWindow(ctx, 'growth', [api]);
    http = new GraphQLHttp(api.url, key, 1);
    const levels: GrowthLevel[] = [];
    let warmup: Growth['warmup'] | undefined;
    let floor: Growth['floor'] | undefined;
    let stored = 0;
    const base = new Date(Date.now() - 86_400_000);
    for (const target of settings.levels) {
      const t0 = performance.now();
      while (stored < target) {
        const upTo = Math.min(target, stored + BATCH);
        ctx.progress.update(label, `inserting orders ${count(stored + 1)}…${count(upTo)} (with 5 events each)`);
        await insertSynthetic(ctx, accountId, base, stored + 1, upTo);
        stored = upTo;
      }
      // the steady state of a table autovacuum keeps up with, rather than the hour after a bulk
      // load: vacuumed now, autovacuum has no reason to start on them mid-measurement
      await pool.query('VACUUM (ANALYZE) orders');
      await pool.query('VACUUM (ANALYZE) order_events');
      await pool.query('CHECKPOINT');
      const insertSeconds = (performance.now() - t0) / 1000;

      const ids = (await pool.query<{ id: string }>(`SELECT id FROM orders TABLESAMPLE BERNOULLI (${Math.min(100, (settings.requests * 400) / target)}) WHERE account_id = $1 LIMIT $2`, [accountId, settings.requests])).rows.map((r) => r.id);
      if (!warmup) {
        const warmupRequests = Math.min(JIT_WARMUP_REQUESTS, settings.requests * 5);
        const timed = await warmUp(http, ids, warmupRequests, (i) => ctx.progress.update(label, `warming the API up: ${i}/${warmupRequests} of each query`));
        const blocks = Array.from({ length: Math.ceil(timed.length / WARMUP_BLOCK) }, (_, b) => summarize(timed.slice(b * WARMUP_BLOCK, (b + 1) * WARMUP_BLOCK)));
        warmup = { requestsPerQuery: warmupRequests, blockSize: WARMUP_BLOCK, orderByIdBlocks: blocks.map(({ p50, p99 }) => ({ p50, p99 })) };
        const typenameMs = await timeRequests(ctx, label, '{ __typename }', settings.requests, () => http!.data(TYPENAME));
        const postgresRoundTripMs = await timeRequests(ctx, label, 'SELECT 1', settings.requests, () => pool.query('SELECT 1'));
        floor = { typenameMs, postgresRoundTripMs };
      }
      // untimed, as a client's first requests after a deploy: JIT and the buffers of these indexes
      await warmUp(http, ids, WARMUP_REQUESTS);
      const phases = await yogaPhases(api.url);
      const window = cpuWindow(cpuGroups(ctx, { api: [api] }));
      const orderByIdMs = await timeRequests(ctx, label, `order(id) at ${count(target)}`, settings.requests, (i) => http!.data(ORDER_BY_ID, { id: ids[i % ids.length] }));
      const ordersPageMs = await timeRequests(ctx, label, `orders(first: 50) at ${count(target)}`, settings.requests, () => http!.data(ORDERS_PAGE));
      const cpu = window.stop();
      const orderByIdPhases = await phases.stop('Order');
      const ordersPagePhases = await phases.stop('Orders');
      const sizes = await pool.query<{ orders: string; events: string }>(`SELECT pg_total_relation_size('orders') AS orders, pg_total_relation_size('order_events') AS events`);
      levels.push({
        orders: target,
        insertSeconds: round(insertSeconds, 1),
        orderByIdMs,
        ordersPageMs,
        orderByIdPhases,
        ordersPagePhases,
        cpu,
        tableMb: { orders: round(Number(sizes.rows[0]!.orders) / 2 ** 20, 0), orderEvents: round(Number(sizes.rows[0]!.events) / 2 ** 20, 0) },
      });
      ctx.progress.log(`${label.padEnd(10)} ${count(target)} orders: order(id) p50 ${orderByIdMs.p50} p99 ${orderByIdMs.p99} ms; orders(first: 50) p50 ${ordersPageMs.p50} p99 ${ordersPageMs.p99} ms`);
    }
    await profiles.stop();
    const explainFile = path.join(ctx.resultsDir, 'explain.txt');
    const explained = await explainAppQueries(ctx, accountId, key, stored);
    await writeFile(explainFile, explained);
    const sqlExecutionMsMax = Math.max(...[...explained.matchAll(/^Execution Time: ([\d.]+) ms$/gm)].map((m) => Number(m[1])));
    ctx.progress.done(label, `measured at ${settings.levels.map(count).join(', ')} orders; EXPLAIN ANALYZE in ${path.relative(process.cwd(), explainFile)}`);
    return { levels, requestsPerQuery: settings.requests, explainFile: path.relative(process.cwd(), explainFile), sqlExecutionMsMax, warmup: warmup!, floor: floor! };
  } finally {
    http?.close();
    await api?.stop();
  }
}

/** Orders from..to (1-based) of the account: confirmed SOL→USDC swaps 1 ms apart, each with its five events. */
async function insertSynthetic(ctx: BenchContext, accountId: string, base: Date, from: number, to: number): Promise<void> {
  const client = await ctx.infra.pool.connect();
  // ids derived from the run and the row number, so the events can name their order
  const id = (runParam: string) => `md5(${runParam}::text || '-' || g)::uuid`;
  try {
    // a bulk load need not wait for each commit's fsync; nothing else is affected
    await client.query('SET synchronous_commit = off');
    await client.query(
      `INSERT INTO orders (id, account_id, type, status, token_in, token_out, amount_in, slippage_bps, amount_out, dex,
                           tx_signature, min_amount_out, attempts, last_seq, created_at, updated_at)
       SELECT ${id('$2')}, $1::uuid, 'MARKET', 'CONFIRMED', 'SOL', 'USDC', 10000000, 50, 1499000, 'RAYDIUM',
              md5('sig-' || $2::text || '-' || g), 1491500, 1, 5, $3::timestamptz + g * interval '1 ms', $3::timestamptz + g * interval '1 ms' + interval '2700 ms'
       FROM generate_series($4::int, $5::int) g`,
      [accountId, ctx.runId, base, from, to],
    );
    await client.query(
      `INSERT INTO order_events (order_id, seq, status, attempt, message, at)
       SELECT ${id('$1')}, v.seq, v.status::"OrderStatus", v.attempt, v.message, $2::timestamptz + g * interval '1 ms' + v.after_ms * interval '1 ms'
       FROM generate_series($3::int, $4::int) g
       CROSS JOIN (VALUES (1, 'PENDING', 0, 'accepted and queued', 0),
                          (2, 'ROUTING', 1, 'quoting RAYDIUM and METEORA', 1),
                          (3, 'BUILDING', 1, 'RAYDIUM chosen: expected 1.499 USDC, minimum 1.4915 USDC', 205),
                          (4, 'SUBMITTED', 1, 'sent to RAYDIUM', 210),
                          (5, 'CONFIRMED', 1, 'received 1.499 USDC on RAYDIUM', 2700)) AS v(seq, status, attempt, message, after_ms)`,
      [ctx.runId, base, from, to],
    );
  } finally {
    await client.query('RESET synchronous_commit').catch(() => undefined);
    client.release();
  }
}

/**
 * `requests` warm-up requests of each query, order(id) of ids from `ids`, then a page, in turn
 * (none of them in the phase's results); returns how long each order(id) took, and reports
 * progress every 50.
 */
async function warmUp(http: GraphQLHttp, ids: string[], requests: number, onProgress?: (done: number) => void): Promise<number[]> {
  const orderByIdMs: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    await http.data(ORDER_BY_ID, { id: ids[(i * 7) % ids.length] });
    orderByIdMs.push(performance.now() - t);
    await http.data(ORDERS_PAGE);
    if (i % 50 === 0) onProgress?.(i);
  }
  return orderByIdMs;
}

async function timeRequests(ctx: BenchContext, label: string, what: string, requests: number, request: (i: number) => Promise<unknown>): Promise<Summary> {
  for (let i = 0; i < Math.min(50, requests); i++) await request(i); // warm-up: JIT, plan cache, buffers
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    await request(i);
    samples.push(performance.now() - t0);
    if (i % 50 === 0) ctx.progress.update(label, `${what}: ${i}/${requests}`);
  }
  return summarize(samples);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of exactly what the API runs for the two queries: the API key lookup
 * every request makes, order(id) (OrderStore.findOwned, through Prisma) and orders(first: 50)
 * (OrderStore.page, asking one row more than the page to know hasNextPage).
 */
async function explainAppQueries(ctx: BenchContext, accountId: string, key: string, stored: number): Promise<string> {
  const captured: { query: string; params: unknown[] }[] = [];
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: ctx.infra.databaseUrl, max: 1 }), log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => captured.push({ query: event.query, params: JSON.parse(event.params) as unknown[] }));
  // the key lookup runs on the pool directly (a prepared statement): record what it is sent too
  const pool = new pg.Pool({ connectionString: ctx.infra.databaseUrl, max: 1 });
  const send = pool.query.bind(pool) as (config: unknown) => Promise<unknown>;
  pool.query = ((config: { text?: string; values?: unknown[] }) => {
    if (config.text) captured.push({ query: config.text, params: config.values ?? [] });
    return send(config);
  }) as unknown as typeof pool.query;
  const database = { prisma, pool, batchWaitMs: 0 };
  const store = new OrderStore(database);
  const accounts = new AccountStore(database);
  const sample = (await ctx.infra.pool.query<{ id: string }>('SELECT id FROM orders WHERE account_id = $1 ORDER BY created_at LIMIT 1 OFFSET $2', [accountId, Math.floor(stored / 2)])).rows[0]!.id;
  const sections: [string, () => Promise<unknown>][] = [
    ['API key lookup (every request: AccountStore.authenticate)', () => accounts.authenticate(key)],
    ['order(id) (OrderStore.findOwned)', () => store.findOwned(accountId, sample)],
    ['orders(first: 50) (OrderStore.page, limit 51)', () => store.page({ accountId, limit: 51, inverted: false })],
  ];
  let text = `EXPLAIN (ANALYZE, BUFFERS) of the API's queries with ${stored.toLocaleString('en-US')} orders of one account stored (bench run ${ctx.runId}, ${new Date().toISOString()})\n`;
  try {
    for (const [title, call] of sections) {
      captured.length = 0;
      await call();
      for (const { query, params } of captured) {
        await ctx.infra.pool.query(query, params); // warm, as the timed requests were
        const plan = await ctx.infra.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, params);
        text += `\n=== ${title}\n${query.replace(/\s+/g, ' ').trim()}\nparams: ${JSON.stringify(params)}\n\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}\n`;
      }
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
  return text;
}
