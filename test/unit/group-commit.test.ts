import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit } from '../../src/engine/group-commit.js';

/** A writer that records each batch and answers when the test lets it. */
function writerOf() {
  const batches: string[][] = [];
  const answers: (() => void)[] = [];
  const write = async (items: string[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => answers.push(resolve));
    return items.map((item) => item.toUpperCase());
  };
  return { batches, write, answerNext: () => answers.shift()!() };
}

// batches are asserted after timers are moved by hand, never by waiting
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('GroupCommit', () => {
  it('writes what was submitted in one turn of the event loop as one batch, and what comes while it is in flight as the next', async () => {
    const writer = writerOf();
    const commit = new GroupCommit(writer.write);
    const first = [commit.submit('a'), commit.submit('b')];
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.batches).toEqual([['a', 'b']]);

    const second = [commit.submit('c'), commit.submit('d')];
    await vi.advanceTimersByTimeAsync(10);
    expect(writer.batches).toHaveLength(1); // one statement in flight at a time

    writer.answerNext();
    expect(await Promise.all(first)).toEqual(['A', 'B']);
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.batches).toEqual([['a', 'b'], ['c', 'd']]);
    writer.answerNext();
    expect(await Promise.all(second)).toEqual(['C', 'D']);
  });

  it('without a wait, items submitted in different turns of the event loop go apart', async () => {
    const writer = writerOf();
    const commit = new GroupCommit(writer.write, { maxInFlight: 2 });
    void commit.submit('a');
    await vi.advanceTimersByTimeAsync(1);
    void commit.submit('b');
    await vi.advanceTimersByTimeAsync(1);
    expect(writer.batches).toEqual([['a'], ['b']]);
  });

  it('with lingerMs, a small batch waits that long for more before it is written', async () => {
    const writer = writerOf();
    const commit = new GroupCommit(writer.write, { lingerMs: 2, lingerBelow: 16 });
    const a = commit.submit('a');
    await vi.advanceTimersByTimeAsync(1);
    expect(writer.batches).toEqual([]);
    const b = commit.submit('b');
    await vi.advanceTimersByTimeAsync(1);
    expect(writer.batches).toEqual([['a', 'b']]);
    writer.answerNext();
    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
  });

  it('a batch that reaches lingerBelow is written at once, without waiting out lingerMs', async () => {
    const writer = writerOf();
    const commit = new GroupCommit(writer.write, { lingerMs: 1_000, lingerBelow: 3 });
    void commit.submit('a');
    void commit.submit('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.batches).toEqual([]);
    void commit.submit('c');
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.batches).toEqual([['a', 'b', 'c']]);
  });

  it('what waited behind a statement in flight lingers too when it is few, and goes at once when it is many', async () => {
    const writer = writerOf();
    const commit = new GroupCommit(writer.write, { lingerMs: 5, lingerBelow: 3 });
    void commit.submit('a');
    await vi.advanceTimersByTimeAsync(5);
    expect(writer.batches).toEqual([['a']]);

    void commit.submit('b');
    writer.answerNext();
    await vi.advanceTimersByTimeAsync(4);
    expect(writer.batches).toEqual([['a']]);
    await vi.advanceTimersByTimeAsync(1);
    expect(writer.batches).toEqual([['a'], ['b']]);

    for (const item of ['c', 'd', 'e']) void commit.submit(item);
    writer.answerNext();
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.batches).toEqual([['a'], ['b'], ['c', 'd', 'e']]);
  });

  it('with isolate, writes a batch that failed for one item again item by item: only that item fails', async () => {
    const batches: string[][] = [];
    const refused = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    const commit = new GroupCommit<string, string>(
      async (items) => {
        batches.push(items);
        if (items.includes('bad')) throw refused;
        return items.map((item) => item.toUpperCase());
      },
      { isolate: (error) => error === refused },
    );
    const results = Promise.allSettled(['a', 'bad', 'c'].map((item) => commit.submit(item)));
    await vi.advanceTimersByTimeAsync(0);
    expect((await results).map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['A', 'invalid byte sequence', 'C']);
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it("rejects every item of a batch with the batch's error", async () => {
    const commit = new GroupCommit<string, string>(
      async () => {
        throw new Error('connection lost');
      },
      { lingerMs: 2 },
    );
    const results = Promise.allSettled([commit.submit('a'), commit.submit('b')]);
    await vi.advanceTimersByTimeAsync(2);
    expect((await results).map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['connection lost', 'connection lost']);
  });
});
