// The order desk: a ticket to submit market orders, the selected order followed live, and a
// blotter of recent orders. The API key (when the API asks for one) is kept in localStorage.
import './style.css';
import { startBlotter, type Blotter } from './blotter.js';
import { createDeskClient, type DeskClient } from './client.js';
import { showOrder } from './order-view.js';
import { renderTicket } from './ticket.js';

const API_KEY_STORAGE = 'dex-desk.api-key';

const byId = (id: string) => document.getElementById(id)!;
const keyInput = byId('api-key') as HTMLInputElement;
const connection = byId('connection');

let client: DeskClient;
let blotter: Blotter;
let selected: { orderId: string; stop(): void } | null = null;

function select(orderId: string): void {
  selected?.stop();
  selected = { orderId, stop: showOrder(byId('order'), client, orderId) };
  // kept in the address, so a reload or a shared link opens the same order
  history.replaceState(null, '', `#order=${orderId}`);
}

/** The key as typed or pasted, without a "Bearer " the user may have copied along with it. */
const apiKey = () => keyInput.value.trim().replace(/^bearer\s+/i, '');

/** (Re)connects with the current key: a changed key means new connections for everything. */
function connect(): void {
  blotter?.stop();
  selected?.stop();
  client?.dispose();
  client = createDeskClient(apiKey(), (state) => {
    connection.textContent = state;
    connection.className = `connection ${state.replace(' ', '-')}`;
  });
  blotter = startBlotter(byId('blotter'), client, select);
  if (selected) select(selected.orderId);
}

keyInput.value = localStorage.getItem(API_KEY_STORAGE) ?? '';
keyInput.addEventListener('change', () => {
  localStorage.setItem(API_KEY_STORAGE, apiKey());
  connect();
});
renderTicket(
  byId('ticket'),
  () => client,
  (order) => {
    blotter.add(order);
    select(order.id);
  },
);
connect();
const linked = /^#order=([0-9a-f-]{36})$/i.exec(location.hash)?.[1];
if (linked) select(linked);
