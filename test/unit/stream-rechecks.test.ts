import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamRechecks, type WatchedStream } from '../../src/engine/stream-rechecks.js';

/** A store that answers each order's newest seq from `seqs`, recording every query's ids. */
function storeOf(seqs: Record<string, number>) {
  const queries: string[][] = [];
  const store = {
    queries,
    lastSeqs: vi.fn(async (ids: string[]) => {
      queries.push(ids);
      return new Map(ids.filter((id) => id in seqs).map((id) => [id, seqs[id]!]));
    }),
  };
  return store;
}

/** A bus stand-in whose reconnection the test triggers. */
function busOf() {
  const listeners: (() => void)[] = [];
  return { onResync: (listener: () => void) => (listeners.push(listener), () => undefined), reconnect: () => listeners.forEach((l) => l()) };
}

function stream(orderId: string, lastSeq: number): WatchedStream & { woken: number } {
  const s = { orderId, woken: 0, lastSeq: () => lastSeq, wake: () => s.woken++ };
  return s;
}

const unwatchAll: (() => void)[] = [];
afterEach(() => {
  unwatchAll.splice(0).forEach((unwatch) => unwatch());
  vi.useRealTimers();
});

function watching(rechecks: StreamRechecks, ...streams: WatchedStream[]) {
  const stops = streams.map((s) => rechecks.watch(s));
  unwatchAll.push(...stops);
  return stops;
}

describe('StreamRechecks', () => {
  it('asks for every followed order in one query and wakes only the streams PostgreSQL has seen move on', async () => {
    const store = storeOf({ a: 3, b: 5 });
    const rechecks = new StreamRechecks(store, busOf(), { intervalMs: 60_000 });
    const behind = stream('a', 2);
    const upToDate = [stream('a', 3), stream('b', 5), stream('gone', 1)];
    watching(rechecks, behind, ...upToDate);
    await rechecks.check();
    expect(store.queries).toEqual([['a', 'b', 'gone']]);
    expect(behind.woken).toBe(1);
    expect(upToDate.map((s) => s.woken)).toEqual([0, 0, 0]);
  });

  it('covers ten thousand streams of 2,500 orders in three queries of at most a thousand orders', async () => {
    const seqs = Object.fromEntries(Array.from({ length: 2_500 }, (_, i) => [`order-${i}`, 1]));
    const store = storeOf(seqs);
    const rechecks = new StreamRechecks(store, busOf(), { intervalMs: 60_000 });
    // four streams per order, all up to date but one
    const streams = Array.from({ length: 10_000 }, (_, i) => stream(`order-${i % 2_500}`, i === 7_777 ? 0 : 1));
    watching(rechecks, ...streams);
    await rechecks.check();
    expect(store.queries.map((ids) => ids.length)).toEqual([1_000, 1_000, 500]);
    expect(streams.filter((s) => s.woken > 0)).toEqual([streams[7_777]]);
  });

  it('checks at once when the subscriber connection comes back, and once more for any asks made while a check runs', async () => {
    let release!: () => void;
    const store = storeOf({ a: 2 });
    const firstAnswer = new Promise<void>((resolve) => (release = resolve));
    store.lastSeqs.mockImplementationOnce(async (ids: string[]) => {
      store.queries.push(ids);
      await firstAnswer;
      return new Map([['a', 1]]); // read before the commit of seq 2
    });
    const bus = busOf();
    const rechecks = new StreamRechecks(store, bus, { intervalMs: 60_000 });
    const s = stream('a', 1);
    watching(rechecks, s);
    bus.reconnect();
    const running = rechecks.check();
    bus.reconnect();
    const last = rechecks.check();
    release();
    await Promise.all([running, last]);
    // the first check saw nothing new; the one rerun it owed (for three asks) found seq 2
    expect(store.queries).toHaveLength(2);
    expect(s.woken).toBe(1);
  });

  it('rides out PostgreSQL being away without a word, and reports any other failure', async () => {
    const onError = vi.fn();
    const store = storeOf({ a: 2 });
    store.lastSeqs.mockRejectedValueOnce(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    store.lastSeqs.mockRejectedValueOnce(new Error('relation "orders" does not exist'));
    const rechecks = new StreamRechecks(store, busOf(), { intervalMs: 60_000, onError });
    const s = stream('a', 1);
    watching(rechecks, s);
    await rechecks.check();
    expect(onError).not.toHaveBeenCalled();
    await rechecks.check();
    expect(onError).toHaveBeenCalledOnce();
    expect(s.woken).toBe(0);
    await rechecks.check();
    expect(s.woken).toBe(1);
  });

  it('does not wake a stream that ended while the check was reading', async () => {
    let release!: () => void;
    const store = storeOf({ a: 2 });
    store.lastSeqs.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return new Map([['a', 2]]);
    });
    const rechecks = new StreamRechecks(store, busOf(), { intervalMs: 60_000 });
    const s = stream('a', 1);
    const [unwatch] = watching(rechecks, s);
    const checking = rechecks.check();
    await vi.waitFor(() => expect(release).toBeDefined());
    unwatch!();
    release();
    await checking;
    expect(s.woken).toBe(0);
  });

  it('runs on its interval only while some stream is watched', async () => {
    vi.useFakeTimers();
    const store = storeOf({ a: 1 });
    const rechecks = new StreamRechecks(store, busOf(), { intervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.queries).toHaveLength(0);
    const [first, second] = watching(rechecks, stream('a', 1), stream('a', 1));
    await vi.advanceTimersByTimeAsync(3_500);
    expect(store.queries).toHaveLength(3);
    first!();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.queries).toHaveLength(4);
    second!();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(store.queries).toHaveLength(4);
  });
});
