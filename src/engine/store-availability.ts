// Telling "PostgreSQL is unreachable right now" apart from every other database error, and
// riding such an outage out instead of failing the order.
import { abortableSleep } from './abortable-sleep.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH',
  // PostgreSQL: connection exceptions (08xxx) and the server shutting down (57P0x)
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03',
  // Prisma: database not reachable / connection closed
  'P1001', 'P1002', 'P1017',
]);
const CONNECTION_MESSAGE = /connection terminated|Query read timeout|ECONNREFUSED|ECONNRESET|timeout exceeded when trying to connect|connection error|Can't reach database server|server closed the connection|DatabaseNotReachable|ConnectionClosed/i;

/** True when the error (or one it wraps) says the database could not be reached. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; cause?: unknown; kind?: unknown };
    if (typeof candidate.code === 'string' && CONNECTION_CODES.has(candidate.code)) return true;
    if (typeof candidate.kind === 'string' && CONNECTION_MESSAGE.test(candidate.kind)) return true;
    if (typeof candidate.message === 'string' && CONNECTION_MESSAGE.test(candidate.message)) return true;
    e = candidate.cause;
  }
  return false;
}

/**
 * True when PostgreSQL refused a value (SQLSTATE class 22, data exception: a NUL in a text, a
 * number out of range): the fault of the row, not of the store, so its batch's other rows may be
 * written without it.
 */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * The connection to PostgreSQL was lost with a write on its way: it may have committed or not.
 * Still "unavailable" to isStoreUnavailable (it wraps the connection error), but never to be
 * reported as "nothing was stored".
 */
export class WriteOutcomeUnknownError extends Error {
  override name = 'WriteOutcomeUnknownError';
  constructor(cause: unknown) {
    super('the connection to PostgreSQL was lost with a write on its way; it may or may not have committed', { cause });
  }
}

export interface RetryWhileUnavailableOptions {
  /** give up (rethrow) after this long; default 60000 ms */
  maxMs?: number;
  /** first pause, doubled up to 2 s; default 100 ms */
  baseMs?: number;
  onRetry?: (error: unknown, attempt: number) => void;
  /** stops the retries (its reason is thrown) as soon as it is aborted: a worker handing its orders back */
  signal?: AbortSignal;
}

/**
 * Runs `write` until it succeeds, retrying only while the store is unreachable. Safe for the
 * engine's writes because each is one conditional statement: a retry after a commit whose answer
 * was lost changes nothing and the caller reloads the order.
 */
export async function retryWhileUnavailable<T>(write: () => Promise<T>, options: RetryWhileUnavailableOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.maxMs ?? 60_000);
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isStoreUnavailable(error) || Date.now() >= deadline) throw error;
      options.signal?.throwIfAborted();
      options.onRetry?.(error, attempt);
      // one abort listener per signal however many orders wait (abortable-sleep.ts)
      await abortableSleep(Math.min(2_000, (options.baseMs ?? 100) * 2 ** (attempt - 1)), options.signal);
    }
  }
}
