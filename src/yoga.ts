// Builds the GraphQL app (HTTP, SSE, GraphiQL). It never listens: server.ts does.
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { SecuritySettings } from './config.js';
import { createContextFactory, type AppServices, type GraphQLContext, type TransportContext } from './context.js';
import { buildSchema } from './schema/index.js';
import { graphqlProtectionPlugins } from './security/graphql-protection.js';

export interface YogaOptions {
  /** answers whether PostgreSQL and Redis respond; /ready is 200 only when it resolves true */
  ready: () => Promise<boolean>;
  /** query limits, introspection, GraphiQL and the body size limit (config.ts) */
  security: SecuritySettings;
}

export type YogaApp = YogaServerInstance<TransportContext, GraphQLContext>;

export function createYogaApp(services: AppServices, options: YogaOptions): YogaApp {
  const { security } = options;
  return createYoga<TransportContext, GraphQLContext>({
    schema: buildSchema(),
    // authenticates every operation; GraphiQL's page (GET text/html) is served before it and needs no key
    context: createContextFactory(services),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    // unexpected errors reach clients as "Unexpected error." with no stack or SQL
    maskedErrors: true,
    // a larger body is refused with 413 before it is read whole (Content-Length, or counted as it streams)
    maxRequestBodySize: security.maxRequestBytes,
    // GraphiQL subscribes over SSE: its headers tab (with the key) goes with every request, whereas over
    // WebSocket it would have to go in connectionParams, which GraphiQL cannot fill in
    graphiql: security.graphiql ? { subscriptionsProtocol: 'GRAPHQL_SSE', title: 'DEX order engine', headers: GRAPHIQL_HEADERS } : false,
    landingPage: false,
    plugins: [useReadinessCheck({ endpoint: '/ready', check: options.ready }), ...graphqlProtectionPlugins(security)],
  });
}

/** Pre-filled in GraphiQL's headers tab: paste the key that `npm start` or `npm run keys:create` printed. */
const GRAPHIQL_HEADERS = JSON.stringify({ Authorization: 'Bearer <paste your API key here>' }, null, 2);
