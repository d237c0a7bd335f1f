// Migrations that change tables holding data keep what a database already had. The one that
// introduced accounts gives existing orders to an account named "legacy", created only when there
// are such orders; the one that made transitions HOT fills the generated outcome of every order.
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/infra/migrate.js';
import { rowsOn } from '../support/sql.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const migrationNamed = (suffix: string) => readdirSync(MIGRATIONS_DIR).find((name) => name.endsWith(suffix))!;
const ACCOUNTS_MIGRATION = migrationNamed('_accounts_and_api_keys');
const HOT_MIGRATION = migrationNamed('_hot_transitions');

const created: string[] = [];
const workDirs: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `migration_on_data_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await rowsOn(process.env.DATABASE_URL!, `CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** prisma/migrations up to (not including) `migration`, in a folder of its own. */
function migrationsBefore(migration: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  workDirs.push(dir);
  for (const entry of readdirSync(MIGRATIONS_DIR, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name < migration) cpSync(path.join(MIGRATIONS_DIR, entry.name), path.join(dir, entry.name), { recursive: true });
  }
  return dir;
}

afterAll(async () => {
  for (const name of created) await rowsOn(process.env.DATABASE_URL!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the accounts migration', () => {
  it('gives orders stored before accounts existed to a "legacy" account, and their clientOrderIds stay unique within it', async () => {
    const url = await freshDatabase();
    await applyMigrations(url, { migrationsDir: migrationsBefore(ACCOUNTS_MIGRATION) });
    const ids = [randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries()) {
      await rowsOn(url, `INSERT INTO orders (id, client_order_id, status, token_in, token_out, amount_in, slippage_bps) VALUES ($1, $2, 'CONFIRMED', 'SOL', 'USDC', 1000, 50)`, [id, `old-${i}`]);
    }

    // the accounts migration first, then any that came after it
    expect((await applyMigrations(url))[0]).toBe(ACCOUNTS_MIGRATION);

    const owners = await rowsOn<{ name: string; n: string }>(url, 'SELECT a.name, count(*) AS n FROM orders o JOIN accounts a ON a.id = o.account_id GROUP BY a.name');
    expect(owners).toEqual([{ name: 'legacy', n: '2' }]);
    await expect(
      rowsOn(url, `INSERT INTO orders (id, account_id, client_order_id, status, token_in, token_out, amount_in, slippage_bps) SELECT $1, id, 'old-0', 'PENDING', 'SOL', 'USDC', 1, 50 FROM accounts`, [randomUUID()]),
    ).rejects.toThrow(/orders_account_id_client_order_id_key/);
  });

  it('creates no "legacy" account in a database that had no orders', async () => {
    const url = await freshDatabase();
    await applyMigrations(url);
    expect(await rowsOn(url, 'SELECT name FROM accounts')).toEqual([]);
    const notNull = await rowsOn<{ is_nullable: string }>(url, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'account_id'");
    expect(notNull).toEqual([{ is_nullable: 'NO' }]);
  });
});

describe('the HOT transitions migration', () => {
  it('gives every order it finds the outcome of its status, and transitions then keep it', async () => {
    const url = await freshDatabase();
    await applyMigrations(url, { migrationsDir: migrationsBefore(HOT_MIGRATION) });
    const [account] = await rowsOn<{ id: string }>(url, `INSERT INTO accounts (id, name) VALUES (gen_random_uuid(), 'a') RETURNING id`);
    const statuses = ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED', 'FAILED'];
    for (const status of statuses) {
      await rowsOn(url, `INSERT INTO orders (id, account_id, status, token_in, token_out, amount_in, slippage_bps) VALUES (gen_random_uuid(), $1, $2::"OrderStatus", 'SOL', 'USDC', 1000, 50)`, [account!.id, status]);
    }

    // it, and any migration after it
    expect((await applyMigrations(url))[0]).toBe(HOT_MIGRATION);

    const outcome = `SELECT status::text, outcome::text FROM orders ORDER BY array_position($1::text[], status::text)`;
    const terminal = (status: string) => (status === 'CONFIRMED' || status === 'FAILED' ? status : null);
    expect(await rowsOn(url, outcome, [statuses])).toEqual(statuses.map((status) => ({ status, outcome: terminal(status) })));
    await rowsOn(url, `UPDATE orders SET status = 'CONFIRMED' WHERE status = 'SUBMITTED'`);
    expect(await rowsOn(url, `SELECT count(*)::int AS n FROM orders WHERE outcome = 'CONFIRMED'`)).toEqual([{ n: 2 }]);
    await expect(rowsOn(url, `UPDATE orders SET outcome = 'FAILED'`)).rejects.toThrow(/column "outcome" can only be updated to DEFAULT/);
  });
});
