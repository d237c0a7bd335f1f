import { spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { isStoreUnavailable } from '../../src/engine/store-availability.js';
import { createDatabase, reportOutages as reportDatabaseOutages } from '../../src/infra/prisma.js';
import { createLogger } from '../../src/observability/logger.js';
import { startWorker } from '../../src/worker-process.js';
import { LIFECYCLE, followOrder, submitOrder, systemForThisTest } from '../support/orders.js';
import { freePort, roleEnv, startApiProcess, startRole } from '../support/processes.js';
import { ownRedis } from '../support/own-redis.js';
import { closeOf, postGraphQL, rawSocket } from '../support/raw-graphql.js';
import { sqlOn } from '../support/sql.js';
import { proxyInFrontOf } from '../support/tcp-proxy.js';

/** A logger whose JSON lines land in an array. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describe('engine logs', () => {
  it('are JSON lines that each carry orderId and attempt', async () => {
    const system = await systemForThisTest({ worker: false });
    const { logger, lines } = capturedLogger();
    const worker = await startWorker(system.runtime, { logger });
    onTestFinished(() => worker.close());

    const confirmed = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5' });
    // no pool for this pair: accepted, then FAILED with a reason
    const failed = await submitOrder(system.url, { tokenIn: 'USDT', tokenOut: 'BONK', amountIn: '5' });
    await followOrder(system.url, confirmed.id);
    await followOrder(system.url, failed.id);

    const ofOrder = (id: string) => lines.filter((line) => line.orderId === id);
    expect(ofOrder(confirmed.id).map((line) => line.status)).toEqual(LIFECYCLE.slice(1));
    expect(ofOrder(failed.id).map((line) => [line.status, line.level])).toEqual([
      ['ROUTING', 'info'],
      ['FAILED', 'warn'],
    ]);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      expect(line).toMatchObject({ orderId: expect.any(String), attempt: expect.any(Number), level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    }
  });
});

describe('a failed job run', () => {
  it('is logged with the order and the reason, not only kept in Redis', async () => {
    const system = await systemForThisTest({ worker: false });
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    // an order SUBMITTED with a signature its venue never saw: its job's run throws at confirmation
    const { store } = system.runtime;
    await store.transition({ orderId: order.id, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting' });
    await store.transition({ orderId: order.id, from: { status: 'ROUTING', attempt: 1 }, to: 'BUILDING', attempt: 1, message: 'built', changes: { dex: 'RAYDIUM', txSignature: 'never-sent', minAmountOut: 1n } });
    await store.transition({ orderId: order.id, from: { status: 'BUILDING', attempt: 1 }, to: 'SUBMITTED', attempt: 1, message: 'sent' });
    const { logger, lines } = capturedLogger();
    const worker = await startWorker(system.runtime, { logger });
    onTestFinished(() => worker.close());

    await vi.waitFor(() => expect(lines.some((line) => line.msg === 'order job failed; it will run again')).toBe(true), { timeout: 10_000 });

    expect(lines.find((line) => line.msg === 'order job failed; it will run again')).toMatchObject({
      level: 'warn',
      orderId: order.id,
      jobRuns: 1,
      reason: `order ${order.id}: RAYDIUM does not know submitted signature never-sent`,
    });
  });
});

/** The JSON log lines among what a spawned process printed (stderr may hold other text). */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the logs of each kind of process', () => {
  it.each(['worker', 'api+worker'] as const)('of %s: every line names the role, and the lines about an order come from component "engine"', async (role) => {
    // no worker in this process: the spawned one executes the order and logs about it
    const system = await systemForThisTest({ worker: false });
    const spawned = await startRole(role, roleEnv(system.config, role === 'api+worker' ? { PORT: String(await freePort()) } : {}));

    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5' });
    expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');
    // the stream can beat the log line through the pipe: wait until the last one has arrived
    await vi.waitFor(() => expect(jsonLines(spawned.output()).some((line) => line.orderId === order.id && line.status === 'CONFIRMED')).toBe(true));

    const lines = jsonLines(spawned.output());
    const ofOrder = lines.filter((line) => line.orderId === order.id);
    expect(ofOrder.map((line) => line.status)).toEqual(LIFECYCLE.slice(1));
    for (const line of ofOrder) expect(line).toMatchObject({ role, component: 'engine', orderId: order.id, attempt: expect.any(Number) });
    // start-up lines too (infrastructure, ready), not only the engine's
    expect(lines.length).toBeGreaterThan(ofOrder.length);
    for (const line of lines) expect(line).toMatchObject({ role });
  });

  it('of api: every line names the role', async () => {
    const api = await startRole('api', { PORT: String(await freePort()) });
    const lines = jsonLines(api.output());
    expect(lines.some((line) => /GraphQL API ready/.test(String(line.msg)))).toBe(true);
    for (const line of lines) expect(line).toMatchObject({ role: 'api' });
  });
});

describe('an unexpected error in a field', () => {
  it('is logged by the API as one JSON line with the error, not as a stack on its own', async () => {
    const system = await systemForThisTest();
    const api = await startApiProcess(roleEnv(system.config));
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');
    // stored quotes that are not a list: the field fails as no client could have caused
    await sqlOn(process.env.DATABASE_URL!, `UPDATE routing_decisions SET quotes = '{"not": "a list"}' WHERE order_id = $1`, [order.id]);

    const answer = await postGraphQL(api.url, 'query Corrupted($id: ID!) { order(id: $id) { routingDecisions { quotes { dex } } } }', { key: system.key, variables: { id: order.id } });
    expect(answer.body.errors).toMatchObject([{ message: 'Unexpected error.', path: ['order', 'routingDecisions', 0, 'quotes'] }]);

    await vi.waitFor(() => expect(jsonLines(api.output()).some((line) => line.component === 'graphql')).toBe(true));
    const logged = jsonLines(api.output()).filter((line) => line.component === 'graphql');
    expect(logged).toEqual([expect.objectContaining({ level: 'error', role: 'api', err: expect.objectContaining({ type: expect.any(String), stack: expect.any(String) }) })]);
    // and nothing but JSON lines on the process's output
    expect(api.output().split('\n').filter((line) => line !== '' && !line.startsWith('{'))).toEqual([]);
  });
});

describe('WebSocket clients that misbehave or vanish', () => {
  it('are logged as JSON lines, if at all, never as a stack on stderr', async () => {
    const system = await systemForThisTest();
    const api = await startApiProcess(roleEnv(system.config));
    // a frame over MAX_REQUEST_BYTES, before any connection_init: ws closes the socket with 1009
    const oversized = rawSocket(api.url);
    await new Promise((resolve) => oversized.once('open', resolve));
    oversized.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(200_000) } }));
    expect((await closeOf(oversized)).code).toBe(1009);

    // clients that reset their connection while the server writes an order's five events to them
    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1' });
    expect((await followOrder(system.url, order.id)).at(-1)?.status).toBe('CONFIRMED');
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const socket = rawSocket(api.url);
        await new Promise((resolve) => socket.once('open', resolve));
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${system.key}` } }));
        await new Promise((resolve) => socket.once('message', resolve));
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { orderStatus(orderId: "${order.id}") { seq } }` } }));
        await new Promise((resolve) => setTimeout(resolve, i % 5));
        (socket as unknown as { _socket: Socket })._socket.resetAndDestroy();
      }),
    );
    // the API still serves, and wrote nothing but JSON lines
    expect((await postGraphQL(api.url, '{ __typename }', { key: system.key })).status).toBe(200);
    expect(api.output().split('\n').filter((line) => line !== '' && !line.startsWith('{'))).toEqual([]);
  });
});

describe('a setting the process cannot honour', () => {
  it.each([
    ['src/main.ts', { DATABASE_URL: 'garbage' }, /DATABASE_URL must start with postgresql:\/\//],
    ['src/api-main.ts', { REDIS_URL: 'garbage' }, /REDIS_URL must start with redis:\/\//],
    ['src/worker-main.ts', { DATABASE_QUERY_TIMEOUT_MS: '3000000000' }, /DATABASE_QUERY_TIMEOUT_MS must be at most/],
    // an operator's review: an unknown level was an uncaught stack of 15 lines on stderr, and a
    // port past 65535 was refused only by listen(), with a stack naming "options.port"
    ['src/worker-main.ts', { LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of/],
    ['src/api-main.ts', { PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    ['src/worker-main.ts', { METRICS_PORT: '99999' }, /METRICS_PORT must be an integer from 0 to 65535/],
    // nothing listens on port 1: the database cannot be reached, so it cannot be migrated
    ['src/api-main.ts', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing' }, /could not start: cannot migrate the database at postgresql:\/\/postgres@127\.0\.0\.1:1\/nothing: connect ECONNREFUSED/],
  ])('stops %s at once with one fatal JSON line naming it, and exit code 1', (entry, env, message) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, LOG_LEVEL: 'info', ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    const output = `${run.stdout}${run.stderr}`.split('\n').filter((line) => line !== '');
    expect(output).toHaveLength(1);
    expect(JSON.parse(output[0]!)).toMatchObject({ level: 'fatal', msg: expect.stringMatching(message) });
  });
});

describe('a Redis outage', () => {
  it('is logged as JSON lines, each kind of error once in ten seconds, with no stack on stderr', async () => {
    const system = await systemForThisTest({ worker: false });
    const redis = await ownRedis();
    const port = await freePort();
    const both = await startRole('api+worker', roleEnv(system.config, { PORT: String(port), REDIS_URL: redis.url }));
    await redis.stop();
    // an order while Redis is away: the API stores it, and its enqueue fails
    const url = `http://127.0.0.1:${port}/graphql`;
    const placed = await postGraphQL(url, 'mutation { executeMarketOrder(input: { tokenIn: "SOL", tokenOut: "USDC", amountIn: "1" }) { __typename } }', { key: system.key });
    expect(placed.body.data).toEqual({ executeMarketOrder: { __typename: 'ExecuteMarketOrderSuccess' } });
    // BullMQ's queue and worker retry their connections about once a second
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    const output = both.output();
    expect(output.split('\n').filter((line) => line !== '' && !line.startsWith('{'))).toEqual([]);
    const lines = jsonLines(output);
    expect(lines.filter((line) => line.msg === 'queue worker error').length).toBeLessThanOrEqual(1);
    expect(lines.filter((line) => line.msg === 'order queue: Redis error').length).toBeLessThanOrEqual(1);
  });
});

describe('the end of a Redis outage', () => {
  // an operator's review: "Redis connection lost; reconnecting" (warn) had no line saying that it
  // had, so the log of a recovered process read as one still cut off
  it('is logged once per connection when Redis answers again', async () => {
    const system = await systemForThisTest({ worker: false });
    const redis = await ownRedis();
    const api = await startApiProcess(roleEnv(system.config, { REDIS_URL: redis.url }));
    await redis.stop();
    await vi.waitFor(() => expect(jsonLines(api.output()).filter((line) => line.msg === 'Redis connection lost; reconnecting')).toHaveLength(2));
    await redis.start();
    await vi.waitFor(
      () => {
        const back = jsonLines(api.output()).filter((line) => line.msg === 'Redis connected again');
        expect(back.map((line) => line.connection).sort()).toEqual(['engine', 'subscriber']);
      },
      { timeout: 10_000, interval: 200 },
    );
  });
});

describe('a PostgreSQL outage', () => {
  // an operator's review: an API process stopped PostgreSQL for 20 s under load answered some
  // 3,800 requests with 503 and wrote not one line, so its log showed no outage at all
  it('is logged by an API process once when it begins, and once when PostgreSQL answers again', async () => {
    const system = await systemForThisTest({ worker: false });
    const { proxy, url: databaseUrl } = await proxyInFrontOf(process.env.DATABASE_URL!);
    const api = await startApiProcess(roleEnv(system.config, { DATABASE_URL: databaseUrl }));
    const ask = () => postGraphQL(api.url, '{ orders(first: 1) { edges { cursor } } }', { key: system.key });
    expect((await ask()).status).toBe(200);

    await proxy.cut();
    await vi.waitFor(async () => expect((await ask()).status).toBe(503));
    await ask();
    await proxy.restore();
    await vi.waitFor(async () => expect((await ask()).status).toBe(200), { timeout: 10_000, interval: 200 });

    // the child's lines reach the test through a pipe, a little after its answers
    await vi.waitFor(() => {
      const lines = jsonLines(api.output());
      expect(lines.filter((line) => line.msg === 'PostgreSQL connection lost')).toHaveLength(1);
      expect(lines.filter((line) => line.msg === 'PostgreSQL connected again')).toHaveLength(1);
    });
  });
});

describe("a PostgreSQL connection that breaks under a query", () => {
  // under load the pool's connections are checked out: one that breaks then fails its query and
  // is dropped, and the pool emits no 'error' (that is an idle one's), so an outage met only so
  // was never logged
  it('is reported as the outage it is, once, and its end once', async () => {
    const { proxy, url } = await proxyInFrontOf(process.env.DATABASE_URL!);
    const database = createDatabase(url, { max: 1 });
    onTestFinished(() => database.pool.end());
    const reports: string[] = [];
    reportDatabaseOutages(database.pool, { lost: () => void reports.push('lost'), back: () => void reports.push('back'), isConnectionLoss: isStoreUnavailable });
    await database.pool.query('SELECT 1');

    const sleeping = database.pool.query('SELECT pg_sleep(30)');
    const failed = sleeping.then(() => undefined, (error: unknown) => error);
    // its one connection checked out for the query
    await vi.waitFor(() => expect(database.pool.idleCount).toBe(0));
    await proxy.cut();
    expect(await failed).toBeInstanceOf(Error);
    await proxy.restore();
    await database.pool.query('SELECT 1');
    expect(reports).toEqual(['lost', 'back']);
  });
});

describe('a PostgreSQL outage met by a pool with no connection open', () => {
  // an idle pool closes its connections after 10 s: a quiet API process whose PostgreSQL then
  // stopped failed every new connection, the pool emitting nothing, and logged no outage at all
  it('is reported once when a connection cannot be opened, and its end once', async () => {
    const { proxy, url } = await proxyInFrontOf(process.env.DATABASE_URL!);
    const database = createDatabase(url, { max: 2 });
    onTestFinished(() => database.pool.end());
    const reports: string[] = [];
    reportDatabaseOutages(database.pool, { lost: () => void reports.push('lost'), back: () => void reports.push('back'), isConnectionLoss: isStoreUnavailable });

    await proxy.cut();
    await expect(database.pool.query('SELECT 1')).rejects.toThrow();
    await expect(database.pool.connect()).rejects.toThrow();
    await proxy.restore();
    await database.pool.query('SELECT 1');
    expect(reports).toEqual(['lost', 'back']);
  });

  it('is not reported when the pool only had no free connection within its wait', async () => {
    const database = createDatabase(process.env.DATABASE_URL!, { max: 1 });
    onTestFinished(() => database.pool.end());
    const reports: string[] = [];
    reportDatabaseOutages(database.pool, { lost: () => void reports.push('lost'), back: () => void reports.push('back'), isConnectionLoss: isStoreUnavailable });
    const busy = await database.pool.connect();
    onTestFinished(() => busy.release());
    // the pool's 5 s wait for its one connection, held above, runs out
    await expect(database.pool.query('SELECT 1')).rejects.toThrow(/timeout exceeded when trying to connect/);
    expect(reports).toEqual([]);
  }, 15_000);
});

describe('LOG_LEVEL', () => {
  it('sets the level, and refuses what pino does not know', async () => {
    const { logLevel } = await import('../../src/observability/logger.js');
    expect(logLevel({})).toBe('info');
    expect(logLevel({ LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(logLevel({ LOG_LEVEL: 'silent' })).toBe('silent');
    expect(() => logLevel({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });
});
