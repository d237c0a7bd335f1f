// One statement on a connection of its own, opened and closed around it: what a psql session of an
// operator would run, behind the app's back, or what a test needs of a database it made itself.
import pg from 'pg';

export async function sqlOn<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

/** The rows of `sqlOn`. */
export async function rowsOn<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  return (await sqlOn<T>(url, text, values)).rows;
}
