// The client examples in examples/, run against a real server: in this process, and as the
// commands the README shows.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { placeAndFollow as apolloPlaceAndFollow } from '../../examples/apollo-client.js';
import { placeAndFollow as urqlPlaceAndFollow } from '../../examples/urql-client.js';
import { LIFECYCLE, systemForThisTest } from '../support/orders.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs an example as `npx tsx examples/NAME.ts --url URL`, with API_KEY if given; resolves with its output. */
function runExample(name: string, url: string, apiKey?: string): Promise<{ code: number | null; output: string }> {
  const { API_KEY: _unset, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}.ts`, '--url', url], { cwd: ROOT, env: apiKey ? { ...env, API_KEY: apiKey } : env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.each([
  ['urql', 'urql-client', urqlPlaceAndFollow],
  ['Apollo Client', 'apollo-client', apolloPlaceAndFollow],
])('the %s example', (_name, file, placeAndFollow) => {
  it('places an order over HTTP, follows it to CONFIRMED over graphql-ws and reads the routing decision', async () => {
    const system = await systemForThisTest();
    const lines: string[] = [];
    const { orderId, statuses, order } = await placeAndFollow(system.url, system.key, (line) => lines.push(line));

    expect(statuses).toEqual(LIFECYCLE);
    expect(order).toMatchObject({ id: orderId, status: 'CONFIRMED', amountIn: '1.5', dex: expect.stringMatching(/^(RAYDIUM|METEORA)$/) });
    const [decision] = order!.routingDecisions;
    expect(decision!.chosenDex).toBe(order!.dex);
    expect(decision!.quotes.map((q) => q.dex).sort()).toEqual(['METEORA', 'RAYDIUM']);
    expect(lines[0]).toBe(`placed ${orderId}`);
    expect(lines.at(-1)).toMatch(/^CONFIRMED: 1\.5 SOL → [\d.]+ USDC on (RAYDIUM|METEORA)$/);
  });

  it.runIf(placeAndFollow === apolloPlaceAndFollow)('keeps the order in its cache current from the stream alone', async () => {
    const system = await systemForThisTest();
    const { order, cached } = (await apolloPlaceAndFollow(system.url, system.key, () => undefined)) as Awaited<ReturnType<typeof apolloPlaceAndFollow>>;
    // the mutation cached it PENDING; only the subscription's events touched it before the last read
    expect(cached).toEqual({ __typename: 'Order', id: order.id, status: 'CONFIRMED', amountOut: order.amountOut, dex: order.dex });
  });

  it(`runs as a command: npx tsx examples/${file}.ts --url …`, async () => {
    const system = await systemForThisTest();
    const { code, output } = await runExample(file, system.url, system.key);
    expect(output).toMatch(/#5 CONFIRMED/);
    expect(code).toBe(0);
  });

  it('as a command without API_KEY, stops before sending anything and says where a key comes from', async () => {
    const system = await systemForThisTest();
    const { code, output } = await runExample(file, system.url);
    expect(code).toBe(2);
    expect(output).toContain('API_KEY is not set');
    expect(output).toContain('npm run keys:create');
    expect(await system.runtime.prisma.order.count({ where: { accountId: system.accountId } })).toBe(0);
  });

  it('as a command with a wrong API_KEY, says the key was refused, in one line and no stack', async () => {
    const system = await systemForThisTest();
    const { code, output } = await runExample(file, system.url, `dex_${'1'.repeat(44)}`);
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(/^the API refused API_KEY/)]);
  });
});
