// Recent orders with their status, live: each unfinished order's row follows its own
// orderStatus stream, and the list is re-read every few seconds to pick up orders placed elsewhere.
import type { DeskOrderFieldsFragment, OrderStatus } from '../../gql/graphql.js';
import { errorText, type DeskClient } from './client.js';
import { h, mount, timeOf } from './dom.js';
import { DeskBlotter, DeskOrderStatus } from './operations.js';

const ROWS = 15;
const REFRESH_MS = 3_000;
const TERMINAL: OrderStatus[] = ['CONFIRMED', 'FAILED'];

export interface Blotter {
  /** shows an order at once (the one just submitted) and follows it */
  add(order: DeskOrderFieldsFragment): void;
  stop(): void;
}

export function startBlotter(section: Element, client: DeskClient, onSelect: (orderId: string) => void): Blotter {
  const orders = new Map<string, DeskOrderFieldsFragment>();
  const followed = new Map<string, { unsubscribe(): void }>();

  const newest = () => [...orders.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, ROWS);

  // why the list could not be read, shown until a read succeeds
  let problem = '';
  const render = () => {
    const rows = newest();
    mount(
      section,
      h('h2', {}, 'Recent orders'),
      problem && h('p', { class: 'feedback error', 'data-testid': 'blotter-error' }, problem),
      h(
        'table',
        { 'data-testid': 'blotter' },
        h('thead', {}, h('tr', {}, ...['time', 'pair', 'amount in', 'amount out', 'venue', 'attempts', 'status'].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          ...rows.map((o) =>
            h(
              'tr',
              { 'data-order-id': o.id, onclick: () => onSelect(o.id), title: o.failureReason ?? o.id },
              h('td', {}, timeOf(o.createdAt)),
              h('td', {}, `${o.tokenIn}/${o.tokenOut}`),
              h('td', {}, o.amountIn),
              h('td', {}, o.amountOut ?? ''),
              h('td', {}, o.dex ?? ''),
              h('td', {}, o.attempts),
              h('td', {}, h('span', { class: `status status-${o.status}` }, o.status)),
            ),
          ),
        ),
      ),
    );
  };

  const follow = (order: DeskOrderFieldsFragment) => {
    if (TERMINAL.includes(order.status) || followed.has(order.id)) return;
    const subscription = client.urql.subscription(DeskOrderStatus, { orderId: order.id }).subscribe(({ data }) => {
      const current = orders.get(order.id);
      if (!data || !current) return;
      orders.set(order.id, { ...current, status: data.orderStatus.status, attempts: data.orderStatus.attempt });
      // the final amounts and venue come with the next list read; fetch it now for a terminal row
      if (TERMINAL.includes(data.orderStatus.status)) void load();
      render();
    });
    followed.set(order.id, subscription);
  };

  const add = (order: DeskOrderFieldsFragment) => {
    orders.set(order.id, order);
    follow(order);
    render();
  };

  const load = async () => {
    // nothing to ask before there is a key: a keyless GET is refused by CSRF prevention (403),
    // which would read as an error of the API's
    if (!client.hasKey) {
      problem = 'enter the API key above to list the orders';
      return render();
    }
    const { data, error } = await client.urql.query(DeskBlotter, { first: ROWS }).toPromise();
    problem = data ? '' : `cannot list the orders: ${error ? errorText(error) : 'no answer'}`;
    if (!data) return render();
    for (const { node } of data.orders.edges) add(node);
    // forget what fell off the list, so a desk left open for days stays small
    const shown = new Set(newest().map((o) => o.id));
    for (const [id, subscription] of followed) {
      if (!shown.has(id) || TERMINAL.includes(orders.get(id)?.status ?? 'PENDING')) {
        subscription.unsubscribe();
        followed.delete(id);
      }
    }
    for (const id of orders.keys()) if (!shown.has(id)) orders.delete(id);
  };

  render();
  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  return {
    add,
    stop() {
      clearInterval(timer);
      for (const subscription of followed.values()) subscription.unsubscribe();
    },
  };
}
