// Operations that clients send again run as JavaScript compiled for their document (graphql-jit),
// not through the generic executor, which walks the selection set and looks each field up again
// for every object it completes: a page of 50 orders costs the API about half the CPU (in-process
// through yoga.fetch, 610-720 → 280-350 µs a request). A subscription's every event is such an
// execution too: with 10,000 orderStatus subscribers, compiled events save the API about a fifth
// of its CPU per delivery (bench/delivery-cost.ts).
import { useGraphQlJit } from '@envelop/graphql-jit';
import {
  createSourceEventStream,
  getLocation,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  isObjectType,
  Kind,
  subscribe,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type SourceLocation,
} from 'graphql';
// graphql-js's own mapping of a subscription's source stream to results, as its `subscribe` uses it
import { mapAsyncIterator } from 'graphql/execution/mapAsyncIterator.js';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { Counter, type Registry } from 'prom-client';

/**
 * Compiles a document on its second execution (for a subscription, its second subscribe), so that
 * a client sending a new document every time never makes the API compile (milliseconds each); a
 * compiled document lives as long as Yoga's parse cache keeps its DocumentNode. Stay on
 * graphql-js:
 * - a document of several operations: the plugin keeps one compiled operation per document,
 *   whichever operationName a later request names;
 * - a request whose variables do not coerce: graphql-js answers it (HTTP 400, the scalar's own
 *   message), where the compiled query would answer 200 with a message of its own;
 * - a subscription's source stream: graphql-jit 0.8 hands the subscription field's `subscribe`
 *   the operation's variables in place of the field's arguments (graphql-jit issue #183), which
 *   works only while every variable is named after its argument. graphql-js opens the stream;
 *   only its events run compiled.
 * With `metrics`, `graphql_compiled_operations_total` counts the documents compiled, by operation
 * name.
 */
export function useCompiledRepeatedOperations(metrics?: Registry): Plugin {
  // 'once' after a document's first execution, then its operation if it runs compiled, or false
  const decisions = new WeakMap<DocumentNode, 'once' | OperationDefinitionNode | false>();
  const compiled = metrics
    ? new Counter({
        name: 'graphql_compiled_operations_total',
        help: 'Documents compiled by graphql-jit on their second execution, by operation name',
        labelNames: ['operationName'],
        registers: [metrics],
      })
    : undefined;

  /** The document's operation once it runs compiled (from its second execution), else false. */
  const compiledOperation = (schema: GraphQLSchema, document: DocumentNode): OperationDefinitionNode | false => {
    let decided = decisions.get(document);
    if (decided === undefined) {
      decisions.set(document, 'once');
      return false;
    }
    if (decided === 'once') {
      const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      decided = operations.length === 1 && !fieldOrderDiffers(schema, document) ? operations[0]! : false;
      decisions.set(document, decided);
      if (decided) compiled?.inc({ operationName: decided.name?.value ?? 'Anonymous' });
    }
    return decided;
  };

  const jit = useGraphQlJit(
    {},
    {
      // a query or mutation: only when its variables coerce. A subscription needs no such check:
      // createSourceEventStream refuses them exactly as graphql-js does, before any event runs.
      enableIf: ({ schema, document, variableValues }) => {
        const operation = compiledOperation(schema, document);
        if (!operation) return false;
        return !operation.variableDefinitions?.length || !getVariableValues(schema, operation.variableDefinitions, variableValues ?? {}).errors;
      },
    },
  );
  const events = compiledEvents();
  return {
    // the compiled query's result, shaped as graphql-js shapes it
    onExecute: (payload) =>
      jit.onExecute?.({
        ...payload,
        setExecuteFn: (execute) =>
          payload.setExecuteFn(async (args) => {
            const result = await execute(args);
            return Symbol.asyncIterator in result ? result : asGraphQLJs(args.document, result);
          }),
      }),
    onSubscribe: ({ args, setSubscribeFn }) => {
      if (compiledOperation(args.schema, args.document)) setSubscribeFn(events);
    },
  };
}

/**
 * `subscribe` as graphql-js runs it, but each event executed by the document's compiled query:
 * the source stream comes from graphql-js's `createSourceEventStream` (the field's arguments, and
 * its errors, exactly as graphql-js makes them).
 */
function compiledEvents(): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const queries = new WeakMap<DocumentNode, CompiledQuery['query'] | null>();
  const queryOf = ({ schema, document, operationName }: ExecutionArgs) => {
    let query = queries.get(document);
    if (query === undefined) {
      const result = compileQuery(schema, document, operationName ?? undefined);
      query = isCompiledQuery(result) ? result.query : null;
      queries.set(document, query);
    }
    return query;
  };
  return async (args) => {
    const query = queryOf(args);
    // a document graphql-jit cannot compile runs on graphql-js, as a first subscribe does
    if (!query) return subscribe(args);
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream;
    return mapAsyncIterator(stream, async (payload) => asGraphQLJs(args.document, await query(payload, args.contextValue, args.variableValues)));
  };
}

/**
 * A compiled query's result as graphql-js would answer: `errors` before `data`, and each field's
 * error carrying the field's nodes in the document. graphql-jit 0.8 gives its errors locations but
 * no nodes, and Yoga rebuilds every error it sends from its nodes, so a repeat's errors lost their
 * place in GraphiQL and a client's snapshot of the answer changed.
 */
function asGraphQLJs(document: DocumentNode, result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  const errors = result.errors.map((error) =>
    error.nodes || !error.path
      ? error
      : new GraphQLError(error.message, { nodes: fieldNodesAt(document, error.path, error.locations), path: error.path, originalError: error.originalError, extensions: error.extensions }),
  );
  return result.extensions ? { errors, data: result.data, extensions: result.extensions } : { errors, data: result.data };
}

/**
 * Whether graphql-jit 0.8 would give some object's fields in another order than graphql-js, so
 * that the document must stay on graphql-js. graphql-js collects a selection set's fields in
 * document order, stepping into each fragment where it stands; graphql-jit takes a set's own
 * fields first and its fragments after, from a stack (the last first). So `...OrderFields status`
 * or `... on Error { message } ... on ValidationError { fieldErrors }` would come out reordered.
 * Both orders are worked out for every selection set and every object type it may stand for.
 */
function fieldOrderDiffers(schema: GraphQLSchema, document: DocumentNode): boolean {
  const fragments = fragmentsOf(document);
  const applies = (condition: string | undefined, object: GraphQLObjectType): boolean => {
    if (condition === undefined || condition === object.name) return true;
    const type = schema.getType(condition);
    return type !== undefined && isAbstractType(type) && schema.isSubType(type, object);
  };
  /** a fragment's selection set, if it applies to `object` and was not spread already */
  const entered = (selection: SelectionNode, object: GraphQLObjectType, spread: Set<string>): SelectionSetNode | null => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return applies(selection.typeCondition?.name.value, object) ? selection.selectionSet : null;
    if (selection.kind !== Kind.FRAGMENT_SPREAD || spread.has(selection.name.value)) return null;
    spread.add(selection.name.value);
    const fragment = fragments.get(selection.name.value);
    return fragment && applies(fragment.typeCondition.name.value, object) ? fragment.selectionSet : null;
  };
  const inGraphQLJsOrder = (set: SelectionSetNode, object: GraphQLObjectType, spread = new Set<string>(), into: FieldNode[] = []): FieldNode[] => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) into.push(selection);
      else {
        const inner = entered(selection, object, spread);
        if (inner) inGraphQLJsOrder(inner, object, spread, into);
      }
    }
    return into;
  };
  const inGraphQLJitOrder = (set: SelectionSetNode, object: GraphQLObjectType): FieldNode[] => {
    const into: FieldNode[] = [];
    const spread = new Set<string>();
    const stack = [set];
    for (let next = stack.pop(); next; next = stack.pop()) {
      for (const selection of next.selections) {
        if (selection.kind === Kind.FIELD) into.push(selection);
        else {
          const inner = entered(selection, object, spread);
          if (inner) stack.push(inner);
        }
      }
    }
    return into;
  };
  const typeInfo = new TypeInfo(schema);
  let differs = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // graphql-js leaves a skipped field or fragment out as it collects (a skipped spread is not
      // even marked as seen), graphql-jit keeps it and checks at run time, sharing that check
      // between every use of a fragment: answers differed, fields lost among them
      Directive(node) {
        if (node.name.value === 'skip' || node.name.value === 'include') differs = true;
      },
      SelectionSet(node) {
        const parent = typeInfo.getParentType();
        // a set without fragments is collected alike
        if (differs || !parent || node.selections.every((selection) => selection.kind === Kind.FIELD)) return;
        for (const object of isObjectType(parent) ? [parent] : schema.getPossibleTypes(parent)) {
          const [js, jit] = [inGraphQLJsOrder(node, object), inGraphQLJitOrder(node, object)];
          if (js.length !== jit.length || js.some((field, i) => field !== jit[i])) differs = true;
        }
      },
    }),
  );
  return differs;
}

/** The document's fragment definitions, by name. */
function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return fragments;
}

/**
 * The field nodes that a response path names in the document's operation (through fragments and
 * aliases), of those at the `locations` graphql-jit gave (a key may stand in fragments on other
 * types, which graphql-js does not name).
 */
function fieldNodesAt(document: DocumentNode, path: readonly (string | number)[], locations: readonly SourceLocation[] = []): FieldNode[] {
  const fragments = fragmentsOf(document);
  let sets = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION).map((d) => d.selectionSet);
  let fields: FieldNode[] = [];
  for (const key of path) {
    if (typeof key === 'number') continue;
    fields = [];
    // a fragment spread twice names its fields once, as graphql-js collects them
    const spread = new Set<string>();
    const collect = (set: SelectionSetNode): void => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if ((selection.alias ?? selection.name).value === key && !fields.includes(selection)) fields.push(selection);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
        else if (!spread.has(selection.name.value)) {
          spread.add(selection.name.value);
          const fragment = fragments.get(selection.name.value);
          if (fragment) collect(fragment.selectionSet);
        }
      }
    };
    sets.forEach(collect);
    sets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  if (locations.length === 0) return fields;
  return fields.filter((field) => {
    if (!field.loc) return true;
    const { line, column } = getLocation(field.loc.source, field.loc.start);
    return locations.some((location) => location.line === line && location.column === column);
  });
}
