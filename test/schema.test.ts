// The committed schema.graphql is what the code builds, and it keeps every name the product
// contract fixes, with the same types. The product may add fields, types, arguments, enum values
// and union members; it may not rename or retype these.
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../scripts/print-schema.js';

/** The fixed part of the schema, as the contract writes it (docs/CONTRACT.md, "GraphQL schema"). */
const CONTRACT_SDL = /* GraphQL */ `
  scalar Decimal
  scalar DateTime

  enum OrderType   { MARKET }
  enum OrderStatus { PENDING ROUTING BUILDING SUBMITTED CONFIRMED FAILED }
  enum Dex         { RAYDIUM METEORA }

  input ExecuteMarketOrderInput {
    tokenIn: String!
    tokenOut: String!
    amountIn: Decimal!
    slippageBps: Int
    clientOrderId: String
  }

  interface Error { message: String! }
  type ValidationError implements Error { message: String!  fieldErrors: [FieldError!]! }
  type FieldError { path: [String!]!  message: String! }

  type ExecuteMarketOrderSuccess { order: Order! }
  union ExecuteMarketOrderResult = ExecuteMarketOrderSuccess | ValidationError

  type Mutation {
    executeMarketOrder(input: ExecuteMarketOrderInput!): ExecuteMarketOrderResult!
  }

  type Order {
    id: ID!
    clientOrderId: String
    type: OrderType!
    status: OrderStatus!
    tokenIn: String!
    tokenOut: String!
    amountIn: Decimal!
    slippageBps: Int!
    amountOut: Decimal
    dex: Dex
    txSignature: String
    attempts: Int!
    failureReason: String
    createdAt: DateTime!
    updatedAt: DateTime!
    routingDecisions: [RoutingDecision!]!
    events: [OrderEvent!]!
  }

  type RoutingDecision {
    id: ID!
    attempt: Int!
    chosenDex: Dex!
    quotes: [DexQuote!]!
    expectedAmountOut: Decimal!
    minAmountOut: Decimal!
    reason: String!
    decidedAt: DateTime!
  }

  type DexQuote { dex: Dex!  amountOut: Decimal!  fee: Decimal!  priceImpactBps: Int! }

  type OrderEvent {
    orderId: ID!
    seq: Int!
    status: OrderStatus!
    attempt: Int!
    message: String
    at: DateTime!
  }

  type OrderConnection { edges: [OrderEdge!]! pageInfo: PageInfo! }
  type OrderEdge { cursor: String! node: Order! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }

  type Query {
    order(id: ID!): Order
    orders(first: Int, after: String, status: OrderStatus): OrderConnection!
    simulatedSwaps(orderId: ID!): [SimulatedSwap!]!
  }

  type Subscription {
    orderStatus(orderId: ID!): OrderEvent!
  }

  type SimulatedSwap { signature: String!  dex: Dex!  amountIn: Decimal!  amountOut: Decimal!  at: DateTime! }
`;

const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

type Fielded = { getFields(): Record<string, GraphQLField<unknown, unknown>> };
const argumentsOf = (field: GraphQLField<unknown, unknown>) => Object.fromEntries(field.args.map((a) => [a.name, String(a.type)]));

/** What of `fixed` is missing or different in `actual`, as readable lines; empty when it conforms. */
function departures(fixed: GraphQLNamedType, actual: GraphQLNamedType | undefined): string[] {
  const name = fixed.name;
  if (!actual) return [`${name} is missing`];
  const kind = (t: GraphQLNamedType) => t.constructor.name;
  if (kind(fixed) !== kind(actual)) return [`${name} is a ${kind(actual)}, not a ${kind(fixed)}`];
  const problems: string[] = [];
  if (isEnumType(fixed) && isEnumType(actual)) {
    const values = new Set(actual.getValues().map((v) => v.name));
    for (const value of fixed.getValues()) if (!values.has(value.name)) problems.push(`${name}.${value.name} is missing`);
  }
  if (isUnionType(fixed) && isUnionType(actual)) {
    const members = new Set(actual.getTypes().map((t) => t.name));
    for (const member of fixed.getTypes()) if (!members.has(member.name)) problems.push(`${name} lacks member ${member.name}`);
  }
  if (isInputObjectType(fixed) && isInputObjectType(actual)) {
    const fields = actual.getFields();
    for (const field of Object.values(fixed.getFields())) {
      const found = fields[field.name];
      if (!found) problems.push(`${name}.${field.name} is missing`);
      else if (String(found.type) !== String(field.type)) problems.push(`${name}.${field.name} is ${found.type}, not ${field.type}`);
    }
  }
  if ((isObjectType(fixed) || isInterfaceType(fixed)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const interfaces = new Set(actual.getInterfaces().map((i) => i.name));
    for (const i of fixed.getInterfaces()) if (!interfaces.has(i.name)) problems.push(`${name} does not implement ${i.name}`);
    const fields = (actual as Fielded).getFields();
    for (const field of Object.values((fixed as Fielded).getFields())) {
      const found = fields[field.name];
      if (!found) {
        problems.push(`${name}.${field.name} is missing`);
        continue;
      }
      if (String(found.type) !== String(field.type)) problems.push(`${name}.${field.name} is ${found.type}, not ${field.type}`);
      const actualArgs = argumentsOf(found);
      for (const [arg, type] of Object.entries(argumentsOf(field))) {
        if (actualArgs[arg] !== type) problems.push(`${name}.${field.name}(${arg}) is ${actualArgs[arg] ?? 'missing'}, not ${type}`);
      }
    }
  }
  return problems;
}

const userTypes = (schema: GraphQLSchema) =>
  Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && !(isScalarType(t) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(t.name)));

describe('schema.graphql', () => {
  it('is exactly the schema the code builds (run `npm run codegen` after changing it)', () => {
    expect(committed).toBe(printedSchema());
  });

  it('keeps every type, field, argument, enum value and union member the contract fixes, with the same types', () => {
    const contract = buildSchema(CONTRACT_SDL);
    const schema = buildSchema(committed);

    const problems = userTypes(contract).flatMap((fixed) => departures(fixed, schema.getType(fixed.name) ?? undefined));

    expect(problems).toEqual([]);
    expect(schema.getQueryType()?.name).toBe('Query');
    expect(schema.getMutationType()?.name).toBe('Mutation');
    expect(schema.getSubscriptionType()?.name).toBe('Subscription');
  });

  it('finds a departure from the contract when there is one (the check above can fail)', () => {
    const renamed = buildSchema(CONTRACT_SDL.replace('txSignature: String', 'signature: String').replace('seq: Int!', 'seq: Int'));
    const problems = userTypes(buildSchema(CONTRACT_SDL)).flatMap((fixed) => departures(fixed, renamed.getType(fixed.name) ?? undefined));
    expect(problems).toEqual(['Order.txSignature is missing', 'OrderEvent.seq is Int, not Int!']);
  });
});
