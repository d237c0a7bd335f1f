import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapInfrastructure } from '../../src/infra/bootstrap.js';
import { portAnswers } from '../../src/infra/embedded-postgres.js';
import { ping } from '../../src/infra/local-redis.js';
import { rowsOn } from '../support/sql.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Ports of this file only: not the app's (54329/63790) nor the suite's (54339/63799).
const PG_PORT = 54349;
const REDIS_PORT = 63809;

// PostgreSQL runs as the `postgres` user when we are root: mkdtemp's 0700 would lock it out.
const dataRoot = mkdtempSync(path.join(os.tmpdir(), 'bootstrap-test-'));
chmodSync(dataRoot, 0o755);
afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

function holdInfrastructure(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/infra/fixtures/hold-infrastructure.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', TEST_PG_PORT: String(PG_PORT), TEST_REDIS_PORT: String(REDIS_PORT), TEST_DATA_DIR: dataDir },
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const ready = new Promise<{ databaseUrl: string; redisUrl: string; started: { postgres: boolean; redis: boolean } }>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(JSON.parse(String(chunk))));
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child: child as ChildProcessWithoutNullStreams, ready, exited };
}

describe('bootstrapInfrastructure', () => {
  it('starts nothing when DATABASE_URL and REDIS_URL are set, and migrates the database', async () => {
    const lines: string[] = [];
    const database = `bootstrap_test_${Date.now()}`;
    await rowsOn(process.env.DATABASE_URL!, `CREATE DATABASE "${database}"`);
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database}`;
    try {
      const infra = await bootstrapInfrastructure({
        env: { DATABASE_URL: url.toString(), REDIS_URL: process.env.REDIS_URL },
        pgPort: PG_PORT,
        redisPort: REDIS_PORT,
        log: (line) => lines.push(line),
      });

      expect(infra).toMatchObject({ databaseUrl: url.toString(), redisUrl: process.env.REDIS_URL, started: { postgres: false, redis: false } });
      expect(await rowsOn(infra.databaseUrl, 'SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 0 }]);
      expect(await portAnswers(PG_PORT)).toBe(false);
      expect(await portAnswers(REDIS_PORT)).toBe(false);
      expect(lines).toEqual([expect.stringMatching(/applied \d+ migration/)]);
      await infra.stop();
    } finally {
      await rowsOn(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    }
  });

  it('starts PostgreSQL and Redis when no URL is set, logs one line for each, and stop() stops both', async () => {
    const lines: string[] = [];
    const infra = await bootstrapInfrastructure({
      env: {},
      pgPort: PG_PORT,
      redisPort: REDIS_PORT,
      dataDir: path.join(dataRoot, 'pg'),
      database: 'bootstrap_test',
      log: (line) => lines.push(line),
    });

    expect(infra.started).toEqual({ postgres: true, redis: true });
    expect(infra.databaseUrl).toBe(`postgresql://postgres:postgres@127.0.0.1:${PG_PORT}/bootstrap_test`);
    expect(infra.redisUrl).toBe(`redis://127.0.0.1:${REDIS_PORT}`);
    expect(lines).toEqual([
      expect.stringMatching(/^PostgreSQL: initialised and started embedded server at .*:54349\/bootstrap_test/),
      expect.stringMatching(/^Redis: started redis-server at redis:\/\/127\.0\.0\.1:63809/),
      expect.stringMatching(/^PostgreSQL: applied \d+ migration/),
    ]);
    expect(await rowsOn(infra.databaseUrl, 'SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 0 }]);
    expect(await ping(REDIS_PORT)).toBe('PONG');

    await infra.stop();

    expect(await portAnswers(PG_PORT)).toBe(false);
    expect(await ping(REDIS_PORT)).toBeNull();
  });

  it('reuses servers another process already runs from the same data directory and ports, and leaves them running', async () => {
    const dataDir = path.join(dataRoot, 'pg');
    const holder = holdInfrastructure(dataDir);
    const held = await holder.ready;
    expect(held.started).toEqual({ postgres: true, redis: true });

    const infra = await bootstrapInfrastructure({ env: {}, pgPort: PG_PORT, redisPort: REDIS_PORT, dataDir, database: 'bootstrap_test', log: () => {} });
    expect(infra.started).toEqual({ postgres: false, redis: false });
    await infra.stop();
    expect(await portAnswers(PG_PORT)).toBe(true);
    expect(await ping(REDIS_PORT)).toBe('PONG');

    holder.child.stdin.write('stop\n');
    expect(await holder.exited).toBe(0);
    expect(await portAnswers(PG_PORT)).toBe(false);
  });

  it('lets a process exit by itself once it has stopped what it started', async () => {
    const holder = holdInfrastructure(path.join(dataRoot, 'pg'));
    await holder.ready;
    const t0 = Date.now();

    holder.child.stdin.write('stop\n');

    expect(await holder.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('takes PostgreSQL and Redis down with a process killed by SIGKILL', async () => {
    const holder = holdInfrastructure(path.join(dataRoot, 'pg'));
    await holder.ready;

    holder.child.kill('SIGKILL');
    await holder.exited;

    expect(await waitFor(async () => !(await portAnswers(PG_PORT)) && (await ping(REDIS_PORT)) === null, 10_000)).toBe(true);
  });
});
