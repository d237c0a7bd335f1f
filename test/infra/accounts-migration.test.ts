// The migration that introduced accounts keeps the orders a database already had: they go to an
// account named "legacy", created only when there are such orders.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/infra/migrate.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const ACCOUNTS_MIGRATION = readdirSync(MIGRATIONS_DIR).find((name) => name.endsWith('_accounts_and_api_keys'))!;

const created: string[] = [];
const workDirs: string[] = [];

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `accounts_migration_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await query(process.env.DATABASE_URL!, `CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** prisma/migrations up to (not including) the accounts migration, in a folder of its own. */
function migrationsBeforeAccounts(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  workDirs.push(dir);
  for (const entry of readdirSync(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name < ACCOUNTS_MIGRATION) cpSync(path.join(MIGRATIONS_DIR, entry.name), path.join(dir, entry.name), { recursive: true });
  }
  return dir;
}

afterAll(async () => {
  for (const name of created) await query(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the accounts migration', () => {
  it('gives orders stored before accounts existed to a "legacy" account, and their clientOrderIds stay unique within it', async () => {
    const url = await freshDatabase();
    await applyMigrations(url, { migrationsDir: migrationsBeforeAccounts() });
    const ids = [randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      await query(url, `INSERT INTO orders (id, client_order_id, status, token_in, token_out, amount_in, slippage_bps) VALUES ($1, $2, 'CONFIRMED', 'SOL', 'USDC', 1000, 50)`, [id, `old-${i}`]);
    }

    // the accounts migration first, then any that came after it
    expect((await applyMigrations(url))[0]).toBe(ACCOUNTS_MIGRATION);

    const owners = await query<{ name: string; n: string }>(url, 'SELECT a.name, count(*) AS n FROM orders o JOIN accounts a ON a.id = o.account_id GROUP BY a.name');
    expect(owners).toEqual([{ name: 'legacy', n: '2' }]);
    await expect(
      query(url, `INSERT INTO orders (id, account_id, client_order_id, status, token_in, token_out, amount_in, slippage_bps) SELECT $1, id, 'old-0', 'PENDING', 'SOL', 'USDC', 1, 50 FROM accounts`, [randomUUID()]),
    ).rejects.toThrow(/orders_account_id_client_order_id_key/);
  });

  it('creates no "legacy" account in a database that had no orders', async () => {
    const url = await freshDatabase();
    await applyMigrations(url);
    expect(await query(url, 'SELECT name FROM accounts')).toEqual([]);
    const notNull = await query<{ is_nullable: string }>(url, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'account_id'");
    expect(notNull).toEqual([{ is_nullable: 'NO' }]);
  });
});
