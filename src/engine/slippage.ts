// The least output a swap may deliver before it must fail instead of filling at a worse price.

export const BPS_DENOMINATOR = 10_000;

/**
 * ceil(expected × (10000 − slippageBps) / 10000): rounded up, so that no output the guard lets
 * through falls more than slippageBps below `expected`. Rounded down, it was looser than asked by
 * up to one base unit, which on a small output is all of it: an expected 1 at 50 bps gave a
 * minimum of 0, and a swap that paid nothing was confirmed. It never exceeds `expected` (an integer
 * at or above the exact bound), so a quote that exactly matches `expected` always passes.
 * Throws RangeError unless slippageBps is an integer in [0, 10000] and expected is non-negative.
 */
export function minAmountOut(expected: bigint, slippageBps: number): bigint {
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > BPS_DENOMINATOR) {
    throw new RangeError(`slippageBps must be an integer in [0, ${BPS_DENOMINATOR}], got ${slippageBps}`);
  }
  // bigint division truncates toward zero: the ceiling below holds for non-negative numerators only.
  if (expected < 0n) {
    throw new RangeError(`expected output must be non-negative, got ${expected}`);
  }
  const denominator = BigInt(BPS_DENOMINATOR);
  return (expected * BigInt(BPS_DENOMINATOR - slippageBps) + denominator - 1n) / denominator;
}
