// Yoga plugins that bound what one request may ask for. They hook parse and validate, which the
// WebSocket path (server.ts) goes through as well, so the limits hold on every transport.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { BREAK, getOperationAST, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, validate, visit, type ArgumentNode, type DocumentNode, type FieldNode, type IntValueNode, type OperationDefinitionNode, type ValidationContext, type VariableNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { SecuritySettings } from '../config.js';
import { ORDERS_PAGE_DEFAULT, ORDERS_PAGE_MAX } from '../resolvers/orders.js';

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
    useCostOfPagesByTheirRows(settings.maxCost),
  ];
  // Not @graphql-yoga/plugin-disable-introspection: it decides per HTTP request in onRequestParse,
  // which graphql-ws operations never pass through, so they could still introspect.
  if (!settings.introspection) plugins.push({ onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) });
  return plugins;
}

/**
 * Armor's cost counts a page's rows from a literal `first`/`last` only: `orders(first: $n)`, as a
 * typed client writes it, was costed as one row, so a page of 100 with every order's decisions and
 * events, refused when written inline, was served. Validation runs without the variables (and is
 * cached per document), so this costs the operation again as it executes, each `first`/`last`
 * given as a variable replaced by its value, and a page given no size by the default one (Armor
 * counted it as one row too), and refuses it as validation would have.
 */
function useCostOfPagesByTheirRows(maxCost: number): Plugin {
  const rule = costLimitRule({ maxCost, ignoreIntrospection: true, exposeLimits: true, ...asValidationError });
  // whether a document has such a page at all, once per document (Yoga reuses a text's parse)
  const hasSuchPage = new WeakMap<DocumentNode, boolean>();
  return {
    onExecute: ({ args, setResultAndStopExecution }) => {
      let found = hasSuchPage.get(args.document);
      if (found === undefined) hasSuchPage.set(args.document, (found = hasPageSizedAtExecution(args.document)));
      if (!found) return;
      // the operation that runs, alone: another one's defaults or pages are not this request's
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const document = withPageSizesOf(args.document, operation, args.variableValues ?? {});
      if (document === undefined) return;
      const errors = validate(args.schema, document, [rule]);
      if (errors.length === 0) return;
      // as Yoga marks a validation error (spec: 400 under application/graphql-response+json, 200
      // under plain application/json), so that the page is answered as the inline one is
      setResultAndStopExecution({
        errors: errors.map((error) => new GraphQLError(error.message, { extensions: { ...error.extensions, http: { spec: true, status: 400 } } })),
      });
    },
  };
}

const isPageSize = (argument: ArgumentNode) => argument.name.value === 'first' || argument.name.value === 'last';

/** A `first` or `last` given as a variable. */
const isPageSizeVariable = (node: ArgumentNode): node is ArgumentNode & { value: VariableNode } => isPageSize(node) && node.value.kind === Kind.VARIABLE;

/** A page of orders given no `first` or `last`: it holds the default number of rows. */
const isUnsizedPage = (node: FieldNode) => node.name.value === 'orders' && !node.arguments?.some(isPageSize);

/** Whether Armor's cost at validation may have counted a page of `document` as one row. */
function hasPageSizedAtExecution(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Argument: (node) => (isPageSizeVariable(node) ? ((found = true), BREAK) : undefined),
    Field: (node) => (isUnsizedPage(node) ? ((found = true), BREAK) : undefined),
  });
  return found;
}

/**
 * `operation` and the document's fragments, each `first`/`last` given as a variable written as the
 * page size it asks for, and each page given no size written with the default one; undefined when
 * there is no such page.
 */
function withPageSizesOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Readonly<Record<string, unknown>>): DocumentNode | undefined {
  // a variable the request leaves out (not one it gives as null) takes the default this operation declares, if any
  const defaults = new Map<string, number>();
  for (const { variable, defaultValue } of operation.variableDefinitions ?? []) {
    if (defaultValue?.kind === Kind.INT) defaults.set(variable.name.value, Number(defaultValue.value));
  }
  const alone: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)] };
  const rows = (size: number): IntValueNode => ({ kind: Kind.INT, value: String(size) });
  const sized = visit(alone, {
    Argument: (node) => {
      if (!isPageSizeVariable(node)) return undefined;
      const name = node.value.name.value;
      // given as null, it is null and not the default (GraphQL's coercion): the page takes its own size
      const value = Object.hasOwn(variables, name) ? variables[name] : defaults.get(name);
      // the rows the page can hold: a larger size is served as the largest page (orders, the schema's one connection)
      return { ...node, value: rows(Number.isInteger(value) ? Math.min(value as number, ORDERS_PAGE_MAX) : ORDERS_PAGE_DEFAULT) };
    },
    Field: (node) =>
      isUnsizedPage(node) ? { ...node, arguments: [...(node.arguments ?? []), { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: rows(ORDERS_PAGE_DEFAULT) }] } : undefined,
  });
  return sized === alone ? undefined : sized;
}
