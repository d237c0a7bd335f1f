// Hot statements straight on node-postgres, as named prepared statements: PostgreSQL parses and
// plans each once per connection instead of once per call, and no ORM layer runs per row. Only
// for what runs for every order (engine benchmark profiles: Prisma's runtime was 9-13 % of the
// API's and the worker's CPU); everything else stays on Prisma.
import type pg from 'pg';

/** The pool, or one connection taken from it (where the caller must know whether a statement was sent). */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * A statement with a fixed text, run with `values` as a named prepared statement. The text must
 * not vary between calls (batches pass arrays and `unnest` them), or PostgreSQL would refuse the
 * second text under the same name.
 */
export function preparedStatement<Row>(pool: Queryable, name: string, text: string): (values: unknown[]) => Promise<Row[]> {
  return (values) => preparedQuery<Row>(pool, name, text, values);
}

/**
 * A prepared statement that takes a batch of rows as one array per column (its text `unnest`s
 * them), so the same text serves every batch size. `rows` must not be empty.
 */
export function preparedBatch<Row>(pool: Queryable, name: string, text: string): (rows: unknown[][]) => Promise<Row[]> {
  return (rows) => preparedQuery<Row>(pool, name, text, rows[0]!.map((_, column) => rows.map((row) => row[column])));
}

/** One call of a named prepared statement; the same name must always come with the same text. */
export async function preparedQuery<Row>(pool: Queryable, name: string, text: string, values: unknown[]): Promise<Row[]> {
  return (await pool.query<Row & pg.QueryResultRow>({ name, text, values })).rows;
}

/** A base-unit amount as PostgreSQL's int8 text gives it (node-postgres does not parse int8). */
export const toBigInt = (value: string | null): bigint | null => (value == null ? null : BigInt(value));

/**
 * Runs `use` on a connection of the pool's, then gives it back (or drops it if `use` failed, as
 * pool.query does). Unlike pool.query, the caller sees when the connection was had: a failure
 * before `use` runs sent nothing.
 */
export async function withConnection<T>(pool: pg.Pool, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // a checked-out connection that breaks also emits 'error', which must not crash the process:
  // `use` gets the same error from its statement
  const ignore = () => undefined;
  client.on('error', ignore);
  try {
    const result = await use(client);
    client.removeListener('error', ignore);
    client.release();
    return result;
  } catch (error) {
    client.removeListener('error', ignore);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}
