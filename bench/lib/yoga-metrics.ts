// Where a GraphQL request's time goes inside the API, from the API's own /metrics (the Yoga
// Prometheus plugin's histograms): read before and after a measurement, the mean of each phase.
import { scrapeSamples } from './prometheus.js';

const PHASES = {
  http: 'graphql_yoga_http_duration',
  parse: 'graphql_envelop_phase_parse',
  validate: 'graphql_envelop_phase_validate',
  context: 'graphql_envelop_phase_context',
  execute: 'graphql_envelop_phase_execute',
} as const;

type Sums = Map<string, { sum: number; count: number }>;

async function scrape(metricsUrl: string): Promise<Sums> {
  const sums: Sums = new Map();
  for (const { name, labels, value } of await scrapeSamples(metricsUrl)) {
    const part = /^(\w+)_(sum|count)$/.exec(name);
    if (!part) continue;
    const key = `${part[1]}|${labels.operationName ?? ''}`;
    const entry = sums.get(key) ?? { sum: 0, count: 0 };
    entry[part[2] as 'sum' | 'count'] += value;
    sums.set(key, entry);
  }
  return sums;
}

export type PhaseMeans = Record<keyof typeof PHASES | 'other', number>;

/**
 * Starts a window; `stop(operationName)` gives the mean milliseconds per request of each phase
 * for that operation (the plugin records whole milliseconds, so these are coarse), and `other`:
 * HTTP time outside them (reading the body, authentication, serializing the answer).
 */
export async function yogaPhases(apiUrl: string): Promise<{ stop(operationName: string): Promise<PhaseMeans> }> {
  const metricsUrl = new URL('/metrics', apiUrl).href;
  const before = await scrape(metricsUrl);
  return {
    async stop(operationName: string) {
      const after = await scrape(metricsUrl);
      const mean = (metric: string) => {
        const a = after.get(`${metric}|${operationName}`) ?? { sum: 0, count: 0 };
        const b = before.get(`${metric}|${operationName}`) ?? { sum: 0, count: 0 };
        return a.count > b.count ? Math.round(((a.sum - b.sum) / (a.count - b.count)) * 1000 * 100) / 100 : Number.NaN;
      };
      const means = Object.fromEntries(Object.entries(PHASES).map(([phase, metric]) => [phase, mean(metric)])) as PhaseMeans;
      means.other = Math.round((means.http - means.parse - means.validate - means.context - means.execute) * 100) / 100;
      return means;
    },
  };
}
