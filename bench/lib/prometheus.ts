// The samples of a process's /metrics (Prometheus text format), for the bench's readings of the
// API's and the workers' own histograms.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Every sample `metricsUrl` serves now; comment lines are skipped. */
export async function scrapeSamples(metricsUrl: string): Promise<Sample[]> {
  const text = await (await fetch(metricsUrl)).text();
  const samples: Sample[] = [];
  for (const [, name, labels, value] of text.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/gm)) {
    samples.push({
      name: name!,
      labels: Object.fromEntries([...(labels ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!])),
      value: Number(value),
    });
  }
  return samples;
}
