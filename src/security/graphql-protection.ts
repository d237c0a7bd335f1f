// Yoga plugins that bound what one request may ask for. They hook parse and validate, which the
// WebSocket path (server.ts) goes through as well, so the limits hold on every transport.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecuritySettings } from '../config.js';

export type ProtectionSettings = Pick<
  SecuritySettings,
  'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxCost' | 'maxDirectives' | 'introspection'
>;

/** The header a browser client must send on requests that skip the CORS preflight (GET, forms). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/** The code of every error of a limit below, so a client can tell them from its own mistakes. */
export const LIMIT_ERROR_CODE = 'QUERY_LIMIT_EXCEEDED';

/**
 * Armor throws the first limit it finds, which ends validation as an unexpected failure (HTTP 200,
 * no code). Reported instead, each limit is an ordinary validation error: HTTP 400, every limit
 * that was hit listed, a code, and graphql-ws gets them from validate() like any other.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: LIMIT_ERROR_CODE } })),
  ],
};

export function graphqlProtectionPlugins(settings: ProtectionSettings): Plugin[] {
  const plugins: Plugin[] = [
    // depth, aliases, tokens, cost and directives are checked before any resolver or database
    // work; the errors say which limit was hit (exposeLimits) so an honest client can adapt
    EnvelopArmorPlugin({
      maxDepth: { n: settings.maxDepth, ignoreIntrospection: true, exposeLimits: true, ...asValidationError },
      maxAliases: { n: settings.maxAliases, exposeLimits: true, ...asValidationError },
      // counted by the parser, before there is a document to validate: this one is thrown (HTTP 400)
      maxTokens: { n: settings.maxTokens, exposeLimits: true },
      costLimit: { maxCost: settings.maxCost, ignoreIntrospection: true, exposeLimits: true, ...asValidationError },
      maxDirectives: { n: settings.maxDirectives, exposeLimits: true, ...asValidationError },
      // "Did you mean ...?" would map the schema for someone who cannot introspect it
      blockFieldSuggestion: { enabled: !settings.introspection },
    }),
    // A browser sends a GET or a form POST cross-site without a preflight; such requests must carry
    // a header that a page cannot add without one. Authorization is such a header (not
    // CORS-safelisted), and the key is read from nowhere else: a browser never sends it on its own
    // (no cookie carries it), so a page that can send it holds the key and could do anything with
    // it anyway. A client's GET with its key therefore passes: urql sends queries as GET by
    // default. JSON POSTs, which every GraphQL client sends, pass as they are.
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER, 'authorization'] }),
  ];
  // Not @graphql-yoga/plugin-disable-introspection: it decides per HTTP request in onRequestParse,
  // which graphql-ws operations never pass through, so they could still introspect.
  if (!settings.introspection) plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  return plugins;
}
