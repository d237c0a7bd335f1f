import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { abortableSleep } from '../../src/engine/abortable-sleep.js';

describe('abortableSleep', () => {
  it('resolves once its time has passed, not before', async () => {
    vi.useFakeTimers();
    try {
      let done = false;
      const sleep = abortableSleep(20, new AbortController().signal).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(19);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleep;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects every pending sleep with the reason when the signal aborts, and leaves finished ones alone', async () => {
    const controller = new AbortController();
    await abortableSleep(1, controller.signal);
    const pending = Array.from({ length: 3 }, () => abortableSleep(60_000, controller.signal));
    controller.abort(new Error('handing back'));
    for (const sleep of pending) await expect(sleep).rejects.toThrow('handing back');
  });

  it('rejects at once on a signal that has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    expect(() => abortableSleep(10, controller.signal)).toThrow('gone');
  });

  it('adds one abort listener to the signal however many sleeps wait on it', async () => {
    const controller = new AbortController();
    const sleeps = Array.from({ length: 1_000 }, () => abortableSleep(60_000, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await Promise.allSettled(sleeps);
  });
});
