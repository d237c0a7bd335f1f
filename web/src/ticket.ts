// The order ticket: token pair, amount and slippage; submits executeMarketOrder.
import { errorText, type DeskClient } from './client.js';
import { h, mount } from './dom.js';
import { DeskSubmitOrder } from './operations.js';
import type { DeskOrderFieldsFragment } from '../../gql/graphql.js';

/** Tokens the simulated venues list (README: pairs with pools on both venues). */
const TOKENS = ['SOL', 'USDC', 'USDT', 'BONK', 'JUP'];

/**
 * A fresh clientOrderId: 128 random bits in hex. getRandomValues, unlike randomUUID, also works
 * on a desk served over plain HTTP from another host.
 */
const newClientOrderId = () => `desk-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

export function renderTicket(section: Element, client: () => DeskClient, onSubmitted: (order: DeskOrderFieldsFragment) => void): void {
  const select = (name: string, selected: string) =>
    h('select', { name, 'data-testid': name }, ...TOKENS.map((t) => h('option', { value: t, selected: t === selected }, t)));
  const tokenIn = select('tokenIn', 'SOL');
  const tokenOut = select('tokenOut', 'USDC');
  const amountIn = h('input', { name: 'amountIn', 'data-testid': 'amountIn', value: '1.5', inputmode: 'decimal', required: true });
  // empty means the API's default (50), never 0: Number('') would place the order with no tolerance
  const slippageBps = h('input', { name: 'slippageBps', 'data-testid': 'slippageBps', type: 'number', value: '50', min: '0', max: '5000', step: '1', placeholder: 'default 50' });
  const feedback = h('p', { class: 'feedback', role: 'status', 'data-testid': 'ticket-feedback' });
  const submit = h('button', { type: 'submit', 'data-testid': 'submit' }, 'Submit market order');

  // Every submission carries a clientOrderId. While a submission's outcome is unknown (no answer,
  // or the API lost PostgreSQL with the order on its way), submitting the same ticket again sends
  // the same id, so that the API finds the order it may have stored instead of placing a second.
  let unsettled: { ticket: string; clientOrderId: string } | null = null;

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    submit.disabled = true;
    feedback.textContent = 'submitting…';
    feedback.className = 'feedback';
    const slippage = slippageBps.value.trim();
    const order = { tokenIn: tokenIn.value, tokenOut: tokenOut.value, amountIn: amountIn.value.trim(), ...(slippage === '' ? {} : { slippageBps: Number(slippage) }) };
    const ticket = JSON.stringify(order);
    const clientOrderId = unsettled?.ticket === ticket ? unsettled.clientOrderId : newClientOrderId();
    unsettled = { ticket, clientOrderId };
    try {
      const { data, error } = await client().urql.mutation(DeskSubmitOrder, { input: { ...order, clientOrderId } }).toPromise();
      const result = data?.executeMarketOrder;
      // a refusal over HTTP (a bad key, a limit) is definite; without an answer the outcome is not
      if (error?.response?.status && error.response.status < 500) throw new Error(errorText(error));
      if (error || !result) throw new Error(`${error?.message ?? 'no answer'}; submitting this ticket again cannot place it twice`);
      if (result.__typename === 'ServiceUnavailableError' && result.orderId) throw new Error(result.message);
      unsettled = null;
      if (result.__typename === 'ExecuteMarketOrderSuccess') {
        feedback.textContent = `accepted: ${result.order.id}`;
        onSubmitted(result.order);
      } else {
        // a ValidationError's message already names each wrong field
        throw new Error(result.message);
      }
    } catch (error) {
      feedback.textContent = error instanceof Error ? error.message : String(error);
      feedback.className = 'feedback error';
    } finally {
      submit.disabled = false;
    }
  };

  mount(
    section,
    h('h2', {}, 'New market order'),
    h(
      'form',
      { onsubmit: (e) => void onSubmit(e) },
      h('label', {}, 'Sell ', tokenIn),
      h('label', {}, 'Buy ', tokenOut),
      h('label', {}, 'Amount ', amountIn),
      h('label', {}, 'Slippage (bps) ', slippageBps),
      submit,
    ),
    feedback,
  );
}
