// Group commit: writes issued while earlier ones are on their way are sent together, as one
// statement, so hundreds of concurrent orders cost a few round trips and commits instead of
// hundreds. Each caller still gets its own answer (or the batch's error). Keyed reads use it
// the same way (the worker's order loads, the API's key lookups): one query for the lot.

export interface GroupCommitOptions {
  /** most items in one statement; default 200 */
  maxBatch?: number;
  /**
   * statements in flight at once; later items wait and go together in the next; default 1.
   * One is enough to keep PostgreSQL busy (a statement of 200 rows takes a few ms) and makes the
   * most of spread-out arrivals: at 500 orders/s, four in flight meant batches of one row, each
   * paying a statement and a commit of its own.
   */
  maxInFlight?: number;
  /**
   * How long a batch of fewer than `lingerBelow` items waits for more before it is written;
   * default 0: it goes at the next turn of the event loop. PostgreSQL's commit_delay, on the
   * client's side: where writes arrive a few at a time (an order's transitions, each a few
   * milliseconds after its last), a statement of one or two rows costs PostgreSQL and both
   * processes nearly what a statement of twenty does. A batch that reaches `lingerBelow` goes
   * at once.
   */
  lingerMs?: number;
  /** the batch size that ends a wait early; default 16 */
  lingerBelow?: number;
  /**
   * Whether a batch's error came from one item's own data (PostgreSQL refusing a value) rather
   * than from the store: then each item of the batch is written again alone, so that only that
   * item's caller gets the error, not everyone who happened to share its statement. Default:
   * never; every caller gets the batch's error.
   */
  isolate?: (error: unknown) => boolean;
}

interface Pending<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<In, Out> {
  private queue: Pending<In, Out>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private lingering: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly lingerMs: number;
  private readonly lingerBelow: number;
  private readonly isolate?: (error: unknown) => boolean;

  /** `write` gets a batch and answers one result per item, in order. */
  constructor(
    private readonly write: (items: In[]) => Promise<Out[]>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxInFlight = options.maxInFlight ?? 1;
    this.lingerMs = options.lingerMs ?? 0;
    this.lingerBelow = options.lingerBelow ?? 16;
    this.isolate = options.isolate;
  }

  submit(item: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    if (this.lingerMs > 0 && this.queue.length < this.lingerBelow) {
      if (this.scheduled || this.lingering) return;
      this.lingering = setTimeout(() => {
        this.lingering = undefined;
        void this.flush();
      }, this.lingerMs);
      return;
    }
    clearTimeout(this.lingering);
    this.lingering = undefined;
    if (this.scheduled) return;
    this.scheduled = true;
    // let every item issued in this turn of the event loop join the batch
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight++;
    try {
      const results = await this.write(batch.map((pending) => pending.item));
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (batch.length > 1 && this.isolate?.(error)) await this.writeAlone(batch);
      // each caller decides what an error means to it (the engine retries while the store is away)
      else for (const pending of batch) pending.reject(error);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async writeAlone(batch: Pending<In, Out>[]): Promise<void> {
    await Promise.all(
      batch.map(async (pending) => {
        try {
          const [result] = await this.write([pending.item]);
          pending.resolve(result!);
        } catch (error) {
          pending.reject(error);
        }
      }),
    );
  }
}
