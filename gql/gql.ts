/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation PlaceOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.PlaceOrderDocument,
    "\n  subscription FollowOrder($orderId: ID!) {\n    orderStatus(orderId: $orderId) { seq status attempt message order { id status amountOut dex } }\n  }\n": typeof types.FollowOrderDocument,
    "\n  fragment CachedOrder on Order { id status amountOut dex }\n": typeof types.CachedOrderFragmentDoc,
    "\n  query OrderOutcome($id: ID!) {\n    order(id: $id) {\n      id status amountIn amountOut dex txSignature failureReason\n      routingDecisions { attempt chosenDex expectedAmountOut minAmountOut quotes { dex amountOut priceImpactBps } }\n    }\n  }\n": typeof types.OrderOutcomeDocument,
    "\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n      ... on ServiceUnavailableError { message retryAfterMs orderId }\n    }\n  }\n": typeof types.ExecuteMarketOrderDocument,
    "\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps maxPriceImpactBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n": typeof types.OrderDetailsDocument,
    "\n  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {\n    orders(first: $first, after: $after, status: $status) {\n      edges { cursor node { id status createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OrdersPageDocument,
    "\n  subscription OrderStatusUpdates($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n": typeof types.OrderStatusUpdatesDocument,
    "\n  query SimulatedSwaps($orderId: ID!) {\n    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }\n  }\n": typeof types.SimulatedSwapsDocument,
    "\n  fragment DeskOrderFields on Order {\n    id status tokenIn tokenOut amountIn amountOut slippageBps dex attempts failureReason createdAt\n  }\n": typeof types.DeskOrderFieldsFragmentDoc,
    "\n  mutation DeskSubmitOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { ...DeskOrderFields } }\n      ... on Error { message }\n      ... on ServiceUnavailableError { orderId }\n    }\n  }\n": typeof types.DeskSubmitOrderDocument,
    "\n  query DeskOrder($id: ID!) {\n    order(id: $id) {\n      ...DeskOrderFields\n      txSignature\n      routingDecisions {\n        attempt chosenDex expectedAmountOut minAmountOut reason\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n    }\n  }\n": typeof types.DeskOrderDocument,
    "\n  query DeskBlotter($first: Int!) {\n    orders(first: $first) { edges { node { ...DeskOrderFields } } }\n  }\n": typeof types.DeskBlotterDocument,
    "\n  subscription DeskOrderStatus($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n": typeof types.DeskOrderStatusDocument,
};
const documents: Documents = {
    "\n  mutation PlaceOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { id status } }\n      ... on Error { message }\n    }\n  }\n": types.PlaceOrderDocument,
    "\n  subscription FollowOrder($orderId: ID!) {\n    orderStatus(orderId: $orderId) { seq status attempt message order { id status amountOut dex } }\n  }\n": types.FollowOrderDocument,
    "\n  fragment CachedOrder on Order { id status amountOut dex }\n": types.CachedOrderFragmentDoc,
    "\n  query OrderOutcome($id: ID!) {\n    order(id: $id) {\n      id status amountIn amountOut dex txSignature failureReason\n      routingDecisions { attempt chosenDex expectedAmountOut minAmountOut quotes { dex amountOut priceImpactBps } }\n    }\n  }\n": types.OrderOutcomeDocument,
    "\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n      ... on ServiceUnavailableError { message retryAfterMs orderId }\n    }\n  }\n": types.ExecuteMarketOrderDocument,
    "\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps maxPriceImpactBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n": types.OrderDetailsDocument,
    "\n  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {\n    orders(first: $first, after: $after, status: $status) {\n      edges { cursor node { id status createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OrdersPageDocument,
    "\n  subscription OrderStatusUpdates($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n": types.OrderStatusUpdatesDocument,
    "\n  query SimulatedSwaps($orderId: ID!) {\n    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }\n  }\n": types.SimulatedSwapsDocument,
    "\n  fragment DeskOrderFields on Order {\n    id status tokenIn tokenOut amountIn amountOut slippageBps dex attempts failureReason createdAt\n  }\n": types.DeskOrderFieldsFragmentDoc,
    "\n  mutation DeskSubmitOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { ...DeskOrderFields } }\n      ... on Error { message }\n      ... on ServiceUnavailableError { orderId }\n    }\n  }\n": types.DeskSubmitOrderDocument,
    "\n  query DeskOrder($id: ID!) {\n    order(id: $id) {\n      ...DeskOrderFields\n      txSignature\n      routingDecisions {\n        attempt chosenDex expectedAmountOut minAmountOut reason\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n    }\n  }\n": types.DeskOrderDocument,
    "\n  query DeskBlotter($first: Int!) {\n    orders(first: $first) { edges { node { ...DeskOrderFields } } }\n  }\n": types.DeskBlotterDocument,
    "\n  subscription DeskOrderStatus($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n": types.DeskOrderStatusDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlaceOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { id status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation PlaceOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { id status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowOrder($orderId: ID!) {\n    orderStatus(orderId: $orderId) { seq status attempt message order { id status amountOut dex } }\n  }\n"): (typeof documents)["\n  subscription FollowOrder($orderId: ID!) {\n    orderStatus(orderId: $orderId) { seq status attempt message order { id status amountOut dex } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CachedOrder on Order { id status amountOut dex }\n"): (typeof documents)["\n  fragment CachedOrder on Order { id status amountOut dex }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderOutcome($id: ID!) {\n    order(id: $id) {\n      id status amountIn amountOut dex txSignature failureReason\n      routingDecisions { attempt chosenDex expectedAmountOut minAmountOut quotes { dex amountOut priceImpactBps } }\n    }\n  }\n"): (typeof documents)["\n  query OrderOutcome($id: ID!) {\n    order(id: $id) {\n      id status amountIn amountOut dex txSignature failureReason\n      routingDecisions { attempt chosenDex expectedAmountOut minAmountOut quotes { dex amountOut priceImpactBps } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n      ... on ServiceUnavailableError { message retryAfterMs orderId }\n    }\n  }\n"): (typeof documents)["\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n      ... on ServiceUnavailableError { message retryAfterMs orderId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps maxPriceImpactBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n"): (typeof documents)["\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps maxPriceImpactBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {\n    orders(first: $first, after: $after, status: $status) {\n      edges { cursor node { id status createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): (typeof documents)["\n  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {\n    orders(first: $first, after: $after, status: $status) {\n      edges { cursor node { id status createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrderStatusUpdates($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n"): (typeof documents)["\n  subscription OrderStatusUpdates($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SimulatedSwaps($orderId: ID!) {\n    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }\n  }\n"): (typeof documents)["\n  query SimulatedSwaps($orderId: ID!) {\n    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeskOrderFields on Order {\n    id status tokenIn tokenOut amountIn amountOut slippageBps dex attempts failureReason createdAt\n  }\n"): (typeof documents)["\n  fragment DeskOrderFields on Order {\n    id status tokenIn tokenOut amountIn amountOut slippageBps dex attempts failureReason createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeskSubmitOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { ...DeskOrderFields } }\n      ... on Error { message }\n      ... on ServiceUnavailableError { orderId }\n    }\n  }\n"): (typeof documents)["\n  mutation DeskSubmitOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess { order { ...DeskOrderFields } }\n      ... on Error { message }\n      ... on ServiceUnavailableError { orderId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskOrder($id: ID!) {\n    order(id: $id) {\n      ...DeskOrderFields\n      txSignature\n      routingDecisions {\n        attempt chosenDex expectedAmountOut minAmountOut reason\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DeskOrder($id: ID!) {\n    order(id: $id) {\n      ...DeskOrderFields\n      txSignature\n      routingDecisions {\n        attempt chosenDex expectedAmountOut minAmountOut reason\n        quotes { dex amountOut fee priceImpactBps unfillable }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeskBlotter($first: Int!) {\n    orders(first: $first) { edges { node { ...DeskOrderFields } } }\n  }\n"): (typeof documents)["\n  query DeskBlotter($first: Int!) {\n    orders(first: $first) { edges { node { ...DeskOrderFields } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DeskOrderStatus($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n"): (typeof documents)["\n  subscription DeskOrderStatus($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;