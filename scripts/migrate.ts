// npm run db:migrate: applies pending migrations to DATABASE_URL, or, when it is unset, to the
// embedded PostgreSQL that `npm start` uses (started for the occasion, stopped afterwards).
import { startDatabase } from '../src/infra/bootstrap.js';
import { applyMigrations } from '../src/infra/migrate.js';
import { step } from '../src/observability/progress.js';

const database = await startDatabase();
try {
  const t0 = Date.now();
  const applied = await step('applying pending migrations', () => applyMigrations(database.databaseUrl));
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) in ${Date.now() - t0} ms:\n${applied.map((name) => `  ${name}`).join('\n')}`
      : 'Database is up to date: no pending migrations.',
  );
} catch (error) {
  process.exitCode = 1;
  console.error(error instanceof Error ? error.message : error);
} finally {
  await database.stop();
}
