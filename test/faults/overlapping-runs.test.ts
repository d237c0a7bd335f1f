// Two runs of one order at once: a job whose lock lapsed (a worker stalled past JOB_LOCK_MS) is
// taken over while its first worker still runs it. A review found that a run retrying after a
// venue fault could abandon a signature that the other run was sending at that moment: both
// swaps executed. A signature is now given up (expired, as a Solana durable nonce is advanced)
// before its order is retried with another, so that it can never execute afterwards.
//
// The interleaving is arranged, not raced for: run A's venue faults on submit, and the other
// run's submit of the same signature lands just after A has looked at (and given up) the
// signature, before A's retry is stored. That is the window the review hit by timing.
import { describe, expect, it } from 'vitest';
import { TransactionExpiredError, TransientVenueError } from '../../src/engine/errors.js';
import { OrderExecutor } from '../../src/engine/order-executor.js';
import type { Market } from '../../src/engine/venues/market.js';
import { findPair } from '../../src/engine/venues/pools.js';
import type { SwapTransaction } from '../../src/engine/venues/simulated-venue.js';
import { silentLogger } from '../../src/observability/logger.js';
import { httpData } from '../support/clients.js';
import { OrderDetails, SimulatedSwaps } from '../support/operations.js';
import { submitOrder, systemForThisTest, type SystemUnderTest } from '../support/orders.js';

const INPUT = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.01' };

function executor(system: SystemUnderTest, market: Market = system.runtime.market) {
  const { store, bus, config } = system.runtime;
  return new OrderExecutor({ store, bus, market, settings: { ...config.engine, retryBaseMs: 5, failpoints: new Set() }, logger: silentLogger });
}

/** The transaction the order's current attempt would send. */
async function transactionOf(system: SystemUnderTest, orderId: string): Promise<SwapTransaction> {
  const order = (await system.runtime.store.findById(orderId))!;
  return { signature: order.txSignature!, orderId, route: findPair(order.tokenIn, order.tokenOut)!, amountIn: order.amountIn, minAmountOut: order.minAmountOut! };
}

interface Hooks {
  /** runs in each submit, just before it faults (no swap of its own) */
  beforeFault?: (transaction: SwapTransaction) => Promise<void>;
  /** runs right after each status call that follows a fault returns, before the caller acts on the answer */
  meanwhile?: (signature: string) => Promise<void>;
  /** the status calls made, by name */
  calls?: string[];
}

/** A market whose venues fault on every submit, arranged by `hooks`. */
function faultingMarket(market: Market, { beforeFault, meanwhile, calls }: Hooks = {}): Market {
  let faulted = false;
  const venues = new Map(
    market.venues.map((real) => [
      real.dex,
      new Proxy(real, {
        get(target, property, receiver) {
          if (property === 'submit') {
            return async (transaction: SwapTransaction) => {
              await beforeFault?.(transaction);
              faulted = true;
              throw new TransientVenueError(target.dex, 'submit failed: RPC node unavailable');
            };
          }
          if (property === 'transaction' || property === 'expire') {
            return async (signature: string, ...rest: unknown[]) => {
              calls?.push(property);
              const answer = await (target[property] as (...args: unknown[]) => Promise<unknown>).call(target, signature, ...rest);
              if (faulted) await meanwhile?.(signature);
              return answer;
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    ]),
  );
  return { ...market, venues: [...venues.values()], venue: (dex) => venues.get(dex)! } as Market;
}

describe('two runs of one order at once', () => {
  it('never both swap: a signature given up after a fault is refused when the other run sends it', async () => {
    // run B built the attempt and stalls before sending it
    const { system, held, built } = await orderAtBuilding();

    // run A faults on submit; just after it has checked the signature, run B sends it
    const late: { outcome?: unknown } = {};
    const market = faultingMarket(system.runtime.market, {
      meanwhile: async (signature) => {
        if (late.outcome !== undefined || signature !== built.signature) return;
        late.outcome = await system.runtime.market.venue(built.dex).submit(built.transaction).catch((error: unknown) => error);
      },
    });
    // A retries with new signatures; its own submits all fault, so it fails after 3 attempts
    const finished = await executor(system, market).execute(held.id);

    expect(late.outcome).toBeInstanceOf(TransactionExpiredError);
    expect(finished?.status).toBe('FAILED');
    expect((await httpData(system.url, SimulatedSwaps, { orderId: held.id })).simulatedSwaps).toEqual([]);
  });

  it('keeps a swap that the other run sent before the signature was given up: the order confirms on it, once', async () => {
    const { system, held, built } = await orderAtBuilding();

    // run A sends the signature and its submit faults, just after run B's submit of it landed;
    // giving the signature up finds B's swap, which stands
    let sent: { signature: string } | undefined;
    const calls: string[] = [];
    const market = faultingMarket(system.runtime.market, {
      calls,
      beforeFault: async (transaction) => {
        sent ??= await system.runtime.market.venue(built.dex).submit(transaction);
      },
    });
    const finished = await executor(system, market).execute(held.id);

    expect(sent?.signature).toBe(built.signature);
    expect(calls).toContain('expire');
    expect(finished).toMatchObject({ status: 'CONFIRMED', attempts: 1, txSignature: built.signature });
    const { order } = await httpData(system.url, OrderDetails, { id: held.id });
    expect(order!.events.map((e) => e.status)).toEqual(['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED']);
    const swaps = (await httpData(system.url, SimulatedSwaps, { orderId: held.id })).simulatedSwaps;
    expect(swaps).toEqual([expect.objectContaining({ signature: built.signature })]);
  });

  it('retries an order resumed at BUILDING whose signature a run gave up before it died', async () => {
    const { system, held, built } = await orderAtBuilding();
    // the run that gave it up died before storing its retry
    expect(await system.runtime.market.venue(built.dex).expire(built.signature)).toBeNull();

    const finished = await executor(system).execute(held.id);

    expect(finished).toMatchObject({ status: 'CONFIRMED', attempts: 2 });
    expect(finished!.txSignature).not.toBe(built.signature);
    const swaps = (await httpData(system.url, SimulatedSwaps, { orderId: held.id })).simulatedSwaps;
    expect(swaps).toEqual([expect.objectContaining({ signature: finished!.txSignature })]);
    // and the given-up signature stays unexecutable
    await expect(system.runtime.market.venue(built.dex).submit(built.transaction)).rejects.toBeInstanceOf(TransactionExpiredError);
  });
});

describe('a signature given up at the venue', () => {
  it('is refused as expired, not as slippage, when the pool has also moved past its minimum', async () => {
    const { system, held, built } = await orderAtBuilding();
    const venue = system.runtime.market.venue(built.dex);
    expect(await venue.expire(built.signature)).toBeNull();
    // a minimum no pool pays: the slippage check fails first, and the signature's expiry is what counts
    const stale = { ...built.transaction, minAmountOut: 10n ** 18n };
    await expect(venue.submit(stale)).rejects.toBeInstanceOf(TransactionExpiredError);
  });

  it('that had executed before Redis lost it is put back in the ledger: a stale run sending it gets the swap, not a second one', async () => {
    const { system, held, built } = await orderAtBuilding();
    const venue = system.runtime.market.venue(built.dex);
    const swapped = await venue.submit(built.transaction);
    // Redis forgets the swap (the journal has it)
    await system.runtime.redis.del(`${system.config.sim.namespace}:tx:${built.signature}`);

    expect(await venue.expire(built.signature)).toMatchObject({ signature: built.signature, amountOut: swapped.amountOut });
    // the ledger has the swap again, so the stale run's send is answered with it, not executed
    const pool = await venue.pool(built.transaction.route);
    expect(await venue.submit(built.transaction)).toMatchObject({ signature: built.signature, amountOut: swapped.amountOut });
    expect((await venue.pool(built.transaction.route)).version).toBe(pool.version);
    expect(await system.runtime.market.journal.swapsOfOrder(held.id)).toHaveLength(1);
  });
});

/** A system with one order at BUILDING, its attempt built by a run that stopped before sending it. */
async function orderAtBuilding() {
  const system = await systemForThisTest({ worker: false });
  const held = await submitOrder(system.url, INPUT);
  await system.runtime.store.transition({ orderId: held.id, from: { status: 'PENDING', attempt: 0 }, to: 'ROUTING', attempt: 1, message: 'quoting RAYDIUM and METEORA' });
  return { system, held, built: await executorUntilBuilding(system, held.id) };
}

/** Routes the order (at ROUTING) to BUILDING with a real quote, without sending anything. */
async function executorUntilBuilding(system: SystemUnderTest, orderId: string) {
  const market = faultingMarket(system.runtime.market);
  // a run that stops at its first submit: the faulting market's submit, before any status call
  const stopAtSubmit = new Proxy(market, {
    get(target, property, receiver) {
      if (property !== 'venue') return Reflect.get(target, property, receiver);
      return (dex: Parameters<Market['venue']>[0]) => {
        const venue = target.venue(dex);
        return new Proxy(venue, {
          get(inner, name, innerReceiver) {
            if (name === 'submit') return () => Promise.reject(new Error('stopped at BUILDING'));
            return Reflect.get(inner, name, innerReceiver);
          },
        });
      };
    },
  });
  await executor(system, stopAtSubmit).execute(orderId).catch((error: unknown) => {
    if (!(error instanceof Error) || error.message !== 'stopped at BUILDING') throw error;
  });
  const order = (await system.runtime.store.findById(orderId))!;
  expect(order.status).toBe('BUILDING');
  return { dex: order.dex as Parameters<Market['venue']>[0], signature: order.txSignature!, transaction: await transactionOf(system, orderId) };
}
