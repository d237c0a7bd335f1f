// The order desk end to end in headless Chromium (Debian's chromium, driven by playwright-core):
// a user submits an order and watches it reach CONFIRMED with its routing decision, live. And
// GraphiQL, which must work on a machine without internet access (as this one is).
// The screenshot is kept under test-results/ (gitignored) as an artifact of the run.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { OrderDetails, OrdersPage } from '../support/operations.js';
import { httpData } from '../support/clients.js';
import { submitOrder, followOrder, systemForThisTest } from '../support/orders.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../test-results/order-desk.png', import.meta.url));

/**
 * As root in a sandbox without a network: no sandbox, no GPU, and none of Chromium's own
 * background traffic (its lookups of Google's hosts fail here, many at a time).
 */
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function launchChromium(): Promise<BrowserContext> {
  // a fresh profile for every run
  const profile = await mkdtemp(path.join(tmpdir(), 'desk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 } });
  onTestFinished(async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });
  return context;
}

// CI installs Chromium (.ci/run) and must run this; elsewhere a machine without it skips it
describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('the order desk in a browser', () => {
  it('submits a market order and shows it CONFIRMED, with both quotes, the chosen venue and the blotter', async () => {
    // a little latency, so the page has a lifecycle to watch
    const system = await systemForThisTest({ sim: { quoteMs: 50, confirmMs: { min: 300, max: 300 } } });
    // orders already on the blotter when the page opens
    const earlier: string[] = [];
    for (const input of [{ tokenIn: 'USDC', tokenOut: 'SOL', amountIn: '250' }, { tokenIn: 'JUP', tokenOut: 'USDC', amountIn: '40' }]) {
      const { id } = await submitOrder(system.url, input);
      await followOrder(system.url, id);
      earlier.push(id);
    }

    const context = await launchChromium();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(new URL('/', system.url).href);

    // the key goes in its field (and into localStorage for the next visit)
    await page.fill('#api-key', system.key);
    await page.locator('#api-key').press('Tab');
    await page.locator('[data-testid=connection]', { hasText: 'connected' }).waitFor();
    for (const id of earlier) await page.locator(`[data-testid=blotter] tr[data-order-id="${id}"]`, { hasText: 'CONFIRMED' }).waitFor();

    await page.selectOption('[data-testid=tokenIn]', 'SOL');
    await page.selectOption('[data-testid=tokenOut]', 'USDC');
    await page.fill('[data-testid=amountIn]', '2.5');
    await page.fill('[data-testid=slippageBps]', '75');
    await page.click('[data-testid=submit]');

    await page.locator('[data-testid=order-status]', { hasText: 'CONFIRMED' }).waitFor({ timeout: 20_000 });
    const orderId = (await page.locator('[data-testid=ticket-feedback]').textContent())!.replace('accepted: ', '');
    await page.locator('[data-testid=routing-decision]').waitFor();
    await page.locator(`[data-testid=blotter] tr[data-order-id="${orderId}"]`, { hasText: 'CONFIRMED' }).waitFor();

    // what the page shows is what the API stored
    const { order } = await httpData(system.url, OrderDetails, { id: orderId });
    const decision = order!.routingDecisions[0]!;
    expect(order).toMatchObject({ status: 'CONFIRMED', amountIn: '2.5', slippageBps: 75 });
    expect(await page.textContent('[data-testid=chosen-dex]')).toBe(decision.chosenDex);
    expect(await page.textContent('[data-testid=expected-out]')).toBe(`${decision.expectedAmountOut} USDC`);
    expect(await page.textContent('[data-testid=min-out]')).toBe(`${decision.minAmountOut} USDC`);
    expect(await page.locator('[data-testid=quote-RAYDIUM]').count()).toBe(1);
    expect(await page.locator('[data-testid=quote-METEORA]').count()).toBe(1);
    expect(await page.locator('[data-testid=order-events] li').allTextContents()).toEqual([
      expect.stringContaining('#1 PENDING'),
      expect.stringContaining('#2 ROUTING'),
      expect.stringContaining('#3 BUILDING'),
      expect.stringContaining('#4 SUBMITTED'),
      expect.stringContaining('#5 CONFIRMED'),
    ]);
    // newest first
    const rows = await page.locator('[data-testid=blotter] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-order-id')));
    expect(rows.indexOf(orderId)).toBeLessThan(rows.indexOf(earlier[1]!));
    expect(rows.indexOf(earlier[1]!)).toBeLessThan(rows.indexOf(earlier[0]!));
    expect(await page.evaluate(() => localStorage.getItem('dex-desk.api-key'))).toBe(system.key);
    // a reload opens the same order again (its id is in the address)
    expect(new URL(page.url()).hash).toBe(`#order=${orderId}`);
    await page.reload();
    await page.locator('#order h2 code', { hasText: orderId }).waitFor();
    await page.locator('[data-testid=order-status]', { hasText: 'CONFIRMED' }).waitFor();
    await page.locator('[data-testid=routing-decision]').waitFor();
    expect(problems).toEqual([]);

    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('resubmits a ticket whose answer was lost with the same clientOrderId, so the order is placed once', async () => {
    const system = await systemForThisTest();
    const context = await launchChromium();
    const page = await context.newPage();
    await page.goto(new URL('/', system.url).href);
    await page.fill('#api-key', system.key);
    await page.locator('#api-key').press('Tab');
    await page.locator('[data-testid=connection]', { hasText: 'connected' }).waitFor();

    // the first submission reaches the API, which stores the order, but its answer never reaches the page
    let lostAnswer: { data: { executeMarketOrder: { order: { id: string } } } } | undefined;
    await page.route('**/graphql', async (route) => {
      if (lostAnswer || !route.request().postData()?.includes('DeskSubmitOrder')) return route.continue();
      lostAnswer = await (await route.fetch()).json();
      await route.abort('connectionreset');
    });
    await page.fill('[data-testid=amountIn]', '0.75');
    await page.click('[data-testid=submit]');
    await page.locator('[data-testid=ticket-feedback]', { hasText: 'cannot place it twice' }).waitFor();
    const storedId = lostAnswer!.data.executeMarketOrder.order.id;

    // the user submits the same ticket again: the API finds the order it stored
    await page.click('[data-testid=submit]');
    await page.locator('[data-testid=ticket-feedback]', { hasText: `accepted: ${storedId}` }).waitFor();
    const { orders } = await httpData(system.url, OrdersPage, { first: 10 });
    expect(orders.edges.map((e) => e.node.id)).toEqual([storedId]);
  });

  it('takes an empty slippage as the API default, shows a refusal once, and says why a failed order has no routing decision', async () => {
    const system = await systemForThisTest();
    const context = await launchChromium();
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on('response', (response) => void (response.status() === 403 && refusals.push(response.url())));
    await page.goto(new URL('/', system.url).href);
    // before any key: asked for one, not told it was refused, and no request sent to be refused
    await page.locator('[data-testid=connection]', { hasText: 'no key' }).waitFor();
    await page.locator('[data-testid=blotter-error]', { hasText: 'enter the API key above to list the orders' }).waitFor();
    expect(refusals).toEqual([]);
    // a wrong key: refused, and the blotter says why it is empty
    await page.fill('#api-key', 'dex_not-a-key');
    await page.locator('#api-key').press('Tab');
    await page.locator('[data-testid=connection]', { hasText: 'key refused' }).waitFor();
    await page.locator('[data-testid=blotter-error]', { hasText: /^cannot list the orders: .*API key/ }).waitFor();
    // a key pasted with the "Bearer " in front that the README's header examples show
    await page.fill('#api-key', `Bearer ${system.key}`);
    await page.locator('#api-key').press('Tab');
    await page.locator('[data-testid=connection]', { hasText: 'connected' }).waitFor();

    const submit = async (amountIn: string, slippageBps: string) => {
      await page.fill('[data-testid=amountIn]', amountIn);
      await page.fill('[data-testid=slippageBps]', slippageBps);
      await page.click('[data-testid=submit]');
    };
    await submit('0.5', '');
    const accepted = page.locator('[data-testid=ticket-feedback]', { hasText: 'accepted: ' });
    await accepted.waitFor();
    const id = (await accepted.textContent())!.replace('accepted: ', '');
    expect((await httpData(system.url, OrderDetails, { id })).order).toMatchObject({ amountIn: '0.5', slippageBps: 50 });

    await submit('abc', '50');
    const refused = page.locator('[data-testid=ticket-feedback].error');
    await refused.waitFor();
    expect((await refused.textContent())!.match(/input\.amountIn: /g)).toHaveLength(1);

    await submit('0.000000001', '50');
    await page.locator('[data-testid=order-status]', { hasText: 'FAILED' }).waitFor();
    await page.getByText('Routing decision: none, the order failed before a venue was chosen').waitFor();

    // more than Meteora's bins hold: its quote says it cannot fill, rather than showing 0 and a fee
    await submit('100000', '5000');
    await page.locator('[data-testid=order-status]', { hasText: 'CONFIRMED' }).waitFor();
    await page.locator('[data-testid=quote-METEORA-unfillable]', { hasText: 'cannot fill: too little liquidity' }).waitFor();
    expect(await page.locator('[data-testid=chosen-dex]').textContent()).toBe('RAYDIUM');

    // on a phone's width, one column and no sideways scrolling
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const ticket = await page.locator('#ticket').boundingBox();
    expect(ticket!.width).toBeGreaterThan(300);
  });

  it('GraphiQL loads with nothing from outside the API and runs a query with the key pasted into its headers', async () => {
    const system = await systemForThisTest();
    const { id } = await submitOrder(system.url, { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.25' });
    await followOrder(system.url, id);

    const context = await launchChromium();
    const page = await context.newPage();
    const problems: string[] = [];
    const elsewhere: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(system.url).origin && !request.url().startsWith('blob:')) elsewhere.push(request.url());
    });
    await page.goto(system.url);

    // Monaco closes brackets and quotes as they are typed: what it added after the cursor goes
    const replaceText = async (editor: ReturnType<typeof page.locator>, text: string) => {
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(text);
      await page.keyboard.press('Shift+Control+End');
      await page.keyboard.press('Delete');
    };
    const query = page.locator('.graphiql-query-editor .graphiql-editor');
    await query.waitFor();
    await replaceText(page.locator('.graphiql-editor-tool .graphiql-editor').last(), JSON.stringify({ Authorization: `Bearer ${system.key}` }));
    await replaceText(query, `{ order(id: "${id}") { status amountIn tokenOut } }`);
    await page.locator('.graphiql-execute-button').click();

    const result = page.locator('.result-window');
    await result.filter({ hasText: 'CONFIRMED' }).waitFor();
    // Monaco lays the answer out in lines of its own: compared without its whitespace
    expect((await result.innerText()).replace(/[\s\u00a0]/g, '')).toBe(JSON.stringify({ data: { order: { status: 'CONFIRMED', amountIn: '1.25', tokenOut: 'USDC' } } }));
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
  });
});
