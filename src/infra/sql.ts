// Hot statements straight on node-postgres, as named prepared statements: PostgreSQL parses and
// plans each once per connection instead of once per call, and no ORM layer runs per row. Only
// for what runs for every order (engine benchmark profiles: Prisma's runtime was 9-13 % of the
// API's and the worker's CPU); everything else stays on Prisma.
import type pg from 'pg';

/**
 * A statement with a fixed text, run with `values` as a named prepared statement. The text must
 * not vary between calls (batches pass arrays and `unnest` them), or PostgreSQL would refuse the
 * second text under the same name.
 */
export function preparedStatement<Row>(pool: pg.Pool, name: string, text: string): (values: unknown[]) => Promise<Row[]> {
  return (values) => preparedQuery<Row>(pool, name, text, values);
}

/**
 * A prepared statement that takes a batch of rows as one array per column (its text `unnest`s
 * them), so the same text serves every batch size. `rows` must not be empty.
 */
export function preparedBatch<Row>(pool: pg.Pool, name: string, text: string): (rows: unknown[][]) => Promise<Row[]> {
  return (rows) => preparedQuery<Row>(pool, name, text, rows[0]!.map((_, column) => rows.map((row) => row[column])));
}

/** One call of a named prepared statement; the same name must always come with the same text. */
export async function preparedQuery<Row>(pool: pg.Pool, name: string, text: string, values: unknown[]): Promise<Row[]> {
  return (await pool.query<Row & pg.QueryResultRow>({ name, text, values })).rows;
}

/** A base-unit amount as PostgreSQL's int8 text gives it (node-postgres does not parse int8). */
export const toBigInt = (value: string | null): bigint | null => (value == null ? null : BigInt(value));
