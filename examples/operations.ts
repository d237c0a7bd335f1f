// The operations both client examples send, typed by GraphQL Code Generator (npm run codegen):
// each document carries its result and variables types, so `data` is typed without a cast.
import { graphql } from '../gql/index.js';

export const PlaceOrder = graphql(`
  mutation PlaceOrder($input: ExecuteMarketOrderInput!) {
    executeMarketOrder(input: $input) {
      __typename
      ... on ExecuteMarketOrderSuccess { order { id status } }
      ... on Error { message }
    }
  }
`);

// `order` comes with each event as it stands then: a normalizing cache (Apollo's) keeps the
// order it holds current from the stream alone
export const FollowOrder = graphql(`
  subscription FollowOrder($orderId: ID!) {
    orderStatus(orderId: $orderId) { seq status attempt message order { id status amountOut dex } }
  }
`);

/** The order as Apollo's cache holds it. */
export const CachedOrder = graphql(`
  fragment CachedOrder on Order { id status amountOut dex }
`);

export const OrderOutcome = graphql(`
  query OrderOutcome($id: ID!) {
    order(id: $id) {
      id status amountIn amountOut dex txSignature failureReason
      routingDecisions { attempt chosenDex expectedAmountOut minAmountOut quotes { dex amountOut priceImpactBps } }
    }
  }
`);

/** The order both examples place. */
export const EXAMPLE_ORDER = { tokenIn: 'SOL', tokenOut: 'USDC', amountIn: '1.5', slippageBps: 50 };

/**
 * `--url`/GRAPHQL_URL and API_KEY of a command-line run; the URL defaults to `npm start`'s API.
 * Without API_KEY every request would be refused, so the run stops first and says where a key comes from.
 */
export function commandLine(argv = process.argv.slice(2), env = process.env): { url: string; apiKey: string } {
  const at = argv.indexOf('--url');
  const url = (at >= 0 ? argv[at + 1] : undefined) ?? env.GRAPHQL_URL ?? 'http://localhost:4000/graphql';
  if (!env.API_KEY) {
    process.stderr.write('API_KEY is not set, and the API refuses requests without a key: run API_KEY=<key> npm run example:…, with the key npm start printed or one from npm run keys:create\n');
    process.exit(2);
  }
  return { url, apiKey: env.API_KEY };
}

/**
 * Runs an example from the command line. A failure ends it with one line on stderr and exit code
 * 1, rather than a stack; a key the API refuses is said as such.
 */
export async function runFromCommandLine(run: (url: string, apiKey: string) => Promise<unknown>): Promise<void> {
  const { url, apiKey } = commandLine();
  try {
    await run(url, apiKey);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const refused = /invalid or revoked API key|UNAUTHENTICATED|Unauthorized/i.test(message);
    process.stderr.write(refused ? 'the API refused API_KEY (a wrong or revoked key): use the key npm start printed, or one from npm run keys:create\n' : `${message}\n`);
    process.exit(1);
  }
}
