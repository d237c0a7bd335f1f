// API keys once checked are kept in the API process while PostgreSQL tells it of every change to
// them (src/accounts/principal-cache.ts). What must hold: a key revoked by anyone, by any means,
// is refused from then on, and while that channel is down nothing is served from memory.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/accounts/api-keys.js';
import type { Principal } from '../../src/accounts/account-store.js';
import { KEY_CHANGES_CHANNEL, PrincipalCache } from '../../src/accounts/principal-cache.js';
import { postGraphQL } from '../support/raw-graphql.js';
import { sqlOn } from '../support/sql.js';
import { startSystem, type TestSystem } from '../support/system.js';

const READ = '{ orders(first: 1) { edges { cursor } } }';
const databaseUrl = () => process.env.DATABASE_URL!;

/** A statement on a connection of its own, as an operator's psql session would run it. */
const sql = (text: string, values: unknown[] = []) => sqlOn(databaseUrl(), text, values);

// The caches and the API of this file connect under a name of their own, so that the listeners
// it breaks are its own: every API of the test files running alongside listens on the same
// database, and one of them losing its listener in the middle of a PostgreSQL outage it stages
// (test/faults/postgres-outage.test.ts) stops serving its key and fails.
const APPLICATION_NAME = `key-cache-test-${randomUUID().slice(0, 8)}`;
const ownDatabaseUrl = () => {
  const url = new URL(databaseUrl());
  url.searchParams.set('application_name', APPLICATION_NAME);
  return url.toString();
};

/** Ends the listening connections of this file's caches, as a failover or a network blip would. */
const dropOwnListeners = () =>
  sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1 AND application_name = $2 AND pid <> pg_backend_pid()`, [
    `LISTEN ${KEY_CHANGES_CHANNEL}`,
    APPLICATION_NAME,
  ]);

const principal: Principal = { accountId: 'a', accountName: 'n', apiKeyId: 'k' };

describe('the cache of checked keys', () => {
  const caches: PrincipalCache[] = [];
  afterAll(() => Promise.all(caches.map((cache) => cache.close())));

  /** A cache that has started listening. */
  async function liveCache(): Promise<PrincipalCache> {
    const cache = new PrincipalCache(ownDatabaseUrl());
    caches.push(cache);
    cache.get('start');
    await expect.poll(() => cache.live, { timeout: 10_000 }).toBe(true);
    return cache;
  }

  it('keeps a key until PostgreSQL announces a change to it', async () => {
    const cache = await liveCache();
    const hash = `h-${Date.now()}`;
    cache.keep(hash, principal, cache.lookupStarted());
    cache.keep('other', principal, cache.lookupStarted());
    expect(cache.get(hash)).toEqual(principal);

    await sql('SELECT pg_notify($1, $2)', [KEY_CHANGES_CHANNEL, hash]);
    await expect.poll(() => cache.get(hash), { timeout: 10_000 }).toBeUndefined();
    expect(cache.get('other')).toEqual(principal);
  });

  it('keeps nothing from a lookup that a change overtook', async () => {
    const cache = await liveCache();
    const startedAt = cache.lookupStarted();
    await sql('SELECT pg_notify($1, $2)', [KEY_CHANGES_CHANNEL, 'some-key']);
    await expect.poll(() => cache.lookupStarted(), { timeout: 10_000 }).not.toBe(startedAt);
    cache.keep('late', principal, startedAt);
    expect(cache.get('late')).toBeUndefined();
  });

  it('serves nothing while its connection is lost, and empties itself when it listens again', async () => {
    const cache = await liveCache();
    cache.keep('before', principal, cache.lookupStarted());
    await dropOwnListeners();
    await expect.poll(() => cache.live, { timeout: 10_000 }).toBe(false);
    expect(cache.get('before')).toBeUndefined();
    await expect.poll(() => cache.live, { timeout: 10_000 }).toBe(true);
    expect(cache.get('before')).toBeUndefined();
  });
});

describe('revocation with keys kept in the API', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ worker: false, databaseUrl: ownDatabaseUrl() });
  });
  afterAll(() => system.close());

  /** A fresh key the API has checked (and so keeps). */
  async function checkedKey(): Promise<string> {
    const { key } = await system.issueKey();
    expect((await postGraphQL(system.url, READ, { key })).status).toBe(200);
    expect((await postGraphQL(system.url, READ, { key })).status).toBe(200);
    return key;
  }

  it('refuses a key revoked in SQL by hand, behind the app', async () => {
    const key = await checkedKey();
    const { rowCount } = await sql('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashApiKey(key)]);
    expect(rowCount).toBe(1);
    await expect.poll(async () => (await postGraphQL(system.url, READ, { key })).status, { timeout: 10_000 }).toBe(401);
  });

  it('refuses a key deleted outright', async () => {
    const key = await checkedKey();
    await sql('DELETE FROM api_keys WHERE key_hash = $1', [hashApiKey(key)]);
    await expect.poll(async () => (await postGraphQL(system.url, READ, { key })).status, { timeout: 10_000 }).toBe(401);
  });

  it('refuses a revoked key even when the API lost its listening connection just before', async () => {
    const key = await checkedKey();
    expect((await dropOwnListeners()).rowCount).toBe(1);
    await sql('UPDATE api_keys SET revoked_at = now() WHERE key_hash = $1', [hashApiKey(key)]);
    await expect.poll(async () => (await postGraphQL(system.url, READ, { key })).status, { timeout: 10_000 }).toBe(401);
  });
});
