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
    expect(() => loadConfig({ DATABASE_URL: 'garbage' })).toThrow(/^DATABASE_URL must be a URL starting postgresql:\/\/ or postgres:\/\/, got something else$/);
    expect(() => loadConfig({ REDIS_URL: 'garbage' })).toThrow(/^REDIS_URL must be a URL starting redis:\/\/ or rediss:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'http://secret@localhost:6379' })).toThrow(/^REDIS_URL must be/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/x', REDIS_URL: 'rediss://cache:6380' })).toMatchObject({ databaseUrl: 'postgres://u:p@db:5432/x', redisUrl: 'rediss://cache:6380' });
  });

  it('gives a request 10 s to arrive by default', () => {
    expect(loadConfig({}).security.httpRequestTimeoutMs).toBe(10_000);
  });
});
