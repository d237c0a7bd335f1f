// Configuration from the environment: a value the process cannot honour is refused at startup,
// naming its variable, rather than used as something else.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('refuses a duration longer than Node can time, which it would turn into 1 ms', () => {
    // a statement timeout of 1 ms made every query fail as "PostgreSQL unreachable"
    expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '3000000000' })).toThrow(/DATABASE_QUERY_TIMEOUT_MS must be at most 2147483647 ms/);
    expect(() => loadConfig({ SIM_CONFIRM_MS: '1000-3000000000' })).toThrow(/SIM_CONFIRM_MS must be at most 2147483647 ms/);
    expect(loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '2147483647' }).databaseQueryTimeoutMs).toBe(2147483647);
  });

  it('refuses a value that is not an integer, or below its minimum, naming the variable', () => {
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '0' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS must be an integer ≥ 1, got "0"/);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('refuses a DATABASE_URL or REDIS_URL that is no such URL, without repeating it (it may hold a password)', () => {
    expect(() => loadConfig({ DATABASE_URL: 'garbage' })).toThrow(/^DATABASE_URL must start with postgresql:\/\/ or postgres:\/\/ or socket:, got something else$/);
    expect(() => loadConfig({ REDIS_URL: 'garbage' })).toThrow(/^REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'http://secret@localhost:6379' })).toThrow(/^REDIS_URL must start with/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', REDIS_URL: 'rediss://cache:6380' })).toMatchObject({ databaseUrl: 'postgres://u:p@db:5432/x', redisUrl: 'rediss://cache:6380' });
  });

  it("takes every form of DATABASE_URL pg takes, a WHATWG URL's or not", () => {
    for (const url of ['postgresql://postgres@/db?host=/var/run/postgresql', 'postgresql:///db?host=/var/run/postgresql', 'socket:/var/run/postgresql?db=db&user=postgres']) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it('takes any length for a duration that no timer waits (compared with clocks only)', () => {
    expect(loadConfig({ RECONCILE_IDLE_MS: '3000000000', STORE_RETRY_MS: '3000000000', ORDER_RATE_WINDOW_MS: '3000000000' })).toMatchObject({
      engine: { reconcileIdleMs: 3e9, storeRetryMs: 3e9 },
      security: { orderRateWindowMs: 3e9 },
    });
  });

  it('gives a request 10 s to arrive by default', () => {
    expect(loadConfig({}).security.httpRequestTimeoutMs).toBe(10_000);
  });
});
