// Looks into a process through the V8 inspector it was started with (`--inspect=127.0.0.1:PORT`):
// CPU profiles of exactly a measurement's window (no clean exit needed, unlike --cpu-prof),
// memory usage after a full garbage collection (RSS alone would count garbage not yet collected,
// which at a few KB per subscriber is most of the signal), and heap snapshots summarized by
// constructor, to say what the memory is.
import { writeFile } from 'node:fs/promises';
import WebSocket from 'ws';

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Session {
  call(method: string, params?: Record<string, unknown>): Promise<{ result?: { result?: { value?: string }; profile?: unknown } }>;
  on(event: string, listener: (params: Record<string, unknown>) => void): void;
  close(): void;
}

async function connect(inspectPort: number): Promise<Session> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl, { maxPayload: 1 << 30 });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let id = 0;
  const pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, ((params: Record<string, unknown>) => void)[]>();
  socket.on('message', (raw: Buffer) => {
    const message = JSON.parse(raw.toString()) as { id?: number; error?: unknown; method?: string; params?: Record<string, unknown> };
    if (message.id !== undefined) {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(JSON.stringify(message.error)));
      else waiter?.resolve(message as never);
    } else if (message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {});
    }
  });
  return {
    call: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const mine = ++id;
        pending.set(mine, { resolve, reject });
        socket.send(JSON.stringify({ id: mine, method, params }));
      }),
    on: (event, listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
    close: () => socket.close(),
  };
}

/** Starts sampling the process's CPU (every 1 ms); `stop(file)` writes the .cpuprofile. */
export async function startCpuProfile(inspectPort: number): Promise<{ stop(file: string): Promise<void> }> {
  const session = await connect(inspectPort);
  await session.call('Profiler.enable');
  await session.call('Profiler.setSamplingInterval', { interval: 1000 });
  await session.call('Profiler.start');
  return {
    async stop(file: string) {
      try {
        const answer = (await session.call('Profiler.stop')) as { result?: { profile?: unknown } };
        await writeFile(file, JSON.stringify(answer.result?.profile));
      } finally {
        session.close();
      }
    },
  };
}

/**
 * Starts V8's sampling heap profiler (a sample every 32 KB allocated, collected objects kept);
 * `stop(file)` writes the .heapprofile (Chrome DevTools reads it).
 */
export async function startHeapSampling(inspectPort: number): Promise<{ stop(file: string): Promise<void> }> {
  const session = await connect(inspectPort);
  await session.call('HeapProfiler.enable');
  await session.call('HeapProfiler.startSampling', { samplingInterval: 32_768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop(file: string) {
      try {
        const answer = (await session.call('HeapProfiler.stopSampling')) as { result?: { profile?: unknown } };
        await writeFile(file, JSON.stringify(answer.result?.profile));
      } finally {
        session.close();
      }
    },
  };
}

export async function memoryAfterGc(inspectPort: number): Promise<MemoryReading> {
  const session = await connect(inspectPort);
  try {
    await session.call('HeapProfiler.collectGarbage');
    await session.call('HeapProfiler.collectGarbage'); // a second pass frees what the first one's finalizers released
    const answer = await session.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    return JSON.parse(answer.result!.result!.value!) as MemoryReading;
  } finally {
    session.close();
  }
}

/** Live heap by constructor (or V8's name for the object kind): self size and count. */
export type HeapCensus = Map<string, { count: number; bytes: number }>;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/**
 * Takes a heap snapshot (after a GC, as V8 does) and counts its objects by name. Internal arrays
 * (element and property stores) are named after the first object that holds them, e.g.
 * "(array) of FixedCircularBuffer.list", which is where the bytes usually are. Keep it for small heaps.
 */
export async function heapCensus(inspectPort: number): Promise<HeapCensus> {
  const session = await connect(inspectPort);
  try {
    const chunks: string[] = [];
    session.on('HeapProfiler.addHeapSnapshotChunk', (params) => chunks.push(params.chunk as string));
    await session.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
    const snapshot = JSON.parse(chunks.join('')) as Snapshot;
    const fields = snapshot.snapshot.meta.node_fields;
    const types = snapshot.snapshot.meta.node_types[0];
    const [typeAt, nameAt, sizeAt, edgeCountAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f)) as [number, number, number, number];
    const edgeFields = snapshot.snapshot.meta.edge_fields;
    const edgeTypes = snapshot.snapshot.meta.edge_types[0];
    const [edgeTypeAt, edgeNameAt, edgeToAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f)) as [number, number, number];
    const nameOf = (i: number) => {
      const type = types[snapshot.nodes[i + typeAt]!]!;
      return type === 'object' || type === 'native' ? snapshot.strings[snapshot.nodes[i + nameAt]!]! : `(${type})`;
    };
    // the first holder of every object (and by which property), found by walking every edge once
    const holder = new Map<number, { from: number; label: string }>();
    for (let i = 0, edge = 0; i < snapshot.nodes.length; i += fields.length) {
      const edges = snapshot.nodes[i + edgeCountAt]!;
      for (let e = 0; e < edges; e++, edge += edgeFields.length) {
        const to = snapshot.edges[edge + edgeToAt]!;
        if (holder.has(to)) continue;
        const kind = edgeTypes[snapshot.edges[edge + edgeTypeAt]!];
        const label = kind === 'element' || kind === 'hidden' ? `[${snapshot.edges[edge + edgeNameAt]}]` : snapshot.strings[snapshot.edges[edge + edgeNameAt]!]!;
        holder.set(to, { from: i, label });
      }
    }
    // an internal array is named after what holds it; a JS Array's element store after what holds the Array
    const arrayName = (i: number) => {
      const held = holder.get(i);
      if (!held) return '(array)';
      const owner = nameOf(held.from);
      const outer = owner === 'Array' && held.label === 'elements' ? holder.get(held.from) : undefined;
      return outer ? `(array) elements of ${nameOf(outer.from)}.${outer.label}` : `(array) of ${owner}.${held.label}`;
    };
    const census: HeapCensus = new Map();
    for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
      const name = types[snapshot.nodes[i + typeAt]!] === 'array' ? arrayName(i) : nameOf(i);
      const entry = census.get(name) ?? { count: 0, bytes: 0 };
      entry.count++;
      entry.bytes += snapshot.nodes[i + sizeAt]!;
      census.set(name, entry);
    }
    return census;
  } finally {
    session.close();
  }
}

/** What grew between two censuses, per unit (e.g. per subscriber added), largest first, as a markdown table. */
export function censusGrowth(before: HeapCensus, after: HeapCensus, units: number, top = 30): string {
  const rows = [...after.entries()]
    .map(([name, a]) => {
      const b = before.get(name) ?? { count: 0, bytes: 0 };
      return { name, count: (a.count - b.count) / units, bytes: (a.bytes - b.bytes) / units };
    })
    .filter((r) => r.bytes > 0)
    .sort((x, y) => y.bytes - x.bytes);
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  return [
    `| object (constructor or kind) | objects per unit | bytes per unit |`,
    '| --- | ---: | ---: |',
    ...rows.slice(0, top).map((r) => `| ${r.name.replace(/\|/g, '\\|').slice(0, 80)} | ${r.count.toFixed(1)} | ${Math.round(r.bytes)} |`),
    `| **all growth** | | **${Math.round(total)}** |`,
  ].join('\n');
}
