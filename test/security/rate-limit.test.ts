// The rate limit on executeMarketOrder is per API key and holds across API processes: its state is
// in Redis, so a burst spread over two separate OS processes still gets exactly `limit` orders in.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL } from '../support/raw-graphql.js';
import { spawnApi, type SpawnedRole } from '../support/spawned.js';
import { startSystem, type TestSystem } from '../support/system.js';

const SUBMIT = `mutation ($input: ExecuteMarketOrderInput!) {
  executeMarketOrder(input: $input) {
    __typename
    ... on ExecuteMarketOrderSuccess { order { id } }
    ... on RateLimitedError { message retryAfterMs }
  }
}`;

type Outcome = { __typename: 'ExecuteMarketOrderSuccess'; order: { id: string } } | { __typename: 'RateLimitedError'; message: string; retryAfterMs: number };

async function submit(url: string, key: string, clientOrderId = `rl-${randomUUID()}`): Promise<Outcome> {
  const response = await postGraphQL(url, SUBMIT, { key, variables: { input: { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '0.1', clientOrderId } } });
  if (!response.body.data) throw new Error(JSON.stringify(response.body));
  return (response.body.data as { executeMarketOrder: Outcome }).executeMarketOrder;
}

describe('rate limit on executeMarketOrder across two API processes', () => {
  const LIMIT = 10;
  // one order back every 12 s: the whole test runs long before the allowance refills
  const WINDOW_MS = 120_000;
  let system: TestSystem;
  const apis: (SpawnedRole & { url: string })[] = [];

  beforeAll(async () => {
    // this process only issues keys and reads the database; the two APIs are separate processes
    system = await startSystem({ worker: false });
    const env = {
      ORDER_RATE_LIMIT: String(LIMIT),
      ORDER_RATE_WINDOW_MS: String(WINDOW_MS),
      QUEUE_NAME: system.config.engine.queueName,
      SIM_NAMESPACE: system.config.sim.namespace,
    };
    apis.push(...(await Promise.all([spawnApi(env), spawnApi(env)])));
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await system.close();
  });

  it('lets exactly the limit through a concurrent burst split over both, refuses the rest with RateLimitedError, and stores only what it let through', async () => {
    const { key, accountId } = await system.issueKey();
    const burst = Array.from({ length: 3 * LIMIT }, (_, i) => submit(apis[i % 2]!.url, key));
    const outcomes = await Promise.all(burst);

    const accepted = outcomes.filter((o) => o.__typename === 'ExecuteMarketOrderSuccess');
    const refused = outcomes.filter((o) => o.__typename === 'RateLimitedError');
    expect(accepted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(2 * LIMIT);
    for (const r of refused) {
      expect(r.retryAfterMs).toBeGreaterThan(0);
      expect(r.retryAfterMs).toBeLessThanOrEqual(WINDOW_MS / LIMIT);
      expect(r.message).toMatch(/rate limit exceeded/);
    }
    expect(await system.runtime.prisma.order.count({ where: { accountId } })).toBe(LIMIT);
  });

  it('counts per key: another key of the same account still gets in', async () => {
    const first = await system.issueKey();
    for (let i = 0; i < LIMIT; i++) expect((await submit(apis[i % 2]!.url, first.key)).__typename).toBe('ExecuteMarketOrderSuccess');
    expect((await submit(apis[0]!.url, first.key)).__typename).toBe('RateLimitedError');

    const second = await system.issueKey(first.accountName);
    expect((await submit(apis[1]!.url, second.key)).__typename).toBe('ExecuteMarketOrderSuccess');
  });
});

describe('rate limit timing', () => {
  let system: TestSystem;
  beforeAll(async () => {
    // one order back per second: slow enough that three requests in a row never see a refill
    system = await startSystem({ worker: false, security: { orderRateLimit: 2, orderRateWindowMs: 2000 } });
  });
  afterAll(() => system.close());

  it('says how long to wait, and accepts the next order once that time has passed', async () => {
    expect((await submit(system.url, system.key)).__typename).toBe('ExecuteMarketOrderSuccess');
    expect((await submit(system.url, system.key)).__typename).toBe('ExecuteMarketOrderSuccess');
    const refused = await submit(system.url, system.key);
    if (refused.__typename !== 'RateLimitedError') throw new Error(`expected a refusal, got ${JSON.stringify(refused)}`);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);

    await sleep(refused.retryAfterMs + 20);
    expect((await submit(system.url, system.key)).__typename).toBe('ExecuteMarketOrderSuccess');
  });
});
