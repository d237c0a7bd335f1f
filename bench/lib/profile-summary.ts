// bench/results/profile-summary.md: one section per profiled process (`--profile`, taken through
// the inspector over the phase's measurement window: see profileWindow in context.ts). A run
// replaces the sections of the phases it ran and keeps the others, each naming the run it came from.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchContext } from './context.js';
import { summarizeProfile } from './cpu-profile.js';

const HEADER = `# CPU profiles

Written by \`npm run bench -- --profile\`: each API and worker process of the phases run, sampled
every millisecond through the V8 inspector over the phase's measurement window (warm-up and
start-up left out; a profiled run's numbers are a little lower than an unprofiled one's). Self
time is time spent in the function itself; percentages are of the process's busy (non-idle) time;
"inclusive" counts only the synchronous part of what a function calls. The raw profiles are in
bench/results/profiles/ (not committed); open one in Chrome DevTools (Performance → Load profile)
for the whole call tree. On this virtual machine V8's samples gather on the way out of system
calls: socket writes (\`writev\`, \`writeBuffer\`, \`writeUtf8String\`) take several times the share
here that \`perf\`, sampling from the kernel, measures for them (\`bench/perf-system.ts\`,
bench/results/perf-system.md).
`;

const ORDER = ['engine', 'realistic', 'mutation', 'fanout', 'growth'];

export async function writeProfileSummary(ctx: BenchContext, phasesRun: readonly string[]): Promise<void> {
  const { workers, inFlight } = ctx.options;
  const describe: Record<string, string> = {
    engine: `engine throughput: zero venue latency, ${inFlight} orders in flight, ${workers} worker process(es)`,
    realistic: 'realistic latencies: 500 orders/s offered, quotes 200 ms, confirmation 2-3 s',
    mutation: 'mutation latency: 500 requests/s, a worker at realistic latency',
    fanout: 'fan-out: subscribers connecting, held idle, then receiving events',
    growth: 'growth: order(id) and orders(first: 50), one request at a time',
  };
  const root = path.join(ctx.resultsDir, 'profiles');
  const files = (await readdir(root)).filter((f) => f.startsWith(`${ctx.runId}-`) && f.endsWith('.cpuprofile')).sort();
  const fresh: { phase: string; text: string }[] = [];
  for (const file of files) {
    const [, phase = '', name = ''] = /^[^-]+-([a-z]+)-(.+)\.cpuprofile$/.exec(file) ?? [];
    fresh.push({ phase, text: await summarizeProfile(path.join(root, file), `### ${phase} · ${name}\n\nRun ${ctx.runId}, ${describe[phase] ?? phase}.`) });
  }
  const file = path.join(ctx.resultsDir, 'profile-summary.md');
  const kept = existsSync(file)
    ? (await readFile(file, 'utf8'))
        .split(/^(?=### )/m)
        .slice(1)
        .map((text) => ({ phase: /^### ([a-z]+) ·/.exec(text)?.[1] ?? '', text }))
        .filter((section) => section.phase && !phasesRun.includes(section.phase))
    : [];
  const sections = [...kept, ...fresh].sort((a, b) => ORDER.indexOf(a.phase) - ORDER.indexOf(b.phase));
  await writeFile(file, `${HEADER}\n${sections.map((s) => s.text.trimEnd()).join('\n\n')}\n`);
  ctx.progress.log(`profile: ${fresh.length} process(es) summarized in bench/results/profile-summary.md`);
}
