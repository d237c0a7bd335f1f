// Accounts and their API keys in PostgreSQL. A key is checked on every request and every
// WebSocket operation: by its hash, in memory once it has been read, for as long as PostgreSQL can
// tell this process of every change to keys (principal-cache.ts), so that a revoked key fails on
// its first use after the revocation commits; otherwise in PostgreSQL.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Database } from '../infra/prisma.js';
import { GroupCommit } from '../engine/group-commit.js';
import { preparedStatement } from '../infra/sql.js';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';
import { PrincipalCache } from './principal-cache.js';

// Every key checked at the same moment, in one prepared statement.
const PRINCIPALS_BY_KEY_HASH = `
  SELECT k.key_hash AS "keyHash", k.id AS "apiKeyId", a.id AS "accountId", a.name AS "accountName"
  FROM api_keys k JOIN accounts a ON a.id = k.account_id
  WHERE k.key_hash = ANY($1::text[]) AND k.revoked_at IS NULL`;

/** Who is calling: the account that owns what they read and write, and the key they used. */
export interface Principal {
  accountId: string;
  accountName: string;
  apiKeyId: string;
}

export interface IssuedKey {
  /** the secret, shown once */
  key: string;
  keyId: string;
  prefix: string;
  accountId: string;
  accountName: string;
}

export class AccountStore {
  /** Lookups issued at the same moment (concurrent requests) share one query; each still reads after any revocation that committed before it began. */
  private readonly lookups: GroupCommit<string, Principal | null>;

  private readonly prisma: PrismaClient;
  private readonly cache: PrincipalCache;

  /** The lookup every request makes runs on Prisma's pool directly (infra/sql.ts). */
  constructor({ prisma, pool }: Database) {
    this.prisma = prisma;
    this.cache = new PrincipalCache(pool.options.connectionString!);
    const select = preparedStatement<Principal & { keyHash: string }>(pool, 'api-key-principals', PRINCIPALS_BY_KEY_HASH);
    this.lookups = new GroupCommit(async (hashes: string[]) => {
      const byHash = new Map((await select([hashes])).map(({ keyHash, ...principal }) => [keyHash, principal]));
      return hashes.map((hash) => byHash.get(hash) ?? null);
    });
  }

  /** The account named `name`, created if it does not exist yet. */
  async ensureAccount(name: string): Promise<{ id: string; name: string }> {
    return this.prisma.account.upsert({ where: { name }, create: { name }, update: {}, select: { id: true, name: true } });
  }

  /** A new key for the account `accountName` (created if needed). */
  async issueKey(accountName: string): Promise<IssuedKey> {
    const account = await this.ensureAccount(accountName);
    const { key, hash, prefix } = generateApiKey();
    const row = await this.prisma.apiKey.create({ data: { accountId: account.id, keyHash: hash, prefix }, select: { id: true } });
    return { key, keyId: row.id, prefix, accountId: account.id, accountName: account.name };
  }

  /** Revokes the key; false when no such key exists (or it was already revoked). */
  async revokeKey(key: string): Promise<boolean> {
    const hash = hashApiKey(key);
    const { count } = await this.prisma.apiKey.updateMany({ where: { keyHash: hash, revokedAt: null }, data: { revokedAt: new Date() } });
    // every process hears of it from PostgreSQL; this one need not wait for that
    this.cache.forget(hash);
    return count > 0;
  }

  /** True while checked keys are served from this process's cache (its PostgreSQL listener is live). */
  get servesCachedKeys(): boolean {
    return this.cache.live;
  }

  /** The principal of a valid, unrevoked key; null for anything else. */
  async authenticate(key: string): Promise<Principal | null> {
    // a value that cannot be a key costs no query
    if (!looksLikeApiKey(key)) return null;
    const hash = hashApiKey(key);
    const known = this.cache.get(hash);
    if (known) return known;
    const startedAt = this.cache.lookupStarted();
    const principal = await this.lookups.submit(hash);
    if (principal) this.cache.keep(hash, principal, startedAt);
    return principal;
  }

  /** Stops listening for key changes (the connection that principal-cache.ts opens on first use). */
  close(): Promise<void> {
    return this.cache.close();
  }
}
