// Invalid orders are refused with a ValidationError that names each wrong field, and leave no
// trace: no row in PostgreSQL, no job in the queue.
//
// The database is shared by every test file running at once, so "nothing stored" is checked by
// counting the orders of the test system's own account rather than the whole table. The systems here run
// no worker, so a job enqueued by mistake would still be sitting in the queue to be counted.
import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseUnits } from '../../src/engine/money.js';
import { tokenBySymbol } from '../../src/engine/tokens.js';
import type { ExecuteMarketOrderInput, ExecuteMarketOrderMutationVariables } from '../gql/graphql.js';
import { httpRequest } from '../support/clients.js';
import { ExecuteMarketOrder } from '../support/operations.js';
import { executeMarketOrder, systemForThisTest, type SystemUnderTest } from '../support/orders.js';

const VALID: ExecuteMarketOrderInput = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5' };
const SOL_MINT = 'So11111111111111111111111111111111111111112';

interface InvalidCase {
  case: string;
  input: Partial<ExecuteMarketOrderInput>;
  field: keyof ExecuteMarketOrderInput;
  message: RegExp;
}

const NOT_A_DECIMAL = /^must be a positive decimal number such as "1\.5"/;

const INVALID: InvalidCase[] = [
  { case: 'an unknown token symbol', input: { tokenIn: 'DOGE' }, field: 'tokenIn', message: /^unknown token "DOGE"; known tokens: SOL, USDC/ },
  { case: 'an unknown mint address', input: { tokenOut: '11111111111111111111111111111111' }, field: 'tokenOut', message: /^unknown token/ },
  { case: 'the same token in and out', input: { tokenOut: 'SOL' }, field: 'tokenOut', message: /^must differ from tokenIn$/ },
  { case: 'the same token as symbol and as mint', input: { tokenOut: SOL_MINT }, field: 'tokenOut', message: /^must differ from tokenIn$/ },
  { case: 'an empty tokenIn', input: { tokenIn: '' }, field: 'tokenIn', message: /^is required$/ },
  { case: 'a blank tokenOut', input: { tokenOut: '   ' }, field: 'tokenOut', message: /^is required$/ },
  { case: 'amount "0"', input: { amountIn: '0' }, field: 'amountIn', message: /^must be greater than 0$/ },
  { case: 'amount "0.000"', input: { amountIn: '0.000' }, field: 'amountIn', message: /^must be greater than 0$/ },
  // a sign, an exponent, a point without digits on both sides, spaces, other digit scripts
  ...['-1', 'abc', '1e5', 'NaN', 'Infinity', '', ' 1.5', '1,5', '.5', '0x10', '+1', '-0', '1e3', '1.', '0.', '1.5 ', '1.5\n', '\u0661', '\uff11', '1_000'].map(
    (amountIn): InvalidCase => ({ case: `amount ${JSON.stringify(amountIn)}`, input: { amountIn }, field: 'amountIn', message: NOT_A_DECIMAL }),
  ),
  {
    case: 'more decimals than the token has (USDC "1.0000001")',
    input: { tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '1.0000001' },
    field: 'amountIn',
    message: /^USDC has 6 decimals: at most 6 digits after the point$/,
  },
  { case: 'an amount too large to store', input: { amountIn: '10000000000' }, field: 'amountIn', message: /^is larger than the largest amount that can be traded, 9223372036\.854775807 SOL$/ },
  { case: 'one base unit above the largest amount', input: { amountIn: '9223372036.854775808' }, field: 'amountIn', message: /^is larger than the largest amount that can be traded/ },
  { case: 'an amount beyond u64 base units', input: { amountIn: '18446744073.709551616' }, field: 'amountIn', message: /^is larger than the largest amount that can be traded/ },
  {
    case: 'an amount that would round to 0 base units (SOL "0.0000000001")',
    input: { amountIn: '0.0000000001' },
    field: 'amountIn',
    message: /^SOL has 9 decimals: at most 9 digits after the point$/,
  },
  { case: 'amount ".5" (no digit before the point)', input: { amountIn: '.5' }, field: 'amountIn', message: /digits before the point/ },
  { case: 'slippageBps -1', input: { slippageBps: -1 }, field: 'slippageBps', message: /^must be an integer from 0 to 5000 basis points$/ },
  { case: 'slippageBps 10001', input: { slippageBps: 10_001 }, field: 'slippageBps', message: /^must be an integer from 0 to 5000 basis points$/ },
  { case: 'maxPriceImpactBps 0', input: { maxPriceImpactBps: 0 }, field: 'maxPriceImpactBps', message: /^must be an integer from 1 to 10000 basis points, or left out for no limit$/ },
  { case: 'maxPriceImpactBps 10001', input: { maxPriceImpactBps: 10_001 }, field: 'maxPriceImpactBps', message: /^must be an integer from 1 to 10000 basis points, or left out for no limit$/ },
  { case: 'an empty clientOrderId', input: { clientOrderId: '' }, field: 'clientOrderId', message: /^must be 1 to 128 characters$/ },
  { case: 'a clientOrderId of 129 characters', input: { clientOrderId: 'k'.repeat(129) }, field: 'clientOrderId', message: /^must be 1 to 128 characters$/ },
  ...['bad\u0000id', 'two\nlines', 'a\ttab', 'del\u007f'].map(
    (clientOrderId): InvalidCase => ({ case: `clientOrderId ${JSON.stringify(clientOrderId)}`, input: { clientOrderId }, field: 'clientOrderId', message: /^must not contain control characters/ }),
  ),
  // each would be stored as U+FFFD, one key for all: a second order answered with the first
  ...['\ud800', 'key-\udfff', '\udbff-key'].map(
    (clientOrderId): InvalidCase => ({ case: `clientOrderId ${JSON.stringify(clientOrderId)}`, input: { clientOrderId }, field: 'clientOrderId', message: /^must be well-formed Unicode/ }),
  ),
];

/** Variables as an untyped client might send them: the schema, not TypeScript, must refuse them. */
const untyped = (variables: unknown) => variables as ExecuteMarketOrderMutationVariables;

/** Every job in the system's queue, whatever its state. */
async function jobsIn(system: SystemUnderTest): Promise<number> {
  const counts = await system.runtime.queue.getJobCounts();
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** The orders of the system's own account (a key with a NUL in it could not even be looked up). */
async function ordersOfAccount(system: SystemUnderTest): Promise<number> {
  return system.runtime.prisma.order.count({ where: { accountId: system.accountId } });
}

describe('executeMarketOrder input validation', () => {
  it('stores and queues the valid input that the cases below start from (so their checks can see a leak)', async () => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = randomUUID();

    const result = await executeMarketOrder(system.url, { ...VALID, clientOrderId });

    expect(result.__typename).toBe('ExecuteMarketOrderSuccess');
    expect(await ordersOfAccount(system)).toBe(1);
    expect(await jobsIn(system)).toBe(1);
  });

  it.each(INVALID)('refuses $case with a ValidationError on input.$field, storing and queueing nothing', async ({ input, field, message }) => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = input.clientOrderId ?? randomUUID();

    const result = await executeMarketOrder(system.url, { ...VALID, clientOrderId, ...input });

    expect(result).toEqual({
      __typename: 'ValidationError',
      message: expect.stringContaining(`input.${field}: `),
      fieldErrors: [{ path: ['input', field], message: expect.stringMatching(message) }],
    });
    expect(await ordersOfAccount(system)).toBe(0);
    expect(await jobsIn(system)).toBe(0);
  });

  it.each([
    ['00.1', 'SOL', '0.1'],
    ['1.500000000', 'SOL', '1.5'],
    ['0.000000001', 'SOL', '0.000000001'],
    ['9223372036.854775807', 'SOL', '9223372036.854775807'],
    ['0.00001', 'BONK', '0.00001'],
  ])('accepts amount %j of %s and gives it back exactly as %j', async (amountIn, tokenIn, written) => {
    const system = await systemForThisTest({ worker: false });

    const result = await executeMarketOrder(system.url, { ...VALID, tokenIn, tokenOut: 'USDC', amountIn, clientOrderId: randomUUID() });

    expect(result.__typename === 'ExecuteMarketOrderSuccess' && result.order.amountIn).toBe(written);
    const stored = await system.runtime.prisma.order.findFirstOrThrow({ where: { accountId: system.accountId } });
    expect(stored.amountIn).toBe(parseUnits(written, tokenBySymbol(tokenIn).decimals));
  });

  it('lists every wrong field at once', async () => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = randomUUID();

    const result = await executeMarketOrder(system.url, { tokenIn: 'DOGE', tokenOut: '', amountIn: '1e5', slippageBps: 10_001, clientOrderId });

    expect(result.__typename).toBe('ValidationError');
    if (result.__typename !== 'ValidationError') return;
    expect(result.fieldErrors.map((e) => e.path.join('.')).sort()).toEqual(['input.amountIn', 'input.slippageBps', 'input.tokenIn', 'input.tokenOut']);
    expect(await ordersOfAccount(system)).toBe(0);
    expect(await jobsIn(system)).toBe(0);
  });

  it('judges only the format of an amount whose tokenIn is unknown: its decimals and its limit are the token\'s', async () => {
    const system = await systemForThisTest({ worker: false });

    for (const [tokenIn, amountIn] of [['DOGE', '10'], ['DOGE', '10000000000.123456789012345'], ['', '3000000000000']]) {
      const result = await executeMarketOrder(system.url, { tokenIn: tokenIn!, tokenOut: 'SOL', amountIn: amountIn!, clientOrderId: randomUUID() });

      expect(result.__typename).toBe('ValidationError');
      if (result.__typename !== 'ValidationError') return;
      expect(result.fieldErrors.map((e) => e.path.join('.'))).toEqual(['input.tokenIn']);
    }
    const badFormat = await executeMarketOrder(system.url, { tokenIn: 'DOGE', tokenOut: 'SOL', amountIn: '1e5', clientOrderId: randomUUID() });
    expect(badFormat.__typename === 'ValidationError' && badFormat.fieldErrors.map((e) => e.path.join('.'))).toEqual(['input.tokenIn', 'input.amountIn']);
    expect(await ordersOfAccount(system)).toBe(0);
  });

  it('counts a clientOrderId in characters, not UTF-16 units: 128 emoji are a valid key, 129 are not', async () => {
    const system = await systemForThisTest({ worker: false });

    const accepted = await executeMarketOrder(system.url, { ...VALID, clientOrderId: `${randomUUID().slice(0, 8)}${'🚀'.repeat(120)}` });
    const refused = await executeMarketOrder(system.url, { ...VALID, clientOrderId: `${randomUUID().slice(0, 8)}${'🚀'.repeat(121)}` });

    expect(accepted.__typename).toBe('ExecuteMarketOrderSuccess');
    expect(refused.__typename === 'ValidationError' && refused.fieldErrors).toEqual([{ path: ['input', 'clientOrderId'], message: 'must be 1 to 128 characters' }]);
  });

  it('refuses an input without tokenIn while coercing variables, before anything runs', async () => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = randomUUID();
    const { tokenIn: _absent, ...withoutTokenIn } = VALID;

    const result = await httpRequest(system.url, ExecuteMarketOrder, untyped({ input: { ...withoutTokenIn, clientOrderId } }));

    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(/Field "tokenIn" of required type "String!" was not provided/);
    expect(await ordersOfAccount(system)).toBe(0);
    expect(await jobsIn(system)).toBe(0);
  });

  it('refuses a JSON number for amountIn: a Decimal must be a string', async () => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = randomUUID();

    const result = await httpRequest(system.url, ExecuteMarketOrder, untyped({ input: { ...VALID, amountIn: 1.5, clientOrderId } }));

    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(/"input\.amountIn".*Decimal must be a string such as "1\.5"/);
    expect(await ordersOfAccount(system)).toBe(0);
    expect(await jobsIn(system)).toBe(0);
  });

  it('refuses a number literal for amountIn written in the query itself', async () => {
    const system = await systemForThisTest({ worker: false });
    const clientOrderId = randomUUID();
    const document: TypedDocumentNode<unknown, Record<string, never>> = parse(
      `mutation { executeMarketOrder(input: { tokenIn: "SOL", tokenOut: "USDC", amountIn: 1.5, clientOrderId: "${clientOrderId}" }) { __typename } }`,
    );

    const result = await httpRequest(system.url, document);

    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.message).toMatch(/Decimal must be a string such as "1\.5" \(write it in quotes in the query: a number is not a Decimal\)/);
    expect(await ordersOfAccount(system)).toBe(0);
    expect(await jobsIn(system)).toBe(0);
  });
});
