// Every operation the tests send, typed by GraphQL Code Generator (npm run codegen).
import { graphql } from '../../gql/index.js';

export const ExecuteMarketOrder = graphql(`
  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {
    executeMarketOrder(input: $input) {
      __typename
      ... on ExecuteMarketOrderSuccess {
        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }
      }
      ... on ValidationError { message fieldErrors { path message } }
      ... on IdempotencyConflictError { message clientOrderId existingOrderId }
      ... on ServiceUnavailableError { message retryAfterMs orderId }
    }
  }
`);

export const OrderDetails = graphql(`
  query OrderDetails($id: ID!) {
    order(id: $id) {
      id status tokenIn tokenOut amountIn amountOut slippageBps maxPriceImpactBps dex txSignature attempts failureReason createdAt updatedAt
      routingDecisions {
        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt
        quotes { dex amountOut fee priceImpactBps unfillable }
      }
      events { orderId seq status attempt message at }
    }
  }
`);

export const OrdersPage = graphql(`
  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {
    orders(first: $first, after: $after, status: $status) {
      edges { cursor node { id status createdAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const OrderStatusUpdates = graphql(`
  subscription OrderStatusUpdates($orderId: ID!) {
    orderStatus(orderId: $orderId) { orderId seq status attempt message at }
  }
`);

export const SimulatedSwaps = graphql(`
  query SimulatedSwaps($orderId: ID!) {
    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }
  }
`);
