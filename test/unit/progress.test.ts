import { describe, expect, it } from 'vitest';
import { counter, step } from '../../src/observability/progress.js';

/** A stream that records what was written, and a clock the test moves. */
function fakeOutput(isTTY: boolean) {
  const writes: string[] = [];
  let time = 0;
  return {
    writes,
    advance: (ms: number) => (time += ms),
    options: { stream: { isTTY, write: (text: string) => writes.push(text) }, now: () => time },
  };
}

describe('step', () => {
  it('prints what it does, then how long it took, on two lines outside a terminal', async () => {
    const out = fakeOutput(false);
    const result = await step('building the desk', async () => (out.advance(950), 42), out.options);
    expect(result).toBe(42);
    expect(out.writes).toEqual(['building the desk…\n', 'building the desk: done in 950 ms\n']);
  });

  it('finishes its own line on a terminal, and says when it failed', async () => {
    const out = fakeOutput(true);
    await expect(step('migrating', async () => (out.advance(5), Promise.reject(new Error('no database'))), out.options)).rejects.toThrow('no database');
    expect(out.writes).toEqual(['migrating… ', 'failed\n']);
  });
});

describe('counter', () => {
  it('prints a line at each tenth outside a terminal, with rate and ETA, then a summary', () => {
    const out = fakeOutput(false);
    const orders = counter('orders', 100, out.options);
    for (let i = 0; i < 100; i++) {
      out.advance(10);
      orders.tick();
    }
    orders.done();
    expect(out.writes).toHaveLength(10);
    expect(out.writes[0]).toBe('orders  10/100  10 %  100/s  ETA 0.9 s\n');
    expect(out.writes[8]).toBe('orders  90/100  90 %  100/s  ETA 0.1 s\n');
    expect(out.writes[9]).toBe('orders  100/100 in 1.0 s  (100/s)\n');
  });

  it('redraws one line on a terminal, at most ten times a second', () => {
    const out = fakeOutput(true);
    const orders = counter('orders', 1000, out.options);
    for (let i = 0; i < 1000; i++) {
      out.advance(1);
      orders.tick();
    }
    orders.done();
    // 1 s of ticks: the first draw, one per 100 ms after it, and the last item
    expect(out.writes.length).toBeLessThanOrEqual(12);
    expect(out.writes.every((w) => w.startsWith('\r\x1b[K'))).toBe(true);
    expect(out.writes.at(-1)).toBe('\r\x1b[Korders  1000/1000 in 1.0 s  (1000/s)\n');
  });
});
