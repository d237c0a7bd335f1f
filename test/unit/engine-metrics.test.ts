import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../src/engine/order-store.js';
import { engineMetrics } from '../../src/observability/engine-metrics.js';
import { sample } from '../support/metrics.js';

const order = (fields: Partial<OrderRecord>) => ({ id: 'o-1', attempts: 1, createdAt: new Date(0), updatedAt: new Date(0), ...fields }) as OrderRecord;

describe('engine metrics', () => {
  it('count each hook under its label and time finished orders from acceptance', async () => {
    const registry = new Registry();
    const observer = engineMetrics(registry);
    observer.routed(order({}), 'METEORA');
    observer.slippageRejected(order({}), 'METEORA');
    observer.retried(order({ attempts: 2 }), 'slippage');
    observer.routed(order({ attempts: 2 }), 'RAYDIUM');
    observer.finished(order({ status: 'CONFIRMED', createdAt: new Date(1_000), updatedAt: new Date(3_500) }));
    observer.dequeued(30);
    // a job's timestamp comes from the adder's clock: one ahead of the worker's counts as no wait
    observer.dequeued(-5);

    const text = await registry.metrics();
    expect(sample(text, 'dex_routing_decisions_total', { dex: 'METEORA' })).toBe(1);
    expect(sample(text, 'dex_routing_decisions_total', { dex: 'RAYDIUM' })).toBe(1);
    expect(sample(text, 'dex_slippage_rejections_total', { dex: 'METEORA' })).toBe(1);
    expect(sample(text, 'dex_slippage_rejections_total', { dex: 'RAYDIUM' })).toBe(0);
    expect(sample(text, 'dex_order_retries_total', { cause: 'slippage' })).toBe(1);
    expect(sample(text, 'dex_order_retries_total', { cause: 'venue_fault' })).toBe(0);
    expect(sample(text, 'dex_orders_finished_total', { status: 'CONFIRMED' })).toBe(1);
    expect(sample(text, 'dex_order_latency_seconds_sum', { status: 'CONFIRMED' })).toBe(2.5);
    expect(sample(text, 'dex_order_latency_seconds_bucket', { status: 'CONFIRMED', le: '2' })).toBe(0);
    expect(sample(text, 'dex_order_latency_seconds_bucket', { status: 'CONFIRMED', le: '2.5' })).toBe(1);
    expect(sample(text, 'dex_order_queue_wait_seconds_count')).toBe(2);
    expect(sample(text, 'dex_order_queue_wait_seconds_sum')).toBe(0.03);
    expect(sample(text, 'dex_order_queue_wait_seconds_bucket', { le: '0.001' })).toBe(1);
    expect(sample(text, 'dex_order_queue_wait_seconds_bucket', { le: '0.025' })).toBe(1);
    expect(sample(text, 'dex_order_queue_wait_seconds_bucket', { le: '0.05' })).toBe(2);
  });

  it('registers once per registry, however many workers a process starts on it', () => {
    const registry = new Registry();
    expect(engineMetrics(registry)).toBe(engineMetrics(registry));
    expect(registry.getMetricsAsArray().filter((m) => m.name === 'dex_routing_decisions_total')).toHaveLength(1);
  });
});
