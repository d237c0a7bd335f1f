// A live pool is a Redis hash of the fields its model names, and a swap's commit writes only the
// fields it changed: these check that the fields carry the whole state, and that a stored pool
// patched with a swap's changes is exactly the state after the swap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POOL_MODELS, type PoolFields, type PoolModel } from '../../src/engine/venues/pool-models.js';
import { I64_MAX } from '../../src/engine/money.js';
import { PAIRS, pairId } from '../../src/engine/venues/pools.js';

const runs = { seed: 4_127, numRuns: 100 };

/** `share` ten-thousandths of the order of magnitude of the pool's largest reserve: up to several DLMM bins. */
function sizedInput(fields: PoolFields, share: number): bigint {
  const digits = Math.max(...Object.values(fields).flatMap((value) => value.split(':').map((part) => part.length)));
  return 10n ** BigInt(Math.max(digits - 4, 0)) * BigInt(share);
}

const swaps = fc.array(fc.record({ aToB: fc.boolean(), share: fc.integer({ min: 1, max: 2_000 }) }), { minLength: 1, maxLength: 12 });

for (const model of Object.values(POOL_MODELS) as PoolModel[]) {
  describe(`${model.dex} pool fields`, () => {
    it('round-trip every state a run of swaps reaches, and a stored pool patched with each swap’s changes is the state after it', () => {
      fc.assert(
        fc.property(fc.constantFrom(...PAIRS), fc.integer({ min: -30, max: 30 }), swaps, (pair, skew, trades) => {
          let state = model.seed(pair, skew);
          const stored: PoolFields = { ...model.toFields(state) };
          expect(model.fromFields(stored)).toEqual(state);
          for (const { aToB, share } of trades) {
            const outcome = model.swap(state, aToB, sizedInput(model.toFields(state), share));
            if (outcome.amountOut === 0n) continue;
            const { changes } = outcome;
            Object.assign(stored, changes);
            expect(stored).toEqual(model.toFields(outcome.next));
            expect(model.fromFields(stored)).toEqual(outcome.next);
            state = outcome.next;
          }
        }),
        runs,
      );
    });
  });
}

describe('METEORA changed fields', () => {
  const model = POOL_MODELS.METEORA;
  const pair = PAIRS.find((p) => pairId(p) === 'SOL-USDC')!;

  it('name the active bin and the bins a swap crossed, not the pool’s other bins', () => {
    const state = model.seed(pair, 0);
    const all = Object.keys(model.toFields(state));
    expect(all.length).toBeGreaterThan(100);
    const small = model.swap(state, true, 10n ** 9n);
    expect(Object.keys(small.changes)).toHaveLength(1); // one bin, still active
    const large = model.swap(state, true, 10n ** 15n);
    const changed = Object.keys(large.changes);
    expect(changed).toContain('activeId');
    expect(changed.length).toBeGreaterThan(2);
    expect(changed.length).toBeLessThan(all.length / 2);
    for (const name of changed) expect(model.toFields(large.next)[name]).not.toBe(model.toFields(state)[name]);
  });

  it.each([
    ['a bin without both reserves', { '0': '5' }],
    ['a bin with a third part', { '0': '5:6:7' }],
    ['a negative reserve', { '0': '-5:6' }],
    ['a non-canonical bin id', { '01': '5:6' }],
    ['a setting that is not an integer', { activeId: '1.5' }],
    ['a missing setting', { binStep: undefined }],
  ])('refuse %s', (_, patch) => {
    const fields: Record<string, string | undefined> = { ...model.toFields(model.seed(pair, 0)), ...patch };
    for (const [name, value] of Object.entries(fields)) if (value === undefined) delete fields[name];
    expect(() => model.fromFields(fields as PoolFields)).toThrow();
  });
});

describe('RAYDIUM fields', () => {
  it.each([['feeBps', '25.0'], ['reserveA', '-1'], ['reserveB', 'x']])('refuse %s = %s', (name, value) => {
    const model = POOL_MODELS.RAYDIUM;
    const fields = { ...model.toFields(model.seed(PAIRS[0]!, 0)), [name]: value };
    expect(() => model.fromFields(fields)).toThrow();
  });
});

// A pool pushed far out of range (two sales of the largest amount into one) holds more of a token
// than any order can store; a swap that would pay out more than that fills nothing, so no order
// is ever quoted, or executes, an amount PostgreSQL's bigint refuses (the order would be stuck).
describe('a swap paying out more than an order can store', () => {
  const [pair] = PAIRS; // SOL/USDC: A is SOL (9 decimals), B is USDC (6)

  it('fills nothing on RAYDIUM, and fills an output up to the largest amount', () => {
    const model = POOL_MODELS.RAYDIUM;
    const state = { reserveA: 3n * I64_MAX, reserveB: 1_000_000n, feeBps: 25 };
    const outcome = model.swap(state, false, 10n ** 9n);
    expect(outcome).toMatchObject({ amountIn: 0n, amountOut: 0n, fee: 0n, priceImpactBps: 0, changes: {} });
    expect(outcome.next).toBe(state);
    const largest = model.swap({ ...state, reserveA: I64_MAX }, false, 10n ** 9n);
    expect(largest.amountIn).toBe(10n ** 9n);
    expect(largest.amountOut > 0n && largest.amountOut <= I64_MAX).toBe(true);
  });

  it('fills nothing on METEORA when the bins it crosses pay out more', () => {
    const model = POOL_MODELS.METEORA;
    const seeded = model.seed(pair!, 0) as { activeId: number; bins: Record<string, { x: bigint; y: bigint }> };
    const above = String(seeded.activeId + 1);
    const state = { ...seeded, bins: { ...seeded.bins, [above]: { x: 3n * I64_MAX, y: 0n } } };
    // 2·10^12 USDC buys the active bin's SOL and then more than I64_MAX lamports of the next bin's
    const outcome = model.swap(state, false, 2n * 10n ** 18n);
    expect(outcome).toMatchObject({ amountIn: 0n, amountOut: 0n, fee: 0n, priceImpactBps: 0, changes: {} });
    // a thousandth of it stays below the largest amount and fills
    const smaller = model.swap(state, false, 2n * 10n ** 15n);
    expect(smaller.amountIn).toBe(2n * 10n ** 15n);
    expect(smaller.amountOut > 0n && smaller.amountOut <= I64_MAX).toBe(true);
  });
});
