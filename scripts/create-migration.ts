// npm run db:migration:create -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that takes the last migration's schema to prisma/schema.prisma (no shadow database).
// The engine needs a PostgreSQL connection to learn the server version, nothing more: DATABASE_URL,
// or the embedded server of `npm start`.
import { startDatabase } from '../src/infra/bootstrap.js';
import { createMigration } from '../src/infra/migrate.js';

const name = process.argv[2];
if (!name || !/^[A-Za-z0-9_-]+$/.test(name)) {
  console.error('usage: npm run db:migration:create -- <name>   (letters, digits, _ and -; e.g. add_order_notes)');
  process.exit(2);
}

const database = await startDatabase();
try {
  const created = await createMigration(database.databaseUrl, name);
  if (created) {
    console.log(`Created prisma/migrations/${created.name}/migration.sql:\n\n${created.sql}`);
    console.log('Review it, then apply it with: npm run db:migrate');
  } else {
    console.log('prisma/schema.prisma matches the last migration: nothing to create.');
  }
} catch (error) {
  process.exitCode = 1;
  console.error(error instanceof Error ? error.message : error);
} finally {
  await database.stop();
}
