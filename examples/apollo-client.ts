// A minimal Apollo Client: subscriptions through a GraphQLWsLink (graphql-ws), everything else
// over HTTP through an HttpLink, chosen per operation by a split link.
//   API_KEY=<key> npx tsx examples/apollo-client.ts [--url http://localhost:4000/graphql]
import { pathToFileURL } from 'node:url';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import possibleTypes from '../gql/possible-types.js';
import { CachedOrder, EXAMPLE_ORDER, FollowOrder, OrderOutcome, PlaceOrder, runFromCommandLine } from './operations.js';

export async function placeAndFollow(url: string, apiKey?: string, log: (line: string) => void = console.log) {
  const authorization = apiKey ? `Bearer ${apiKey}` : undefined;
  const ws = createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket, // Node 20 has no global WebSocket; a browser needs no option
    connectionParams: authorization ? { authorization } : {},
  });
  const link = ApolloLink.split(
    (operation) => isSubscriptionOperation(operation.query),
    new GraphQLWsLink(ws),
    new HttpLink({ uri: url, headers: authorization ? { authorization } : {} }),
  );
  // possibleTypes (generated from the schema) lets the cache match fragments on union members
  const client = new ApolloClient({ link, cache: new InMemoryCache({ possibleTypes: possibleTypes.possibleTypes }) });

  try {
    const placed = await client.mutate({ mutation: PlaceOrder, variables: { input: EXAMPLE_ORDER } });
    const result = placed.data?.executeMarketOrder;
    if (result?.__typename !== 'ExecuteMarketOrderSuccess') throw new Error(`not accepted: ${JSON.stringify(result)}`);
    const orderId = result.order.id;
    log(`placed ${orderId}`);

    // the stream replays from seq 1 and completes after CONFIRMED or FAILED
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      client.subscribe({ query: FollowOrder, variables: { orderId } }).subscribe({
        next: ({ data, error }) => {
          if (error) return reject(error);
          const event = data!.orderStatus;
          seen.push(event.status);
          log(`  #${event.seq} ${event.status} (attempt ${event.attempt}) ${event.message ?? ''}`);
        },
        error: reject,
        complete: () => resolve(seen),
      });
    });

    // the order the mutation put in the cache (PENDING) was kept current by the stream's events
    const cached = client.cache.readFragment({ id: client.cache.identify({ __typename: 'Order', id: orderId }), fragment: CachedOrder });
    log(`cached: ${cached?.status} ${cached?.amountOut ?? ''}`);

    const { data, error } = await client.query({ query: OrderOutcome, variables: { id: orderId }, fetchPolicy: 'network-only' });
    const order = data?.order;
    if (!order) throw new Error(`order ${orderId} not readable: ${error?.message}`);
    log(`${order.status}: ${order.amountIn} ${EXAMPLE_ORDER.tokenIn} → ${order.amountOut} ${EXAMPLE_ORDER.tokenOut} on ${order.dex}`);
    return { orderId, statuses, order, cached };
  } finally {
    client.stop();
    await ws.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runFromCommandLine(placeAndFollow);
}
