// A worker SIGKILLed at any point of an order's life: the order still finishes exactly once.
import { describe, expect, it } from 'vitest';
import { httpData } from '../support/clients.js';
import { SimulatedSwaps } from '../support/operations.js';
import { LIFECYCLE, followOrder, submitOrder, systemForThisTest } from '../support/orders.js';
import { FAST_STALL, roleEnv, startRole } from '../support/processes.js';

// after-swap: the venue committed the swap in Redis and the worker died before the journal had it
describe.each(['after-quote', 'after-build', 'after-swap', 'after-submit', 'after-submitted'])('a worker killed %s', (failpoint) => {
  it('leaves an order that another worker finishes with one swap, one CONFIRMED and gap-free events', async () => {
    const system = await systemForThisTest({ worker: false });
    const env = roleEnv(system.config, FAST_STALL);
    const doomed = await startRole('worker', { ...env, ENGINE_FAILPOINTS: failpoint });

    const order = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '3' });
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    const stranded = await system.runtime.store.findById(order.id);
    expect(['ROUTING', 'BUILDING', 'SUBMITTED']).toContain(stranded!.status);

    await startRole('worker', env);
    const events = await followOrder(system.url, order.id);
    console.info(`[recovery] killed ${failpoint}: CONFIRMED ${Date.now() - killedAt} ms after the kill`);

    expect(events.map((e) => e.status)).toEqual(LIFECYCLE);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events.every((e) => e.attempt <= 1)).toBe(true);
    const finished = await system.runtime.store.findById(order.id);
    const { simulatedSwaps } = await httpData(system.url, SimulatedSwaps, { orderId: order.id });
    expect(simulatedSwaps).toHaveLength(1);
    expect(simulatedSwaps[0]!.signature).toBe(finished!.txSignature);
  });
});
