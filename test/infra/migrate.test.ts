import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, MIGRATION_LOCK_KEY } from '../../src/infra/migrate.js';
import { rowsOn } from '../support/sql.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');
const SCHEMA_PATH = path.join(ROOT, 'prisma', 'schema.prisma');
const MIGRATION_NAMES = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const serverUrl = () => {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL comes from test/global-setup.ts');
  return url;
};

/** Runs `sql` on the test server's own database (to create and drop the per-test databases). */
function admin<T extends pg.QueryResultRow>(sql: string, url = serverUrl()): Promise<T[]> {
  return rowsOn<T>(url, sql);
}

const createdDatabases: string[] = [];
async function freshDatabase(): Promise<string> {
  const name = `migrate_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin(`CREATE DATABASE "${name}"`);
  createdDatabases.push(name);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  for (const name of createdDatabases) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

async function appliedRows(url: string) {
  return admin<{ migration_name: string; finished: boolean }>(
    'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name',
    url,
  );
}

async function tables(url: string): Promise<string[]> {
  const rows = await admin<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", url);
  return rows.map((r) => r.tablename);
}

describe('applyMigrations', () => {
  it('applies every migration once, and is a no-op the second time', async () => {
    const url = await freshDatabase();

    expect(await applyMigrations(url)).toEqual(MIGRATION_NAMES);
    expect(await tables(url)).toEqual(expect.arrayContaining(['_prisma_migrations', 'order_events', 'orders', 'routing_decisions']));

    // up to date, it answers from _prisma_migrations alone: it does not queue on the migration
    // lock (held here meanwhile by another session), which the engine's path takes first
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    let answered = false;
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const queued = async () => {
        while (!answered && (await rowsOn(url, `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        return 'queued on the migration lock';
      };
      expect(await Promise.race([applyMigrations(url), queued()])).toEqual([]);
    } finally {
      answered = true;
      await holder.end();
    }
    expect(await appliedRows(url)).toEqual(MIGRATION_NAMES.map((migration_name) => ({ migration_name, finished: true })));
  });

  it('lets concurrent callers migrate the same database, each migration running once', async () => {
    const url = await freshDatabase();

    const results = await Promise.all([applyMigrations(url), applyMigrations(url), applyMigrations(url)]);

    expect(results.flat().sort()).toEqual(MIGRATION_NAMES);
    expect(await appliedRows(url)).toEqual(MIGRATION_NAMES.map((migration_name) => ({ migration_name, finished: true })));
  });

  it('lets two `npm run db:migrate` processes started at once migrate one database, and both exit promptly', async () => {
    const url = await freshDatabase();
    const run = () =>
      new Promise<{ code: number | null; output: string; ms: number }>((resolve) => {
        const t0 = Date.now();
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts'], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: url },
        });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk));
        child.on('exit', (code) => resolve({ code, output, ms: Date.now() - t0 }));
      });

    const [a, b] = await Promise.all([run(), run()]);

    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    // the engine arms a 10 s timer; a process that waited for it would take over 10 s
    expect(Math.max(a.ms, b.ms)).toBeLessThan(8000);
    expect(await appliedRows(url)).toEqual(MIGRATION_NAMES.map((migration_name) => ({ migration_name, finished: true })));
  });
});

describe('createMigration', () => {
  let workDir: string;
  const copyOfProject = () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'create-migration-'));
    cpSync(MIGRATIONS_DIR, path.join(workDir, 'migrations'), { recursive: true });
    cpSync(SCHEMA_PATH, path.join(workDir, 'schema.prisma'));
    return { migrationsDir: path.join(workDir, 'migrations'), schemaPath: path.join(workDir, 'schema.prisma') };
  };
  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  // the guard against changing schema.prisma without a migration
  it('finds nothing to create: prisma/schema.prisma matches the last migration', async () => {
    const paths = copyOfProject();

    expect(await createMigration(serverUrl(), 'unexpected', paths)).toBeNull();
  });

  it('writes the SQL of a schema change as a new migration, which then applies', async () => {
    const paths = copyOfProject();
    const schema = readFileSync(paths.schemaPath, 'utf8');
    writeFileSync(paths.schemaPath, schema.replace('  reason            String\n', '  reason            String\n  note              String?\n'));

    const created = await createMigration(serverUrl(), 'add note', { ...paths, now: new Date('2100-01-02T03:04:05Z') });

    expect(created?.name).toBe('21000102030405_add_note');
    expect(created?.sql).toContain('ALTER TABLE "routing_decisions" ADD COLUMN     "note" TEXT;');
    expect(readFileSync(path.join(paths.migrationsDir, created!.name, 'migration.sql'), 'utf8')).toBe(created?.sql);
    expect(await createMigration(serverUrl(), 'again', paths)).toBeNull();

    const url = await freshDatabase();
    expect(await applyMigrations(url, paths)).toEqual([...MIGRATION_NAMES, created!.name]);
  });

  it('applies a hand-written migration with semicolons in its strings whole, or nothing of one that fails', async () => {
    const paths = copyOfProject();
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(paths.migrationsDir, name));
      writeFileSync(path.join(paths.migrationsDir, name, 'migration.sql'), sql);
    };
    write('21000101000000_quoted', `CREATE TABLE notes (body text NOT NULL DEFAULT 'a; b');\nCOMMENT ON TABLE notes IS 'x; y';\n`);
    const url = await freshDatabase();
    expect(await applyMigrations(url, paths)).toEqual([...MIGRATION_NAMES, '21000101000000_quoted']);
    expect(await admin<{ d: string }>(`SELECT obj_description('notes'::regclass) AS d`, url)).toEqual([{ d: 'x; y' }]);

    write('21000101000001_half', `CREATE TABLE half_a (id int);\nCREATE TABLE half_b (id int REFERENCES nowhere (id));\n`);
    await expect(applyMigrations(url, paths)).rejects.toThrow(/nowhere/);
    expect(await tables(url)).not.toContain('half_a');
  });
});
