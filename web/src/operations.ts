// Every operation the desk sends, typed by GraphQL Code Generator (npm run codegen).
import { graphql } from '../../gql/index.js';

export const DeskOrderFields = graphql(`
  fragment DeskOrderFields on Order {
    id status tokenIn tokenOut amountIn amountOut slippageBps dex attempts failureReason createdAt
  }
`);

export const DeskSubmitOrder = graphql(`
  mutation DeskSubmitOrder($input: ExecuteMarketOrderInput!) {
    executeMarketOrder(input: $input) {
      __typename
      ... on ExecuteMarketOrderSuccess { order { ...DeskOrderFields } }
      ... on Error { message }
      ... on ServiceUnavailableError { orderId }
    }
  }
`);

export const DeskOrder = graphql(`
  query DeskOrder($id: ID!) {
    order(id: $id) {
      ...DeskOrderFields
      txSignature
      routingDecisions {
        attempt chosenDex expectedAmountOut minAmountOut reason
        quotes { dex amountOut fee priceImpactBps unfillable }
      }
    }
  }
`);

export const DeskBlotter = graphql(`
  query DeskBlotter($first: Int!) {
    orders(first: $first) { edges { node { ...DeskOrderFields } } }
  }
`);

export const DeskOrderStatus = graphql(`
  subscription DeskOrderStatus($orderId: ID!) {
    orderStatus(orderId: $orderId) { orderId seq status attempt message at }
  }
`);
