// The least output a swap may deliver before it must fail instead of filling at a worse price.

export const BPS_DENOMINATOR = 10_000;

/**
 * floor(expected × (10000 − slippageBps) / 10000). Rounding down only ever loosens the bound by
 * less than one base unit, so a quote that exactly matches `expected` always passes.
 * Throws RangeError unless slippageBps is an integer in [0, 10000] and expected is non-negative.
 */
export function minAmountOut(expected: bigint, slippageBps: number): bigint {
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > BPS_DENOMINATOR) {
    throw new RangeError(`slippageBps must be an integer in [0, ${BPS_DENOMINATOR}], got ${slippageBps}`);
  }
  // bigint division truncates toward zero, which is floor only for non-negative numerators.
  if (expected < 0n) {
    throw new RangeError(`expected output must be non-negative, got ${expected}`);
  }
  return (expected * BigInt(BPS_DENOMINATOR - slippageBps)) / BigInt(BPS_DENOMINATOR);
}
