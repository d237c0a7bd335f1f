// A TCP proxy in front of a server, that a test can cut and restore: the real way to make
// PostgreSQL unreachable for a while without stopping the server other tests share.
import { once } from 'node:events';
import net from 'node:net';
import { onTestFinished } from 'vitest';

export interface TcpProxy {
  port: number;
  /** refuses new connections and drops every open one */
  cut(): Promise<void>;
  /** accepts connections again, on the same port (and forwards answers again) */
  restore(): Promise<void>;
  /**
   * Stops forwarding the server's answers (they are dropped), while requests still reach it: a
   * statement sent now runs and commits, and its caller waits for an answer that a `cut` then
   * turns into a lost connection.
   */
  dropAnswers(): void;
  /**
   * Drops everything both ways, connections staying open: a silent network partition, in which
   * no error ever reaches either side. `heal` forwards again; what was dropped stays lost.
   */
  blackhole(): void;
  heal(): void;
  /**
   * Stops moving bytes either way without losing any, connections staying open: a partition
   * shorter than TCP's retransmission timeout, after which everything sent meanwhile arrives, late.
   * `release` lets it through.
   */
  hold(): void;
  release(): void;
  /** `hold`s right after forwarding the first request chunk for which `match` is true; resolves then */
  holdAfter(match: (chunk: Buffer) => boolean): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let answering = true;
  let asking = true;
  let holding = false;
  let holdWhen: ((chunk: Buffer) => boolean) | undefined;
  let onHold = () => {};
  const hold = () => {
    holding = true;
    holdWhen = undefined;
    for (const socket of sockets) socket.pause();
    onHold();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      if (holding) socket.pause();
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      if (asking) upstream.write(chunk);
      if (holdWhen?.(chunk)) hold();
    });
    upstream.on('data', (chunk: Buffer) => answering && client.write(chunk));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  };
  onTestFinished(close);
  return {
    port,
    cut: close,
    dropAnswers() {
      answering = false;
    },
    blackhole() {
      answering = asking = false;
    },
    heal() {
      answering = asking = true;
    },
    // a paused socket is not read, so what is sent waits in the kernel's buffers
    hold,
    holdAfter(match) {
      holdWhen = match;
      return new Promise((resolve) => (onHold = resolve));
    },
    release() {
      holding = false;
      for (const socket of sockets) socket.resume();
    },
    async restore() {
      answering = asking = true;
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
  };
}

/** Default ports of the URLs the tests put a proxy in front of. */
const DEFAULT_PORTS: Record<string, number> = { 'postgresql:': 5432, 'postgres:': 5432, 'redis:': 6379 };

/** A proxy in front of the server at `url`, and the same URL pointed at the proxy. */
export async function proxyInFrontOf(url: string): Promise<{ proxy: TcpProxy; url: string }> {
  const direct = new URL(url);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port) || DEFAULT_PORTS[direct.protocol]! });
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
}
