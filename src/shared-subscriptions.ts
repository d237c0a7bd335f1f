// Subscribers that send the same subscription, with the same variables, for the same account,
// share one execution of it: each event is executed, passed through the plugins' hooks and kept
// once, and every subscriber of the group is handed the same result to send. With ten
// subscribers following each order, that is one execution per event instead of ten; what stays
// per subscriber is graphql-ws's message and the socket write.
//
// Only subscriptions that replay their whole history to every subscriber may share (orderStatus
// sends every event of the order from seq 1): a subscriber joining a running group is first
// handed the results the group has produced so far, which is what a subscription of its own
// would have sent it, and then the live ones, in the same order and without gaps.
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import { Counter } from 'prom-client';
import { registerOnce, type Registry } from './observability/registry.js';

type Outcome = AsyncIterable<ExecutionResult> | ExecutionResult;

export interface SubscribeArgs {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Readonly<Record<string, unknown>> | null;
}

/** One running execution of a subscription and everything it has produced so far. */
class SharedExecution {
  /** every result so far, in order: a member's position in it is all a member needs */
  readonly results: ExecutionResult[] = [];
  private ended = false;
  private failure?: { error: unknown };
  private upstream?: AsyncIterator<ExecutionResult>;
  private readonly members = new Set<Member>();

  constructor(private readonly forget: () => void) {}

  /** Pulls the execution's results as they come; members read them at their own pace. */
  async run(iterable: AsyncIterable<ExecutionResult>): Promise<void> {
    const upstream = (this.upstream = iterable[Symbol.asyncIterator]());
    try {
      for (;;) {
        const next = await upstream.next();
        if (next.done) break;
        this.results.push(next.value);
        this.wakeMembers();
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.ended = true;
      this.forget();
      this.wakeMembers();
    }
  }

  join(): Member {
    const member = new Member(this);
    this.members.add(member);
    return member;
  }

  leave(member: Member): void {
    this.members.delete(member);
    if (this.members.size > 0 || this.ended) return;
    // the last subscriber left: later ones start a fresh execution, and this one stops
    this.ended = true;
    this.forget();
    this.upstream?.return?.().catch(() => undefined);
  }

  /** What a member at `position` gets next: a result, the end, an error, or nothing yet. */
  read(position: number): IteratorResult<ExecutionResult> | { error: unknown } | undefined {
    if (position < this.results.length) return { value: this.results[position]!, done: false };
    if (this.failure) return this.failure;
    if (this.ended) return { value: undefined, done: true };
    return undefined;
  }

  private wakeMembers(): void {
    for (const member of this.members) member.wake();
  }
}

/** One subscriber's view of a shared execution: an async iterator over its results. */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private position = 0;
  private closed = false;
  private waiting?: { resolve: (result: IteratorResult<ExecutionResult>) => void; reject: (error: unknown) => void };

  constructor(private readonly execution: SharedExecution) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.wake();
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.close({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Settles a waiting next() if there is anything for it. */
  wake(): void {
    if (!this.waiting) return;
    if (this.closed) return this.close({ value: undefined, done: true });
    const read = this.execution.read(this.position);
    if (read === undefined) return;
    if ('error' in read) return this.close(read);
    if (read.done) return this.close(read);
    this.position++;
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve(read);
  }

  private close(last: IteratorResult<ExecutionResult> | { error: unknown }): void {
    if (!this.closed) {
      this.closed = true;
      this.execution.leave(this);
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if ('error' in last) waiting.reject(last.error);
    else waiting.resolve({ value: undefined, done: true });
  }
}

export class SharedSubscriptions {
  /** running executions by document, then by account, operation name and variables */
  private readonly running = new WeakMap<DocumentNode, Map<string, Promise<SharedExecution | ExecutionResult>>>();
  private readonly shareable = new WeakMap<DocumentNode, Map<string, boolean>>();

  private readonly counted?: Counter<'execution'>;

  /**
   * `replayingFields`: subscription fields that send every subscriber their whole history. With
   * `metrics`, `graphql_ws_subscriptions_total` counts subscriptions by whether they started an
   * execution or joined a running one.
   */
  constructor(
    private readonly replayingFields: ReadonlySet<string>,
    metrics?: Registry,
  ) {
    this.counted =
      metrics &&
      registerOnce(
        metrics,
        'shared-subscriptions',
        () =>
          new Counter({
            name: 'graphql_ws_subscriptions_total',
            help: 'Subscriptions over graphql-ws, by execution: started (an execution of its own) or joined (a running one of the same operation, variables and account)',
            labelNames: ['execution'],
            registers: [metrics],
          }),
      );
  }

  /**
   * The subscription of `args` for the account `scope`: joins the running execution of the same
   * operation, variables and account if there is one, else calls `start` and shares what it runs.
   * An outcome that is not a stream (an error result) goes to everyone who waited for the start.
   */
  async subscribe(args: SubscribeArgs, scope: string, start: () => Promise<Outcome> | Outcome): Promise<Outcome> {
    if (!this.isShareable(args.document, args.operationName ?? '')) {
      this.counted?.inc({ execution: 'started' });
      return start();
    }
    let byKey = this.running.get(args.document);
    if (!byKey) this.running.set(args.document, (byKey = new Map()));
    const key = `${scope}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`;
    let starting = byKey.get(key);
    if (!starting) {
      const forget = () => {
        if (byKey!.get(key) === starting) byKey!.delete(key);
      };
      starting = (async () => {
        try {
          const outcome = await start();
          if (!isAsyncIterable(outcome)) {
            forget();
            return outcome;
          }
          const execution = new SharedExecution(forget);
          void execution.run(outcome);
          return execution;
        } catch (error) {
          forget();
          throw error;
        }
      })();
      byKey.set(key, starting);
      this.counted?.inc({ execution: 'started' });
    } else {
      this.counted?.inc({ execution: 'joined' });
    }
    const execution = await starting;
    return execution instanceof SharedExecution ? execution.join() : execution;
  }

  private isShareable(document: DocumentNode, operationName: string): boolean {
    let byName = this.shareable.get(document);
    if (!byName) this.shareable.set(document, (byName = new Map()));
    let shareable = byName.get(operationName);
    if (shareable === undefined) {
      const operation = getOperationAST(document, operationName || undefined);
      shareable =
        operation?.operation === 'subscription' &&
        operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && this.replayingFields.has(selection.name.value));
      byName.set(operationName, shareable);
    }
    return shareable;
  }
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
