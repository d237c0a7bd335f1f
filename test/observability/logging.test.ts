import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { startWorker } from '../../src/worker-process.js';
import { LIFECYCLE, followOrder, submitOrder, systemForThisTest } from '../support/orders.js';

/** A logger whose JSON lines land in an array. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describe('engine logs', () => {
  it('are JSON lines that each carry orderId and attempt', async () => {
    const system = await systemForThisTest({ worker: false });
    const { logger, lines } = capturedLogger();
    const worker = await startWorker(system.runtime, { logger });
    onTestFinished(() => worker.close());

    const confirmed = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5' });
    // no pool for this pair: accepted, then FAILED with a reason
    const failed = await submitOrder(system.url, { tokenIn: 'USDT', tokenOut: 'BONK', amountIn: '5' });
    await followOrder(system.url, confirmed.id);
    await followOrder(system.url, failed.id);

    const ofOrder = (id: string) => lines.filter((line) => line.orderId === id);
    expect(ofOrder(confirmed.id).map((line) => line.status)).toEqual(LIFECYCLE.slice(1));
    expect(ofOrder(failed.id).map((line) => [line.status, line.level])).toEqual([
      ['ROUTING', 'info'],
      ['FAILED', 'warn'],
    ]);
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      expect(line).toMatchObject({ orderId: expect.any(String), attempt: expect.any(Number), level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
    }
  });
});

describe('LOG_LEVEL', () => {
  it('sets the level, and refuses what pino does not know', async () => {
    const { logLevel } = await import('../../src/observability/logger.js');
    expect(logLevel({})).toBe('info');
    expect(logLevel({ LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(logLevel({ LOG_LEVEL: 'silent' })).toBe('silent');
    expect(() => logLevel({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of/);
  });
});
