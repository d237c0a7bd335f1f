// Builds the GraphQL app (HTTP, SSE, GraphiQL). It never listens: server.ts does.
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { createContextFactory, type AppServices, type GraphQLContext } from './context.js';
import { buildSchema } from './schema/index.js';

export interface YogaOptions {
  /** answers whether PostgreSQL and Redis respond; /ready is 200 only when it resolves true */
  ready: () => Promise<boolean>;
  /** GraphiQL at GET /graphql; default true */
  graphiql?: boolean;
}

export type YogaApp = YogaServerInstance<Record<string, never>, GraphQLContext>;

export function createYogaApp(services: AppServices, options: YogaOptions): YogaApp {
  const context = createContextFactory(services);
  return createYoga<Record<string, never>, GraphQLContext>({
    schema: buildSchema(),
    context,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    // unexpected errors reach clients as "Unexpected error." with no stack or SQL
    maskedErrors: true,
    graphiql: options.graphiql === false ? false : { subscriptionsProtocol: 'WS', title: 'DEX order engine' },
    landingPage: false,
    plugins: [useReadinessCheck({ endpoint: '/ready', check: options.ready })],
  });
}
