// Reads V8 .cpuprofile files (node --cpu-prof) and says where the time went: by area (the app's
// src/, each npm package, Node's internals, GC), by function (self time), and which of the app's
// own functions hold the most time including what they call.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

function area(frame: ProfileNode['callFrame']): string {
  if (SPECIAL.has(frame.functionName) && !frame.url) return frame.functionName;
  const url = frame.url;
  if (!url) return '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const app = /\/(src|bench)\/(.+)$/.exec(url);
  if (app) return `${app[1]}/ (app)`;
  return url;
}

function where(frame: ProfileNode['callFrame']): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(url);
  const short = pkg ? `${pkg[1]}/${pkg[2]}` : /\/((?:src|bench)\/.+)$/.exec(url)?.[1] ?? url;
  // tsx's output of a src/ file is one line, so its line number says nothing
  const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${short ? `${short}${line}` : ''}`.trim();
}

const pct = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)} %`;

/** A markdown section summarizing one profile. */
export async function summarizeProfile(file: string, heading = `### ${path.basename(file)}`, top = 25): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // self time per node: each sample is charged the time until the next one
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
  });
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const idleUs = profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').reduce((sum, n) => sum + (self.get(n.id) ?? 0), 0);
  const busyUs = totalUs - idleUs;

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    areas.set(area(node.callFrame), (areas.get(area(node.callFrame)) ?? 0) + us);
    functions.set(where(node.callFrame), (functions.get(where(node.callFrame)) ?? 0) + us);
  }

  // inclusive time of the app's own functions (counted once per stack, so recursion is not doubled)
  const inclusive = new Map<string, number>();
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (!/\/src\//.test(frame.url)) continue;
      const key = where(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }

  const rows = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `| ${name.replace(/\|/g, '\\|')} | ${(us / 1000).toFixed(0)} | ${pct(us, busyUs)} |`)
      .join('\n');
  return [
    heading,
    '',
    `Sampled ${(totalUs / 1e6).toFixed(1)} s, of which busy (not idle) ${(busyUs / 1e6).toFixed(1)} s (${pct(busyUs, totalUs)}).`,
    '',
    '| area (self time) | ms | % of busy |',
    '| --- | ---: | ---: |',
    rows(areas, 15),
    '',
    `| function (self time, top ${top}) | ms | % of busy |`,
    '| --- | ---: | ---: |',
    rows(functions, top),
    '',
    '| app function (inclusive: itself and what it calls) | ms | % of busy |',
    '| --- | ---: | ---: |',
    rows(inclusive, 15),
    '',
  ].join('\n');
}
