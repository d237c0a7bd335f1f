import { EventEmitter } from 'node:events';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { describe, expect, it } from 'vitest';
import { OrderEventBus } from '../../src/engine/order-events.js';

/** The bus with a stand-in for its subscriber connection, which only says 'ready' (and, when given, its status). */
function busWithConnection(status?: string) {
  const connection = Object.assign(new EventEmitter(), { status });
  const bus = new OrderEventBus({} as RedisPubSub, connection);
  return { bus, reconnect: () => connection.emit('ready') };
}

describe('OrderEventBus resync listeners', () => {
  it('calls nobody on the first connection and every listening stream once on each reconnection', () => {
    const { bus, reconnect } = busWithConnection();
    const calls = [0, 0, 0];
    calls.forEach((_, i) => bus.onResync(() => calls[i]!++));
    reconnect(); // the first 'ready': nothing was missed yet
    expect(calls).toEqual([0, 0, 0]);
    reconnect();
    reconnect();
    expect(calls).toEqual([2, 2, 2]);
  });

  it('counts the next ready of a connection that was ready already when the bus was built as a reconnection', () => {
    // as in every process: createRedis resolves only once the connection is ready
    const { bus, reconnect } = busWithConnection('ready');
    let calls = 0;
    bus.onResync(() => calls++);
    reconnect();
    expect(calls).toBe(1);
  });

  it('leaves out a stream that stopped listening and keeps every other one, among thousands', () => {
    const { bus, reconnect } = busWithConnection();
    const calls = new Array<number>(5_000).fill(0);
    const stops = calls.map((_, i) => bus.onResync(() => calls[i]!++));
    reconnect();
    for (let i = 0; i < calls.length; i += 2) stops[i]!(); // every even one ends
    reconnect();
    expect(calls.every((n, i) => n === (i % 2 === 0 ? 0 : 1))).toBe(true);
  });

  it('counts the same function registered twice as two listeners, each stopped on its own', () => {
    const { bus, reconnect } = busWithConnection();
    let calls = 0;
    const listener = () => calls++;
    const stopFirst = bus.onResync(listener);
    bus.onResync(listener);
    reconnect();
    reconnect();
    expect(calls).toBe(2);
    stopFirst();
    stopFirst(); // stopping twice is harmless
    reconnect();
    expect(calls).toBe(3);
  });
});
