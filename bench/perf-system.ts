// A whole-machine CPU profile of a bench phase, from Linux `perf` rather than V8's profiler.
//
// On this virtual machine the samples of V8's profiler (`--profile`) gather on the way out of
// system calls: its profiles put `writev` and the other socket writes at 10-32 % of a process's
// busy time, where `perf`, sampling every thread of the machine from the kernel, puts the kernel's
// whole TCP send path at a few percent. This script samples the machine while a phase runs and
// writes, per role (API, worker, PostgreSQL, Redis, bench), how much of a core it used and on what.
//
//   NODE_OPTIONS=--perf-basic-prof npm run bench -- --only engine &    # or any phase
//   npx tsx bench/perf-system.ts --seconds 10 --after 25 [--label "the engine phase"] [--out perf-system.md]
//
// --perf-basic-prof makes V8 write /tmp/perf-<pid>.map, which names compiled JavaScript: the time
// is then also given by the nearest JavaScript function on the stack and its package.
//
// It needs `perf` (Debian: linux-perf) and the right to sample the whole machine (root, or
// kernel.perf_event_paranoid ≤ -1). Writes bench/results/perf-system.md (or --out, in that folder).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_INFRASTRUCTURE } from './lib/infrastructure.js';
import { ROOT } from './lib/processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    after: { type: 'string', default: '0' },
    frequency: { type: 'string', default: '499' },
    label: { type: 'string', default: '' },
    out: { type: 'string', default: 'perf-system.md' },
  },
});
const seconds = Number(values.seconds);
const frequency = Number(values.frequency);

type Role = 'api' | 'worker' | 'postgres' | 'redis' | 'bench';

/** The role of each process of the bench now running, by pid. */
function benchProcesses(): Map<number, Role> {
  const procs = new Map<number, { ppid: number; comm: string; cmdline: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      procs.set(Number(entry), { ppid, comm, cmdline });
    } catch {
      // exited while listed
    }
  }
  const roles = new Map<number, Role>();
  const postmasters = [...procs].filter(([, p]) => p.comm === 'postgres' && p.cmdline.includes(BENCH_INFRASTRUCTURE.dataDir)).map(([pid]) => pid);
  for (const [pid, p] of procs) {
    if (pid === process.pid) continue;
    if (p.comm === 'node' && p.cmdline.includes('src/api-main.ts')) roles.set(pid, 'api');
    else if (p.comm === 'node' && p.cmdline.includes('src/worker-main.ts')) roles.set(pid, 'worker');
    else if (p.comm === 'node' && /\bbench\/[\w-]+\.ts\b/.test(p.cmdline)) roles.set(pid, 'bench');
    else if (p.comm === 'redis-server' && p.cmdline.includes(`:${BENCH_INFRASTRUCTURE.redisPort}`)) roles.set(pid, 'redis');
    else if (postmasters.includes(pid) || postmasters.includes(p.ppid)) roles.set(pid, 'postgres');
  }
  return roles;
}

interface Sample {
  pid: number;
  comm: string;
  /** leaf first: [symbol, dso] */
  frames: [string, string][];
}

/**
 * A process's perf map (V8 appends a line per code object it creates), for naming addresses
 * ourselves: perf takes the first entry that covers an address, but V8 frees code and reuses its
 * memory, so a later entry there (the code that ran) must win over an earlier one.
 */
class PerfMap {
  private readonly starts: number[];
  private readonly entries: { start: number; end: number; name: string; line: number }[];

  constructor(text: string) {
    const all = text.split('\n').flatMap((line, i) => {
      const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line);
      return m ? [{ start: parseInt(m[1]!, 16), end: parseInt(m[1]!, 16) + parseInt(m[2]!, 16), name: m[3]!, line: i }] : [];
    });
    all.sort((a, b) => a.start - b.start);
    this.entries = all;
    this.starts = all.map((e) => e.start);
  }

  name(address: number): string | null {
    let low = 0;
    let high = this.starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.starts[mid]! <= address) low = mid + 1;
      else high = mid;
    }
    let best: { name: string; line: number } | null = null;
    // entries that start before the address, nearest first; code objects are at most a few hundred KB
    for (let i = low - 1; i >= 0 && address - this.entries[i]!.start < 1 << 20; i--) {
      const entry = this.entries[i]!;
      if (address < entry.end && (!best || entry.line > best.line)) best = entry;
    }
    return best?.name ?? null;
  }
}

const perfMaps = new Map<string, PerfMap | null>();
function perfMap(file: string): PerfMap | null {
  if (!perfMaps.has(file)) {
    try {
      perfMaps.set(file, new PerfMap(readFileSync(file, 'utf8')));
    } catch {
      perfMaps.set(file, null);
    }
  }
  return perfMaps.get(file)!;
}

function* samples(script: string): Generator<Sample> {
  let current: Sample | null = null;
  for (const line of script.split('\n')) {
    const header = /^(\S.*?)\s+(\d+)\/(\d+)\s*$/.exec(line);
    if (header) {
      if (current) yield current;
      current = { comm: header[1]!, pid: Number(header[2]), frames: [] };
      continue;
    }
    const frame = /^\s+([0-9a-f]+)\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
    if (!frame || !current) continue;
    const [, ip, symbol, dso] = frame as unknown as [string, string, string, string];
    const named = dso.startsWith('/tmp/perf-') ? perfMap(dso)?.name(parseInt(ip, 16)) : null;
    current.frames.push([named ?? symbol.replace(/\+0x[0-9a-f]+$/, ''), dso]);
  }
  if (current) yield current;
}

const KERNEL_PATHS: [RegExp, string][] = [
  [/^(tcp_sendmsg|sock_write_iter|__sys_sendto|unix_stream_sendmsg)/, 'kernel: socket writes (TCP send, loopback delivery)'],
  [/^(tcp_recvmsg|sock_read_iter|__sys_recvfrom|unix_stream_recvmsg)/, 'kernel: socket reads'],
  [/^(do_epoll_wait|do_epoll_pwait)/, 'kernel: epoll'],
  [/^(__x64_sys_fdatasync|__x64_sys_fsync|__x64_sys_pwrite64|__x64_sys_pread64|ext4_)/, 'kernel: disk (WAL writes and syncs)'],
  [/^(exc_page_fault|do_user_addr_fault)/, 'kernel: page faults'],
  [/^(__x64_sys_futex|futex_)/, 'kernel: futex (thread wake-ups)'],
  [/^(__x64_sys_m(un)?map|__x64_sys_madvise|__x64_sys_mprotect|__do_sys_brk)/, 'kernel: memory mapping'],
];

/**
 * The JavaScript function nearest the leaf, and where it is: what a sample's time was spent for, V8's
 * builtins and runtime included. Needs the roles started with NODE_OPTIONS=--perf-basic-prof, so
 * that V8 writes /tmp/perf-<pid>.map for perf to name compiled code with.
 */
function nearestJs(sample: Sample): { name: string; where: string } | null {
  for (const [symbol, dso] of sample.frames) {
    if (!dso.startsWith('/tmp/perf-')) continue;
    // "JS:*name location" (the mark is V8's tier: * optimized, ^ baseline, ~ interpreted)
    const js = /^JS:[*^~+]?(.*?)\s*(\S+)$/.exec(symbol);
    if (js) return { name: js[1] || '(anonymous)', where: js[2]! };
  }
  return null;
}

/** The package a JavaScript function's location belongs to. */
function jsOwner({ where }: { where: string }): string {
  const modules = where.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = where.slice(modules + '/node_modules/'.length).split('/');
    return scope!.startsWith('@') ? `${scope}/${name}` : scope!;
  }
  if (where.startsWith('node:')) return 'node: internals';
  if (where.includes(path.join(ROOT, 'src/'))) return 'src/ (app)';
  if (where.includes(path.join(ROOT, 'bench/'))) return 'bench/';
  return 'other JavaScript';
}

/** A JavaScript function as `name (file:line)`, paths relative to the repository. */
function jsFunction({ name, where }: { name: string; where: string }): string {
  return `${name} (${where.replace('file://', '').replace(ROOT, '').replace(/:\d+$/, '')})`;
}

function category(sample: Sample): string {
  const [leaf, dso] = sample.frames[0] ?? ['[unknown]', '[unknown]'];
  if (dso === '[kernel.kallsyms]') {
    for (const [symbol] of sample.frames) for (const [pattern, name] of KERNEL_PATHS) if (pattern.test(symbol)) return name;
    return 'kernel: other (interrupts, scheduling, hypervisor)';
  }
  if (sample.comm === 'postgres' || dso.endsWith('/postgres')) return 'PostgreSQL itself';
  if (dso.includes('redis')) return 'Redis itself';
  if (/Scaveng|MarkCompact|Sweeper|ConcurrentMarking|Marking|Evacuat|GCTracer|MemoryAllocator|RememberedSet|SlotSet|Heap::|Barrier/.test(leaf)) return 'V8: garbage collection';
  if (/^Builtins_Interpreter|Bytecode/.test(leaf)) return 'V8: interpreter';
  if (leaf.startsWith('Builtins_') || leaf.startsWith('Builtin:')) return 'V8: builtins (property access, calls, promises)';
  if (/compiler::|Maglev|Turbofan|Compile/.test(leaf)) return 'V8: compiler';
  if (leaf.startsWith('v8::')) return 'V8: runtime';
  if (leaf === '[unknown]' || dso.startsWith('/tmp/perf-') || dso.includes('JIT')) return 'JIT-compiled JavaScript';
  if (/^(node::|uv_|uv__)/.test(leaf)) return 'Node.js and libuv';
  if (dso.includes('libc') || dso.includes('jemalloc')) return 'libc (malloc, memcpy, syscall stubs)';
  return 'other';
}

const file = path.join('/tmp', `perf-system-${process.pid}.data`);
if (Number(values.after) > 0) await new Promise((resolve) => setTimeout(resolve, Number(values.after) * 1000));
const roles = benchProcesses();
if (![...roles.values()].includes('api')) throw new Error('no bench API process is running: start a phase first (npm run bench -- --only engine)');
console.log(`sampling the whole machine for ${seconds} s at ${frequency} Hz (${roles.size} bench processes)…`);
execFileSync('perf', ['record', '-a', '-g', '-F', String(frequency), '-o', file, '--', 'sleep', String(seconds)], { stdio: ['ignore', 'ignore', 'inherit'] });
// connections opened while sampling (a worker's pool, say) are processes the first look missed
for (const [pid, role] of benchProcesses()) roles.set(pid, role);
const script = execFileSync('perf', ['script', '-i', file, '-F', 'comm,pid,tid,ip,sym,dso'], { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
rmSync(file);

const perCore = seconds * frequency;
const cores = availableParallelism();
const byRole = new Map<string, { samples: number; categories: Map<string, number>; symbols: Map<string, number>; owners: Map<string, number>; functions: Map<string, number> }>();
let total = 0;
for (const sample of samples(script)) {
  total++;
  const role = roles.get(sample.pid) ?? (sample.comm === 'swapper' ? 'idle' : `other: ${sample.comm}`);
  const entry = byRole.get(role) ?? { samples: 0, categories: new Map(), symbols: new Map(), owners: new Map(), functions: new Map() };
  entry.samples++;
  const cat = category(sample);
  entry.categories.set(cat, (entry.categories.get(cat) ?? 0) + 1);
  const [leaf, dso] = sample.frames[0] ?? ['[unknown]', ''];
  const symbol = dso === '[kernel.kallsyms]' ? `[k] ${leaf}` : leaf;
  entry.symbols.set(symbol, (entry.symbols.get(symbol) ?? 0) + 1);
  const js = nearestJs(sample);
  const owner = js ? jsOwner(js) : `(no JavaScript on the stack) ${cat}`;
  entry.owners.set(owner, (entry.owners.get(owner) ?? 0) + 1);
  if (js) {
    const fn = jsFunction(js);
    entry.functions.set(fn, (entry.functions.get(fn) ?? 0) + 1);
  }
  byRole.set(role, entry);
}

const pct = (n: number, of: number) => ((n / of) * 100).toFixed(1);
const order: string[] = ['api', 'worker', 'postgres', 'redis', 'bench'];
const rolesSeen = [...byRole.keys()].sort((a, b) => {
  const ia = order.indexOf(a);
  const ib = order.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  return byRole.get(b)!.samples - byRole.get(a)!.samples;
});
const lines = [
  '# Whole-machine CPU profile (perf)',
  '',
  `Written by \`npx tsx bench/perf-system.ts\` (its header says why): \`perf record -a -g -F ${frequency}\` for ${seconds} s` +
    `${values.label ? ` during ${values.label}` : ''}, ${total} samples on ${perCore * cores} possible (${cores} cores). ` +
    'Shares are of one core; each process counts all its threads (V8 collects garbage on helper threads too).',
  '',
  '| process | % of one core | in the kernel |',
  '| --- | ---: | ---: |',
  ...rolesSeen
    .filter((role) => byRole.get(role)!.samples / perCore >= 0.005)
    .map((role) => {
      const entry = byRole.get(role)!;
      const kernel = [...entry.categories].filter(([cat]) => cat.startsWith('kernel')).reduce((sum, [, n]) => sum + n, 0);
      return `| ${role} | ${pct(entry.samples, perCore)} | ${pct(kernel, perCore)} |`;
    }),
  '',
];
for (const role of rolesSeen.filter((r) => order.includes(r))) {
  const entry = byRole.get(role)!;
  lines.push(`## ${role}`, '', `${pct(entry.samples, perCore)} % of one core.`, '', '| where | % of the process |', '| --- | ---: |');
  for (const [cat, n] of [...entry.categories].sort((a, b) => b[1] - a[1])) lines.push(`| ${cat} | ${pct(n, entry.samples)} |`);
  if ([...entry.owners.keys()].some((owner) => !owner.startsWith('('))) {
    lines.push('', '| for which JavaScript (nearest JS function on the stack, by package; top 15) | % of the process |', '| --- | ---: |');
    for (const [owner, n] of [...entry.owners].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`| ${owner} | ${pct(n, entry.samples)} |`);
    lines.push('', '| JavaScript function (nearest on the stack, top 15) | % of the process |', '| --- | ---: |');
    for (const [fn, n] of [...entry.functions].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`| ${fn.replaceAll('|', '\\|')} | ${pct(n, entry.samples)} |`);
  }
  lines.push('', '| function (self, top 12) | % of the process |', '| --- | ---: |');
  for (const [symbol, n] of [...entry.symbols].sort((a, b) => b[1] - a[1]).slice(0, 12)) lines.push(`| ${symbol.replaceAll('|', '\\|')} | ${pct(n, entry.samples)} |`);
  lines.push('');
}
const out = path.resolve(ROOT, 'bench', 'results', values.out);
writeFileSync(out, lines.join('\n'));
console.log(`${path.relative(process.cwd(), out)}: ${total} samples`);
