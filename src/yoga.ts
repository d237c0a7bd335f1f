// Builds the GraphQL app (HTTP, SSE, GraphiQL). It never listens: server.ts does.
import { createHistogram, usePrometheus, type FillLabelsFnParams } from '@graphql-yoga/plugin-prometheus';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, subscribe } from 'graphql';
import { createYoga, maskError, useReadinessCheck, type MaskError, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { Counter, type Registry } from 'prom-client';
import type { SecuritySettings } from './config.js';
import { yogaLogger, type Logger } from './observability/logger.js';
import { useCompiledRepeatedOperations } from './compiled-execution.js';
import { createContextFactory, principalOf, ServiceUnavailableGraphQLError, UnauthenticatedError, type AppServices, type GraphQLContext, type TransportContext } from './context.js';
import { LiveEventsUnavailableError } from './engine/order-events.js';
import { isStoreUnavailable } from './engine/store-availability.js';
import type { Readiness } from './runtime.js';
import { buildSchema } from './schema/index.js';
import { useStaticFiles } from './static-files.js';
import { graphqlProtectionPlugins } from './security/graphql-protection.js';
import { useRequestBodyLimit } from './security/request-body-limit.js';

export interface YogaOptions {
  /** whether PostgreSQL and Redis respond; /ready is 200 only when both do, and its body says which did */
  ready: () => Promise<Readiness>;
  /** query limits, introspection, GraphiQL and the body size limit (config.ts) */
  security: SecuritySettings;
  /** GET /metrics serves this registry, with GraphQL operation metrics added to it; default no /metrics */
  metrics?: Registry;
  /** the order desk's built files, served at `/`; default none */
  webRoot?: string;
  /** where Yoga logs (each error it masks, at error level); default its own console logger */
  logger?: Logger;
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
    maskedErrors: { maskError: maskUnlessStoreUnavailable },
    ...(options.logger ? { logging: yogaLogger(options.logger) } : {}),
    // a larger body is refused with 413 before it is read whole (Content-Length, or counted as it
    // streams), by useRequestBodyLimit rather than Yoga's own limit (see its file for why)
    maxRequestBodySize: false,
    // GraphiQL subscribes over SSE: its headers tab (with the key) goes with every request, whereas over
    // WebSocket it would have to go in connectionParams, which GraphiQL cannot fill in
    graphiql: security.graphiql ? { subscriptionsProtocol: 'GRAPHQL_SSE', title: 'DEX order engine', headers: GRAPHIQL_HEADERS } : false,
    // GraphiQL's page carries its scripts (The Guild's own bundle), where Yoga's default loads
    // them from unpkg.com: it then works without internet access, and no third party's script
    // runs in the page that holds the user's API key
    renderGraphiQL,
    landingPage: false,
    plugins: [
      useKeyCheckedFirst(services, options.metrics),
      useParseFailureCodeOnEveryTransport(),
      useSubscriptionEventsOnGraphQLJs(),
      useCompiledRepeatedOperations(options.metrics),
      useReadinessCheckOnItsPath('/ready', options.ready),
      useRequestBodyLimit(security.maxRequestBytes),
      ...graphqlProtectionPlugins(security),
      ...endpointPlugins(options),
      // after Yoga's own parsers, which it asks in turn
      useUnsupportedMediaTypeError(),
    ],
  });
}

/**
 * An HTTP request's key is checked before its document is parsed, validated or costed: a caller
 * without a valid key learns nothing of the schema from validation errors, spends no CPU on the
 * document, and adds no operation name to /metrics (a review's 20,000 requests without a key,
 * each named anew, made /metrics 93 MB, a scrape 6 s and the process 1.9 GB). WebSockets are
 * checked at connection_init.
 */
function useKeyCheckedFirst(services: AppServices, metrics?: Registry): Plugin {
  // such a request never reaches the operation metrics, which start at parsing: counted here
  const refused = metrics
    ? new Counter({ name: 'graphql_unauthenticated_requests_total', help: 'HTTP requests to /graphql refused for a missing, wrong or revoked key (401)', registers: [metrics] })
    : undefined;
  return {
    onParams: ({ request }) =>
      principalOf(services.accounts, { request }).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof UnauthenticatedError) refused?.inc();
          throw error;
        },
      ),
  };
}

/**
 * Yoga gives a syntax error its code (GRAPHQL_PARSE_FAILED) and HTTP 400 in a hook that skips a
 * request without an HTTP request, as graphql-ws operations are, and its parser cache then keeps
 * that error object for the same text on every transport. A text first sent over graphql-ws was
 * refused there with no code, and over HTTP afterwards with no code and 200. Set here, on the
 * error itself as Yoga does, whichever transport parses it first.
 */
function useParseFailureCodeOnEveryTransport(): Plugin {
  return {
    onParse:
      () =>
      ({ result }) => {
        if (!(result instanceof GraphQLError)) return;
        const extensions = result.extensions as Record<string, unknown> & { http?: { spec?: boolean; status?: number } };
        extensions.code ??= 'GRAPHQL_PARSE_FAILED';
        extensions.http ??= {};
        extensions.http.spec ??= true;
        extensions.http.status ??= 400;
      },
  };
}

/**
 * Yoga's masking, except for PostgreSQL out of reach while a field is read (an order, a page of
 * orders, the order a subscription follows), or Redis while a subscription starts: that is no bug
 * to hide but SERVICE_UNAVAILABLE, which tells the client to retry, as the key check and the
 * mutation already answer. Masked, a client that resubscribed as an API restarted got
 * "Unexpected error." and gave up.
 */
const maskUnlessStoreUnavailable: MaskError = (error, message, isDev) => {
  const original = error instanceof GraphQLError ? error.originalError : error;
  const at = error instanceof GraphQLError ? error : undefined;
  if (original instanceof LiveEventsUnavailableError) return new ServiceUnavailableGraphQLError(at, 'Redis (live events)');
  if (original && !(original instanceof GraphQLError) && isStoreUnavailable(original)) return new ServiceUnavailableGraphQLError(at);
  return maskError(error, message, isDev);
};

/**
 * A subscription's first subscribe with a document runs on graphql-js's `subscribe`, which
 * executes each event with a plain `execute` (later ones run their events compiled:
 * compiled-execution.ts).
 * Yoga's default executor passes every event of every subscriber through an async generator of
 * its own and a flattening iterator (there for @defer/@stream, which this schema does not use):
 * with 10,000 orderStatus subscribers and bursts of events, that was a fifth of the API's CPU per
 * delivery (87 → 70 µs) and an eighth of what it allocates (24 → 21 KB). Queries and mutations
 * keep Yoga's executor; plugins, context and error masking apply to subscriptions as before.
 */
function useSubscriptionEventsOnGraphQLJs(): Plugin {
  return { onSubscribe: ({ setSubscribeFn }) => setSubscribeFn(subscribe) };
}

/**
 * A body of a type no parser reads (a `text/plain` POST) is answered 415 as before, but with a
 * GraphQL error saying what to send, where Yoga's answer had an empty body a client cannot parse.
 */
function useUnsupportedMediaTypeError(): Plugin {
  return {
    onRequestParse: ({ request, requestParser, setRequestParser, fetchAPI }) => {
      if (requestParser) return;
      const type = request.headers.get('content-type') ?? 'none';
      const error = { message: `cannot read a body of content type ${type}: send application/json`, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } };
      setRequestParser(() => fetchAPI.Response.json({ errors: [error] }, { status: 415 }));
    },
  };
}

/**
 * Yoga's readiness check, consulted only for its own path. For every other request (each
 * mutation, each query) the plugin would end by testing a URLPattern, which Node 20 runs as a
 * polyfill: 2.6 µs a test in a loop, and 2 % of the API's samples in a CPU profile of mutations.
 */
function useReadinessCheckOnItsPath(endpoint: string, ready: () => Promise<Readiness>): Plugin {
  const plugin = useReadinessCheck({
    endpoint,
    // {"postgres":"up","redis":"down"}: which dependency to look at, without any error's text
    check: async ({ fetchAPI }) => {
      const readiness = await ready();
      const body = Object.fromEntries(Object.entries(readiness).map(([name, up]) => [name, up ? 'up' : 'down']));
      const status = Object.values(readiness).every(Boolean) ? 200 : 503;
      return fetchAPI.Response.json(body, { status });
    },
  });
  return { ...plugin, onRequest: (payload) => (payload.url.pathname === endpoint ? plugin.onRequest?.(payload) : undefined) };
}

/**
 * The plugin's HTTP histogram without its `url` label: a URL carries the host, and on GET the
 * whole query, so it would make a new series per distinct request.
 */
function httpDuration(registry: Registry) {
  return createHistogram<'request', string, FillLabelsFnParams & { request: Request; response: Response }>({
    registry,
    phases: ['request'],
    histogram: {
      name: 'graphql_yoga_http_duration',
      help: 'Time spent on HTTP requests to /graphql, by operation and response status',
      labelNames: ['operationName', 'operationType', 'method', 'statusCode'],
    },
    fillLabelsFn: (params, { request, response }) => ({
      operationName: params.operationName ?? 'Anonymous',
      operationType: params.operationType ?? 'unknown',
      method: request.method,
      statusCode: response.status,
    }),
  });
}

/**
 * /metrics (the process's registry plus the Yoga plugin's operation counts, phase durations and
 * error results by operation name and type) and the desk at `/`: requests Yoga answers besides GraphQL.
 */
function endpointPlugins({ metrics, webRoot }: YogaOptions): Plugin[] {
  const plugins: Plugin[] = [];
  if (metrics) {
    plugins.push(
      usePrometheus({
        registry: metrics,
        endpoint: '/metrics',
        metrics: {
          graphql_yoga_http_duration: httpDuration(metrics),
          // Off: the schema deprecates nothing, yet counting deprecated fields walked every
          // request's document with a TypeInfo (2 % of the API's CPU in the engine benchmark);
          // and the summary repeats graphql_envelop_request_duration at a t-digest per request.
          graphql_envelop_deprecated_field: false,
          graphql_envelop_request_time_summary: false,
        },
      }),
    );
  }
  if (webRoot) plugins.push(useStaticFiles({ root: webRoot, missingIndex: 'The order desk is not built yet: run `npm run build:web` (npm start does it for you).\n' }));
  return plugins;
}

/** Pre-filled in GraphiQL's headers tab: paste the key that `npm start` or `npm run keys:create` printed. */
const GRAPHIQL_HEADERS = JSON.stringify({ Authorization: 'Bearer <paste your API key here>' }, null, 2);
