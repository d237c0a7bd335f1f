import { describe, expect, it } from 'vitest';
import { step } from '../../src/observability/progress.js';

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
