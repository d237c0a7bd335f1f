// Reading Prometheus text format in tests.

/** GET a /metrics endpoint; fails unless it answers 200 in the Prometheus text format. */
export async function scrape(url: string | URL): Promise<string> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  if (!response.headers.get('content-type')?.startsWith('text/plain')) throw new Error(`${url}: content-type ${response.headers.get('content-type')}`);
  return response.text();
}

/**
 * The value of the sample `name` whose labels include `labels`, or undefined when there is none.
 * For a histogram, name the series: `x_bucket`, `x_count` or `x_sum`.
 */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}
