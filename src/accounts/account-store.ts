// Accounts and their API keys in PostgreSQL. A key is looked up by its hash on every request and
// every WebSocket subscribe, with no cache, so a revoked key fails on its very next use.
import type { PrismaClient } from '../generated/prisma/client.js';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';

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
  constructor(private readonly prisma: PrismaClient) {}

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
    const { count } = await this.prisma.apiKey.updateMany({ where: { keyHash: hashApiKey(key), revokedAt: null }, data: { revokedAt: new Date() } });
    return count > 0;
  }

  /** The principal of a valid, unrevoked key; null for anything else. */
  async authenticate(key: string): Promise<Principal | null> {
    // a value that cannot be a key costs no query
    if (!looksLikeApiKey(key)) return null;
    // one round trip (Prisma's nested select would take two): this runs on every request
    const [row] = await this.prisma.$queryRaw<Principal[]>`
      SELECT k.id AS "apiKeyId", a.id AS "accountId", a.name AS "accountName"
      FROM api_keys k JOIN accounts a ON a.id = k.account_id
      WHERE k.key_hash = ${hashApiKey(key)} AND k.revoked_at IS NULL`;
    return row ?? null;
  }
}
