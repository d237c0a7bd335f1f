import { defineConfig } from 'prisma/config';

// Loaded by the Prisma CLI (`prisma generate`, `prisma studio`, ...). The app itself never reads it.
// Without DATABASE_URL the CLI points at the embedded PostgreSQL that `npm start` runs (same port,
// credentials and database as src/infra/bootstrap.ts), and loading this file never throws, so
// `npm install` can generate the client on a machine with no database configured.
const EMBEDDED_DATABASE_URL = 'postgresql://postgres:postgres@127.0.0.1:54329/dex_engine';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? EMBEDDED_DATABASE_URL },
});
