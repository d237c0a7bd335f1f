// The selected order: its lifecycle live over graphql-ws (replayed from seq 1 whenever it is
// opened) and its routing decision, both venues' quotes side by side.
import type { DeskOrderQuery, DeskOrderStatusSubscription } from '../../gql/graphql.js';
import type { DeskClient } from './client.js';
import { bpsAsPercent, h, mount, timeOf } from './dom.js';
import { DeskOrder, DeskOrderStatus } from './operations.js';

type OrderEvent = DeskOrderStatusSubscription['orderStatus'];
type Order = NonNullable<DeskOrderQuery['order']>;
type Decision = Order['routingDecisions'][number];

const STEPS = ['PENDING', 'ROUTING', 'BUILDING', 'SUBMITTED', 'CONFIRMED'];

/** Follows one order until it is replaced; returns the function that stops following it. */
export function showOrder(section: Element, client: DeskClient, orderId: string): () => void {
  const events: OrderEvent[] = [];
  let order: Order | null = null;
  let error = '';
  const render = () => mount(section, h('h2', {}, 'Order ', h('code', {}, orderId)), error && h('p', { class: 'feedback error' }, error), summary(order, events), timeline(events), decision(order));

  // the stored order carries the routing decisions; read it again when the stream says they changed.
  // A read asked for while one is on its way is made after it: urql would hand the second the
  // first's answer, which may predate the change (an order that fails at once).
  let reading = false;
  let readAgain = false;
  const refresh = async () => {
    if (reading) return void (readAgain = true);
    reading = true;
    do {
      readAgain = false;
      const { data, error: failed } = await client.urql.query(DeskOrder, { id: orderId }).toPromise();
      if (failed) error = failed.message;
      else order = data?.order ?? null;
      render();
    } while (readAgain);
    reading = false;
  };
  const subscription = client.urql.subscription(DeskOrderStatus, { orderId }).subscribe((result) => {
    if (result.error) {
      error = result.error.message;
    } else if (result.data) {
      const event = result.data.orderStatus;
      // urql repeats the last result when the stream completes: seq says what is new
      if (event.seq <= (events.at(-1)?.seq ?? 0)) return;
      events.push(event);
      if (event.status === 'BUILDING' || event.status === 'CONFIRMED' || event.status === 'FAILED') void refresh();
    }
    render();
  });
  render();
  void refresh();
  return () => subscription.unsubscribe();
}

function summary(order: Order | null, events: OrderEvent[]): Node {
  const status = events.at(-1)?.status ?? order?.status ?? '…';
  return h(
    'p',
    { class: 'summary' },
    h('span', { class: `status status-${status}`, 'data-testid': 'order-status' }, status),
    order && ` ${order.amountIn} ${order.tokenIn} → ${order.amountOut ?? '?'} ${order.tokenOut}`,
    order && ` · slippage ${bpsAsPercent(order.slippageBps)}`,
    order?.dex && ` · on ${order.dex}`,
    order?.failureReason && h('span', { class: 'error' }, ` · ${order.failureReason}`),
  );
}

function timeline(events: OrderEvent[]): Node {
  const reached = new Set(events.map((e) => e.status));
  return h(
    'div',
    {},
    h('ol', { class: 'steps' }, ...STEPS.map((s) => h('li', { class: reached.has(s as OrderEvent['status']) ? 'done' : '' }, s))),
    h(
      'ol',
      { class: 'events', 'data-testid': 'order-events' },
      ...events.map((e) => h('li', {}, h('time', {}, timeOf(e.at)), ` #${e.seq} `, h('b', {}, e.status), ` (attempt ${e.attempt}) `, e.message ?? '')),
    ),
  );
}

const UNFILLABLE = { TOO_LARGE: 'cannot fill: too little liquidity', TOO_SMALL: 'cannot fill: less than one base unit' } as const;

function decision(order: Order | null): Node | null {
  const latest: Decision | undefined = order?.routingDecisions.at(-1);
  if (order?.status === 'FAILED' && !latest) return h('p', { class: 'muted' }, 'Routing decision: none, the order failed before a venue was chosen');
  if (!order || !latest) return h('p', { class: 'muted' }, 'Routing decision: waiting for quotes…');
  const chosen = latest.quotes.find((q) => q.dex === latest.chosenDex);
  const chosenClass = (q: { dex: string }) => (q.dex === latest.chosenDex ? 'chosen' : '');
  return h(
    'div',
    { class: 'decision', 'data-testid': 'routing-decision' },
    h('h3', {}, `Routing decision (attempt ${latest.attempt})`),
    // one column per venue, side by side; the chosen one marked
    h(
      'table',
      { class: 'quotes' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'quote'), ...latest.quotes.map((q) => h('th', { class: chosenClass(q), 'data-testid': `quote-${q.dex}` }, q.dex, q.dex === latest.chosenDex ? ' ✓ chosen' : ''))),
      ),
      h(
        'tbody',
        {},
        // a venue that cannot fill the order says why, instead of an output of 0
        h('tr', {}, h('th', {}, `output (${order.tokenOut})`), ...latest.quotes.map((q) =>
          q.unfillable ? h('td', { class: 'muted', 'data-testid': `quote-${q.dex}-unfillable` }, UNFILLABLE[q.unfillable]) : h('td', { class: chosenClass(q) }, q.amountOut),
        )),
        h('tr', {}, h('th', {}, `fee (${order.tokenIn})`), ...latest.quotes.map((q) => h('td', { class: chosenClass(q) }, q.unfillable ? '–' : q.fee))),
        h('tr', {}, h('th', {}, 'price impact'), ...latest.quotes.map((q) => h('td', { class: chosenClass(q) }, q.unfillable ? '–' : bpsAsPercent(q.priceImpactBps)))),
      ),
    ),
    h(
      'dl',
      {},
      h('dt', {}, 'chosen venue'),
      h('dd', { 'data-testid': 'chosen-dex' }, latest.chosenDex),
      h('dt', {}, 'expected output'),
      h('dd', { 'data-testid': 'expected-out' }, `${latest.expectedAmountOut} ${order.tokenOut}`),
      h('dt', {}, 'minAmountOut'),
      h('dd', { 'data-testid': 'min-out' }, `${latest.minAmountOut} ${order.tokenOut}`),
      h('dt', {}, 'price impact'),
      h('dd', {}, chosen ? bpsAsPercent(chosen.priceImpactBps) : '?'),
      h('dt', {}, 'why'),
      h('dd', {}, latest.reason),
    ),
  );
}
