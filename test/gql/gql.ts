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
    "\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n    }\n  }\n": typeof types.ExecuteMarketOrderDocument,
    "\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n": typeof types.OrderDetailsDocument,
    "\n  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {\n    orders(first: $first, after: $after, status: $status) {\n      edges { cursor node { id status createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.OrdersPageDocument,
    "\n  subscription OrderStatusUpdates($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n": typeof types.OrderStatusUpdatesDocument,
    "\n  query SimulatedSwaps($orderId: ID!) {\n    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }\n  }\n": typeof types.SimulatedSwapsDocument,
};
const documents: Documents = {
    "\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n    }\n  }\n": types.ExecuteMarketOrderDocument,
    "\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n": types.OrderDetailsDocument,
    "\n  query OrdersPage($first: Int, $after: String, $status: OrderStatus) {\n    orders(first: $first, after: $after, status: $status) {\n      edges { cursor node { id status createdAt } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.OrdersPageDocument,
    "\n  subscription OrderStatusUpdates($orderId: ID!) {\n    orderStatus(orderId: $orderId) { orderId seq status attempt message at }\n  }\n": types.OrderStatusUpdatesDocument,
    "\n  query SimulatedSwaps($orderId: ID!) {\n    simulatedSwaps(orderId: $orderId) { signature dex amountIn amountOut at }\n  }\n": types.SimulatedSwapsDocument,
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
export function graphql(source: "\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n    }\n  }\n"): (typeof documents)["\n  mutation ExecuteMarketOrder($input: ExecuteMarketOrderInput!) {\n    executeMarketOrder(input: $input) {\n      __typename\n      ... on ExecuteMarketOrderSuccess {\n        order { id status clientOrderId tokenIn tokenOut amountIn slippageBps attempts }\n      }\n      ... on ValidationError { message fieldErrors { path message } }\n      ... on IdempotencyConflictError { message clientOrderId existingOrderId }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n"): (typeof documents)["\n  query OrderDetails($id: ID!) {\n    order(id: $id) {\n      id status tokenIn tokenOut amountIn amountOut slippageBps dex txSignature attempts failureReason createdAt updatedAt\n      routingDecisions {\n        id attempt chosenDex expectedAmountOut minAmountOut reason decidedAt\n        quotes { dex amountOut fee priceImpactBps }\n      }\n      events { orderId seq status attempt message at }\n    }\n  }\n"];
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

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;