// Thousands of malformed operations and variables: every answer is a well-formed GraphQL error or
// a typed error, the server stays up, and nothing is written.
import fc from 'fast-check';
import { print } from 'graphql';
import { expect, it } from 'vitest';
import { authHeaders } from '../support/clients.js';
import { ExecuteMarketOrder } from '../support/operations.js';
import { systemForThisTest, type SystemUnderTest } from '../support/orders.js';

const MUTATION = print(ExecuteMarketOrder);
// 403: CSRF prevention refuses a browser-simple request without a preflight-forcing header
const ACCEPTABLE_STATUS = new Set([200, 400, 401, 403, 405, 406, 413, 415, 429]);

interface Answer {
  status: number;
  body: unknown;
}

async function send(system: SystemUnderTest, init: { method?: string; body?: string; contentType?: string; search?: string }): Promise<Answer> {
  const response = await fetch(`${system.url}${init.search ?? ''}`, {
    method: init.method ?? 'POST',
    headers: { accept: 'application/graphql-response+json, application/json', 'content-type': init.contentType ?? 'application/json', ...authHeaders(system.url) },
    body: init.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // checked below: only a 413 may answer with something other than JSON
  }
  return { status: response.status, body };
}

/** A GraphQL error response, or data whose mutation result is a typed error, never an accepted order. */
function expectWellFormed(answer: Answer, request: unknown) {
  const context = JSON.stringify(request).slice(0, 300);
  expect(ACCEPTABLE_STATUS.has(answer.status), `status ${answer.status} for ${context}`).toBe(true);
  if (answer.status === 413 && typeof answer.body === 'string') return;
  expect(typeof answer.body, `non-JSON answer for ${context}`).toBe('object');
  const body = answer.body as { errors?: unknown; data?: { executeMarketOrder?: { __typename?: string } } | null };
  if (body.errors !== undefined) {
    expect(Array.isArray(body.errors), context).toBe(true);
    for (const error of body.errors as { message?: unknown; locations?: unknown }[]) {
      expect(typeof error.message, context).toBe('string');
      // masking: no stack trace or SQL reaches a client
      expect(error.message, context).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT |INSERT |prisma/i);
    }
  } else {
    expect(body.data, context).toBeTruthy();
  }
  const result = body.data?.executeMarketOrder;
  if (result) expect(result.__typename, context).not.toBe('ExecuteMarketOrderSuccess');
}

/** Values of every JSON kind, and the strings that trip parsers. */
const hostileValue = fc.oneof(
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '-0', '0x10', '1_000', ' 1', '1.', '.5', '１', '٣', '1e-7', '99999999999999999999999999999'),
  fc.constantFrom(Number.MAX_VALUE, -1, 0, 1e308, Number.MIN_VALUE, 2 ** 53 + 1),
  fc.string({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** An input that breaks at least one rule: an unknown token pair is always among its faults. */
const hostileInput = fc.record(
  {
    tokenIn: fc.oneof(hostileValue, fc.constant('NOT_A_TOKEN')),
    tokenOut: hostileValue,
    amountIn: hostileValue,
    slippageBps: fc.oneof(hostileValue, fc.integer()),
    clientOrderId: fc.oneof(hostileValue, fc.string({ minLength: 129, maxLength: 300 })),
    unknownField: hostileValue,
  },
  { requiredKeys: ['tokenIn'] },
);

/** Documents that are broken, unknown, too deep or too wide. */
const hostileDocument = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', 'mutation', 'subscription { orderStatus }', '{ __schema { types { name } } }', 'query { order(id: 1) { nope } }', 'mutation { executeMarketOrder(input: {}) { __typename } }'),
  fc.integer({ min: 1, max: 300 }).map((depth) => `{ ${'order(id: "x") { id routingDecisions { quotes { dex } } } '.repeat(1)}${'a { '.repeat(depth)}b${' }'.repeat(depth)} }`),
  fc.integer({ min: 1, max: 2000 }).map((n) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  fc.string({ maxLength: 60 }).map((junk) => MUTATION.replace('executeMarketOrder', junk)),
);

it('answers thousands of hostile requests with well-formed errors, stays up, and stores nothing', async () => {
  const system = await systemForThisTest({ worker: false });
  let requests = 0;

  await fc.assert(
    fc.asyncProperty(hostileInput, async (input) => {
      requests++;
      const body = { query: MUTATION, variables: { input } };
      expectWellFormed(await send(system, { body: JSON.stringify(body) }), body);
    }),
    { numRuns: 1500, seed: 1122 },
  );

  await fc.assert(
    fc.asyncProperty(hostileDocument, fc.option(fc.jsonValue({ maxDepth: 2 })), async (query, variables) => {
      requests++;
      const body = { query, variables };
      expectWellFormed(await send(system, { body: JSON.stringify(body) }), body);
    }),
    { numRuns: 1000, seed: 2211 },
  );

  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 300 }), fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'), async (raw, contentType) => {
      requests++;
      expectWellFormed(await send(system, { body: raw, contentType }), { raw, contentType });
    }),
    { numRuns: 400, seed: 3311 },
  );

  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (query) => {
      requests++;
      expectWellFormed(await send(system, { method: 'GET', search: `?query=${encodeURIComponent(query)}` }), { get: query });
    }),
    { numRuns: 200, seed: 4411 },
  );

  // a few 10 MB bodies: as the amount, as a token, as the whole query
  const huge = 'x'.repeat(10 * 1024 * 1024);
  for (const body of [
    { query: MUTATION, variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: huge } } },
    { query: MUTATION, variables: { input: { tokenIn: huge, tokenOut: 'USDC', amountIn: '1' } } },
    { query: `{ ${huge} }` },
  ]) {
    requests++;
    expectWellFormed(await send(system, { body: JSON.stringify(body) }), { huge: Object.keys(body) });
  }

  console.info(`[hostile input] ${requests} requests, every answer well-formed`);
  const health = await fetch(system.url.replace('/graphql', '/health'));
  expect(health.status).toBe(200);
  expect(await system.runtime.prisma.order.count({ where: { accountId: system.accountId } })).toBe(0);
  expect(await system.runtime.queue.count()).toBe(0);
});
