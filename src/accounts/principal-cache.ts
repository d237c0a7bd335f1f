// API keys already checked, kept in the process while PostgreSQL can tell it of every change to
// them. A trigger on api_keys and accounts (migration 20261201210000_api_key_change_notices)
// sends a NOTIFY with the key's hash when a key is revoked, changed or deleted, or an account
// changes; this process LISTENs on a connection of its own and drops what it hears of. So a
// revocation holds from the moment it commits, plus the notice's trip here (under a millisecond
// on one host), whoever revokes and however: `npm run keys:revoke`, another process, or SQL.
//
// Whenever that connection is not listening (not yet open, lost, reconnecting), nothing is
// served from the cache: every request reads PostgreSQL as if there were none.
import pg from 'pg';
import type { Principal } from './account-store.js';

/** The channel the trigger notifies: the payload is a key's hash, or empty for "anything may have changed". */
export const KEY_CHANGES_CHANNEL = 'api_key_changes';

/** Keys kept at most; past that the oldest go first. A key is 64 hex characters, a principal three ids. */
const MAX_ENTRIES = 10_000;
/** Wait before listening again after the connection was lost. */
const RECONNECT_MS = 1_000;

export class PrincipalCache {
  private readonly entries = new Map<string, Principal>();
  /** moves on every change heard, so that a lookup that raced with one keeps nothing */
  private generation = 0;
  private listener: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private reconnect: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string) {}

  /** The cached principal of a key hash; undefined when unknown or while not listening. */
  get(hash: string): Principal | undefined {
    this.start();
    return this.listening ? this.entries.get(hash) : undefined;
  }

  /** Marks the start of a lookup: pass it to `keep`, which then keeps its answer only if nothing changed meanwhile. */
  lookupStarted(): number {
    return this.generation;
  }

  keep(hash: string, principal: Principal, startedAt: number): void {
    if (!this.listening || startedAt !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, principal);
  }

  /** Forgets one key (a hash) or, without one, every key. */
  forget(hash?: string): void {
    this.generation++;
    if (hash) this.entries.delete(hash);
    else this.entries.clear();
  }

  /** True while changes are being heard, so that cached keys are served. */
  get live(): boolean {
    return this.listening;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnect);
    const listener = this.listener;
    this.stopped(listener);
    await listener?.end().catch(() => undefined);
  }

  /** Opens the listening connection, once: processes that never authenticate (workers, CLIs) never open it. */
  private start(): void {
    if (this.listener || this.closed || this.reconnect) return;
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5_000 });
    this.listener = client;
    client.on('notification', (notice) => this.forget(notice.payload || undefined));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN ${KEY_CHANGES_CHANNEL}`))
      .then(() => {
        if (this.listener !== client) return;
        // whatever changed while nobody listened is unknown: start empty
        this.forget();
        this.listening = true;
      })
      .catch(() => this.lost(client));
  }

  private lost(client: pg.Client): void {
    if (this.listener !== client) return;
    this.stopped(client);
    void client.end().catch(() => undefined);
    if (this.closed) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      this.start();
    }, RECONNECT_MS);
    this.reconnect.unref();
  }

  private stopped(client: pg.Client | null): void {
    if (this.listener === client) this.listener = null;
    this.listening = false;
    this.forget();
  }
}
