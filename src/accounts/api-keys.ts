// API keys: what one looks like, how it is made, and the only form in which it is stored.
import { createHash, randomBytes } from 'node:crypto';
import bs58 from 'bs58';

/** Every key starts with this, so a key pasted in the wrong place (a log, a repo) is recognizable. */
export const API_KEY_PREFIX = 'dex_';
/** 32 random bytes: 256 bits, far beyond guessing, which is why a plain SHA-256 is enough to store. */
const KEY_BYTES = 32;
/** Characters of the key kept in clear (prefix included), to tell keys apart in listings. */
const DISPLAY_CHARS = 12;
/** base58 of 32 bytes is 43 or 44 characters, rarely fewer (leading zero bits); anything far off is not a key and is refused unread. */
const KEY_SHAPE = /^dex_[1-9A-HJ-NP-Za-km-z]{40,50}$/;

export interface NewApiKey {
  /** the secret itself: shown to its owner once, never stored */
  key: string;
  /** hex SHA-256 of the key, what the database keeps */
  hash: string;
  /** the first characters of the key */
  prefix: string;
}

export function generateApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + bs58.encode(randomBytes(KEY_BYTES));
  return { key, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_CHARS) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** True when `key` has the shape of a key this service issues (says nothing of its validity). */
export function looksLikeApiKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}

/**
 * The key of an `Authorization` value: "Bearer <key>" (the scheme is case-insensitive, as HTTP
 * says), or the bare key, which graphql-ws clients often send. Undefined when there is none.
 */
export function keyFromAuthorization(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(?:bearer\s+)?(\S+)\s*$/i.exec(value);
  return match?.[1];
}
