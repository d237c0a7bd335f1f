// What PostgreSQL's backends are doing during a measurement, sampled from pg_stat_activity:
// running on CPU, waiting on a lock (hot rows), on the WAL (commit fsyncs), or idle. Averaged,
// it says whether the database is the bound and why.
import type pg from 'pg';

export interface ActivityReport {
  samples: number;
  /** average number of client backends in each state per sample, e.g. "active (on CPU)": 3.2, "Lock:transactionid": 1.1 */
  average: Record<string, number>;
}

const SAMPLE = `SELECT CASE WHEN state = 'active' AND wait_event IS NULL THEN 'active (on CPU)'
                        WHEN state = 'active' THEN wait_event_type || ':' || wait_event
                        ELSE coalesce(state, 'unknown') END AS what, count(*)::int AS n
                 FROM pg_stat_activity
                 WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()
                 GROUP BY 1`;

export function sampleActivity(pool: pg.Pool, everyMs = 200): { stop(): Promise<ActivityReport> } {
  const totals = new Map<string, number>();
  let samples = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    pool
      .query<{ what: string; n: number }>(SAMPLE)
      .then(({ rows }) => {
        samples++;
        for (const { what, n } of rows) totals.set(what, (totals.get(what) ?? 0) + n);
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      const average = Object.fromEntries(
        [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([what, n]) => [what, Math.round((n / Math.max(1, samples)) * 100) / 100]),
      );
      return { samples, average };
    },
  };
}
