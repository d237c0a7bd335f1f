// A database of the test's own, on the test run's PostgreSQL server, migrated like any other.
// For tests of the reconciler, which rightly looks at every order in its database: sharing the
// run's database, it would also pick up the orders other test files leave unfinished on purpose.
import { randomUUID } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { applyMigrations } from '../../src/infra/migrate.js';
import { sqlOn } from './sql.js';

async function admin(sql: string): Promise<void> {
  await sqlOn(process.env.DATABASE_URL!, sql);
}

export async function ownDatabase(): Promise<string> {
  const name = `test_own_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await admin(`CREATE DATABASE "${name}"`);
  onTestFinished(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return url.toString();
}
