// A minimal urql client: the mutation and the query over HTTP, the subscription over graphql-ws.
//   API_KEY=<key> npx tsx examples/urql-client.ts [--url http://localhost:4000/graphql]
import { pathToFileURL } from 'node:url';
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { EXAMPLE_ORDER, FollowOrder, OrderOutcome, PlaceOrder, runFromCommandLine } from './operations.js';

export async function placeAndFollow(url: string, apiKey?: string, log: (line: string) => void = console.log) {
  const authorization = apiKey ? `Bearer ${apiKey}` : undefined;
  const ws = createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket, // Node 20 has no global WebSocket; a browser needs no option
    connectionParams: authorization ? { authorization } : {},
  });
  const client = new Client({
    url,
    fetchOptions: { headers: authorization ? { authorization } : {} },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });

  try {
    const placed = await client.mutation(PlaceOrder, { input: EXAMPLE_ORDER }).toPromise();
    const result = placed.data?.executeMarketOrder;
    if (result?.__typename !== 'ExecuteMarketOrderSuccess') throw new Error(`not accepted: ${placed.error?.message ?? JSON.stringify(result)}`);
    const orderId = result.order.id;
    log(`placed ${orderId}`);

    // the stream replays from seq 1 and completes after CONFIRMED or FAILED
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      const { unsubscribe } = client.subscription(FollowOrder, { orderId }).subscribe(({ data, error }) => {
        if (error) return reject(error);
        const event = data!.orderStatus;
        seen.push(event.status);
        log(`  #${event.seq} ${event.status} (attempt ${event.attempt}) ${event.message ?? ''}`);
        if (event.status === 'CONFIRMED' || event.status === 'FAILED') {
          unsubscribe();
          resolve(seen);
        }
      });
    });

    const { data, error } = await client.query(OrderOutcome, { id: orderId }, { requestPolicy: 'network-only' }).toPromise();
    const order = data?.order;
    if (!order) throw new Error(`order ${orderId} not readable: ${error?.message}`);
    log(`${order.status}: ${order.amountIn} ${EXAMPLE_ORDER.tokenIn} → ${order.amountOut} ${EXAMPLE_ORDER.tokenOut} on ${order.dex}`);
    return { orderId, statuses, order };
  } finally {
    await ws.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runFromCommandLine(placeAndFollow);
}
