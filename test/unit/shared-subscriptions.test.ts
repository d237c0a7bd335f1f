import { parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/observability/registry.js';
import { SharedSubscriptions } from '../../src/shared-subscriptions.js';
import { sample } from '../support/metrics.js';

const FOLLOW = parse('subscription Follow($orderId: ID!) { orderStatus(orderId: $orderId) { seq } }');
const OTHER_FIELD = parse('subscription { somethingLive { seq } }');

/** An execution under test control: results pushed by the test, and whether it was stopped. */
function execution() {
  const queued: ExecutionResult[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: Error | undefined;
  const state = { stopped: false };
  async function* results(): AsyncGenerator<ExecutionResult> {
    try {
      for (;;) {
        while (queued.length > 0) yield queued.shift()!;
        if (failure) throw failure;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      state.stopped = true;
    }
  }
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  return {
    state,
    stream: results(),
    push: (seq: number) => (queued.push({ data: { orderStatus: { seq } } }), poke()),
    finish: () => ((finished = true), poke()),
    fail: (error: Error) => ((failure = error), poke()),
  };
}

/** Everything an iterable yields until it ends. */
async function drain(iterable: unknown): Promise<unknown[]> {
  const seen: unknown[] = [];
  for await (const result of iterable as AsyncIterable<ExecutionResult>) seen.push(result.data);
  return seen;
}

const seq = (n: number) => ({ orderStatus: { seq: n } });
const args = (orderId: string, document = FOLLOW) => ({ document, operationName: 'Follow', variableValues: { orderId } });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedSubscriptions', () => {
  it('runs one execution for subscribers of the same operation, variables and account, and replays its results so far to a late one', async () => {
    const shared = new SharedSubscriptions(new Set(['orderStatus']));
    const run = execution();
    let starts = 0;
    const start = () => (starts++, run.stream);

    const first = drain(await shared.subscribe(args('a'), 'acme', start));
    run.push(1);
    run.push(2);
    await flush();
    const late = drain(await shared.subscribe(args('a'), 'acme', start));
    run.push(3);
    run.finish();

    expect(await first).toEqual([seq(1), seq(2), seq(3)]);
    expect(await late).toEqual([seq(1), seq(2), seq(3)]);
    expect(starts).toBe(1);
  });

  it('starts apart for another account, other variables, and fields that do not replay their history', async () => {
    const shared = new SharedSubscriptions(new Set(['orderStatus']));
    const runs: ReturnType<typeof execution>[] = [];
    const start = () => {
      const run = execution();
      runs.push(run);
      return run.stream;
    };

    await shared.subscribe(args('a'), 'acme', start);
    await shared.subscribe(args('a'), 'globex', start);
    await shared.subscribe(args('b'), 'acme', start);
    await shared.subscribe(args('a', OTHER_FIELD), 'acme', start);
    await shared.subscribe(args('a', OTHER_FIELD), 'acme', start);
    await shared.subscribe(args('a'), 'acme', start);

    expect(runs).toHaveLength(5);
  });

  it('stops the execution when its last subscriber leaves, and starts a fresh one for the next', async () => {
    const registry = createRegistry();
    const shared = new SharedSubscriptions(new Set(['orderStatus']), registry);
    const first = execution();
    const second = execution();
    const runs = [first, second];
    const start = () => runs.shift()!.stream;

    const a = (await shared.subscribe(args('a'), 'acme', start)) as AsyncIterableIterator<ExecutionResult>;
    const b = (await shared.subscribe(args('a'), 'acme', start)) as AsyncIterableIterator<ExecutionResult>;
    first.push(1);
    expect((await a.next()).value).toEqual({ data: seq(1) });
    // a pending next() ends at once when its subscriber leaves
    const waiting = a.next();
    await a.return!();
    expect(await waiting).toEqual({ value: undefined, done: true });
    await flush();
    expect(first.state.stopped).toBe(false);

    await b.return!();
    first.push(2); // the generator runs its finally at its next yield
    await flush();
    expect(first.state.stopped).toBe(true);

    const c = drain(await shared.subscribe(args('a'), 'acme', start));
    second.push(1);
    second.finish();
    expect(await c).toEqual([seq(1)]);
    const metrics = await registry.metrics();
    expect(sample(metrics, 'graphql_ws_subscriptions_total', { execution: 'started' })).toBe(2);
    expect(sample(metrics, 'graphql_ws_subscriptions_total', { execution: 'joined' })).toBe(1);
  });

  it('hands an error result of the start to every subscriber who waited for it, and keeps nothing of it', async () => {
    const shared = new SharedSubscriptions(new Set(['orderStatus']));
    const notFound: ExecutionResult = { errors: [] };
    let starts = 0;
    const start = async () => {
      starts++;
      await flush();
      return notFound;
    };

    const outcomes = await Promise.all([shared.subscribe(args('a'), 'acme', start), shared.subscribe(args('a'), 'acme', start)]);
    expect(outcomes).toEqual([notFound, notFound]);
    expect(starts).toBe(1);
    await shared.subscribe(args('a'), 'acme', start);
    expect(starts).toBe(2);
  });

  it('fails every subscriber with the error the execution fails with, after the results before it', async () => {
    const shared = new SharedSubscriptions(new Set(['orderStatus']));
    const run = execution();
    const start = () => run.stream;
    const seenBy = async () => {
      const seen: unknown[] = [];
      try {
        for await (const result of (await shared.subscribe(args('a'), 'acme', start)) as AsyncIterable<ExecutionResult>) seen.push(result.data);
      } catch (error) {
        seen.push((error as Error).message);
      }
      return seen;
    };

    const both = Promise.all([seenBy(), seenBy()]);
    await flush();
    run.push(1);
    run.fail(new Error('store gone'));

    expect(await both).toEqual([
      [seq(1), 'store gone'],
      [seq(1), 'store gone'],
    ]);
  });
});
