// The one way the app opens PostgreSQL through Prisma. Prisma 7 has no query engine binary: the
// client runs its queries through a driver adapter, here node-postgres (`pg`).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { PrismaClient };

export interface CreatePrismaOptions {
  /** Connections in this client's pool; default 10 (node-postgres' default). */
  max?: number;
}

export function createPrisma(databaseUrl: string, opts: CreatePrismaOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    ...(opts.max === undefined ? {} : { max: opts.max }),
    // an unreachable server fails a query within seconds instead of hanging it
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
