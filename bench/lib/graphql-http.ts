// GraphQL over HTTP keep-alive for the load generators: node:http with a pooled agent (lighter
// on the shared CPU than fetch), bodies serialized once by the caller, the API key on every request.
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

export class GraphQLHttp {
  private readonly agent: http.Agent;
  private readonly target: URL;
  private readonly headers: Record<string, string>;

  constructor(url: string, key: string, maxSockets: number) {
    this.target = new URL(url);
    // With an agent timeout set, Node also honours the server's `Keep-Alive: timeout=5` hint and
    // drops an idle socket a second before the server would, instead of reusing a closing one.
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo', timeout: 60_000 });
    this.headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` };
  }

  /**
   * POSTs a JSON body (`{"query": …, "variables": …}`) and reads the whole answer. A request on a
   * keep-alive connection the server closed just as it was reused (ECONNRESET) is sent once more
   * on a new connection: bodies must be safe to repeat (the bench's orders carry a clientOrderId).
   */
  async post(body: string): Promise<HttpAnswer> {
    try {
      return await this.send(body);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ECONNRESET' && code !== 'EPIPE') throw error;
      return this.send(body, false);
    }
  }

  /** `agent` false: on a connection of its own (the retry must not meet another stale socket). */
  private send(body: string, pooled = true): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: pooled ? this.agent : false,
          host: this.target.hostname,
          port: this.target.port,
          path: this.target.pathname,
          method: 'POST',
          headers: { ...this.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  /** The `data` of a query, or an error naming what came back instead. */
  async data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const answer = await this.post(JSON.stringify({ query, variables }));
    const parsed = JSON.parse(answer.body) as { data?: T; errors?: unknown[] };
    if (answer.status !== 200 || parsed.errors?.length || !parsed.data) throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
    return parsed.data;
  }

  close(): void {
    this.agent.destroy();
  }
}
