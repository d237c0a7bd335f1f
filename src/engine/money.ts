// Conversions between human decimal strings ("1.5") and integer base units (1500000n at 6 decimals).
// Everything is string and bigint arithmetic: a float never touches an amount.

/** Largest amount we can store: amounts are persisted as signed 64-bit integers. */
export const I64_MAX = 2n ** 63n - 1n;

export type MoneyFormatReason = 'not_a_number' | 'too_many_decimals' | 'too_large';

/** A string that is not an exact, storable amount. `reason` says which rule it broke. */
export class MoneyFormatError extends Error {
  readonly reason: MoneyFormatReason;

  constructor(reason: MoneyFormatReason, message: string) {
    super(message);
    this.name = 'MoneyFormatError';
    this.reason = reason;
  }
}

// `\d` without the `u` flag matches ASCII 0-9 only, so no other digit scripts slip through.
const DECIMAL = /^\d+(\.\d+)?$/;
const INTEGER = /^\d+$/;

function assertDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0) {
    throw new RangeError(`decimals must be a non-negative integer, got ${decimals}`);
  }
}

/**
 * Parses a plain decimal string into base units: parseUnits("1.5", 6) === 1500000n.
 * Accepts only `digits[.digits]`: no sign, exponent, spaces, leading '.', or hex. Leading zeros
 * are fine. Rejects more fractional digits than `decimals` (even trailing zeros, so the caller
 * sees every digit it sent honoured) and anything above I64_MAX.
 */
export function parseUnits(value: string, decimals: number): bigint {
  assertDecimals(decimals);
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new MoneyFormatError('not_a_number', `not a plain decimal number: ${JSON.stringify(value)}`);
  }
  const [whole = '', fraction = ''] = value.split('.');
  if (fraction.length > decimals) {
    throw new MoneyFormatError(
      'too_many_decimals',
      `${value} has ${fraction.length} fractional digits; at most ${decimals} allowed`,
    );
  }
  const units = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (units > I64_MAX) {
    throw new MoneyFormatError('too_large', `${value} exceeds the largest storable amount`);
  }
  return units;
}

/**
 * Formats base units as the shortest exact decimal: formatUnits(1500000n, 6) === "1.5",
 * formatUnits(1000000n, 6) === "1", formatUnits(-1n, 9) === "-0.000000001".
 */
export function formatUnits(amount: bigint, decimals: number): string {
  assertDecimals(decimals);
  const sign = amount < 0n ? '-' : '';
  const magnitude = amount < 0n ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = (magnitude / scale).toString();
  const fraction = (magnitude % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/**
 * Parses a non-negative integer string of base units, as bigints are written in JSON snapshots.
 * Unlike parseUnits there is no i64 bound: pool reserves are in-memory state, never a stored amount.
 */
export function parseBaseUnits(value: unknown): bigint {
  if (typeof value !== 'string' || !INTEGER.test(value)) {
    throw new MoneyFormatError('not_a_number', `not a non-negative integer: ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

/**
 * How far `actual` falls short of `reference`, in basis points of `reference`, rounded up: a
 * price impact, which a limit compares with, must never read lower than it is. 0 when `actual`
 * reaches `reference` or `reference` is 0.
 */
export function shortfallBps(reference: bigint, actual: bigint): number {
  if (reference <= 0n || actual >= reference) return 0;
  return Number(((reference - actual) * 10_000n + reference - 1n) / reference);
}
