import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import bs58 from 'bs58';
import { generateApiKey, hashApiKey, keyFromAuthorization, looksLikeApiKey } from '../../src/accounts/api-keys.js';

describe('API keys', () => {
  it('are "dex_" and base58 of 32 random bytes, different every time, with a 12-character display prefix', () => {
    const keys = Array.from({ length: 50 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(50);
    for (const { key, hash, prefix } of keys) {
      // base58 of 32 bytes is 43 or 44 characters, and 42 for about 1 key in 200,000 (leading zero
      // bits, seen once in this test): decoded, every key is 32 bytes
      expect(key).toMatch(/^dex_[1-9A-HJ-NP-Za-km-z]+$/);
      expect(bs58.decode(key.slice('dex_'.length))).toHaveLength(32);
      expect(looksLikeApiKey(key)).toBe(true);
      expect(prefix).toBe(key.slice(0, 12));
      expect(hash).toBe(createHash('sha256').update(key).digest('hex'));
    }
  });

  it('are stored as the hex SHA-256 of the whole key', () => {
    expect(hashApiKey('dex_abc')).toBe('02944737f9d039203fdee49529e149b1da9308f70a8bdba078e827ee8d053091');
    expect(hashApiKey('dex_abc')).not.toBe(hashApiKey('dex_abd'));
  });

  it('are read from "Bearer <key>" in any case of the scheme, or bare; anything else is no key', () => {
    expect(keyFromAuthorization('Bearer dex_x')).toBe('dex_x');
    expect(keyFromAuthorization('bearer   dex_x ')).toBe('dex_x');
    expect(keyFromAuthorization('dex_x')).toBe('dex_x');
    expect(keyFromAuthorization('Basic abc def')).toBeUndefined();
    expect(keyFromAuthorization('')).toBeUndefined();
    expect(keyFromAuthorization(undefined)).toBeUndefined();
    expect(keyFromAuthorization({ key: 'dex_x' })).toBeUndefined();
  });

  it('refuse values of the wrong shape without a database lookup', () => {
    expect(looksLikeApiKey('dex_short')).toBe(false);
    expect(looksLikeApiKey(`dex_${'0'.repeat(44)}`)).toBe(false); // 0 is not base58
    expect(looksLikeApiKey(`key_${'1'.repeat(44)}`)).toBe(false);
  });
});
