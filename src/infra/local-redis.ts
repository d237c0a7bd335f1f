// A throwaway Redis for machines without one configured: runs the OS's `redis-server` binary on a
// port of our own, keeping nothing on disk. No npm package ships a Redis binary.
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnTiedChild, type TiedChild } from './tied-child.js';

export interface LocalRedisOptions {
  /** TCP port on 127.0.0.1. */
  port: number;
  /** How long to wait for the server to answer PING; default 10 s. */
  startTimeoutMs?: number;
}

export interface LocalRedis {
  /** redis:// URL of the server. */
  url: string;
  /** True when this call started the server; false when one already answered on the port. */
  started: boolean;
  /** Milliseconds from spawn until the server answered PING (0 when reused). */
  startMs: number;
  /** Stops the server if this call started it; a reused server is left running for its owner. */
  stop(): Promise<void>;
}

export class RedisServerNotFoundError extends Error {
  constructor() {
    super(
      'No redis-server binary found (looked at $REDIS_SERVER_BIN and on $PATH), and REDIS_URL is not set.\n' +
        'Get one of these, then run again:\n' +
        '  - Debian/Ubuntu: sudo apt-get install -y redis-server\n' +
        '  - macOS:         brew install redis\n' +
        '  - Docker:        docker compose up -d redis   then set REDIS_URL=redis://127.0.0.1:6379\n' +
        'Or set REDIS_SERVER_BIN to the path of a redis-server binary.',
    );
    this.name = 'RedisServerNotFoundError';
  }
}

export class LocalRedisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRedisError';
  }
}

/** The redis-server to run: $REDIS_SERVER_BIN, else the first on $PATH (plus the usual places). */
export function findRedisServer(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.REDIS_SERVER_BIN) return isExecutable(env.REDIS_SERVER_BIN) ? env.REDIS_SERVER_BIN : null;
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin', '/opt/homebrew/bin', '/usr/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = path.join(dir, 'redis-server');
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function startLocalRedis(opts: LocalRedisOptions): Promise<LocalRedis> {
  const url = `redis://127.0.0.1:${opts.port}`;
  const existing = await ping(opts.port);
  if (existing === 'PONG') return { url, started: false, startMs: 0, stop: async () => {} };
  if (existing !== null) {
    throw new LocalRedisError(`port ${opts.port} is in use by something that is not a usable Redis (it answered ${JSON.stringify(existing)}); free the port or set REDIS_URL.`);
  }

  const binary = findRedisServer();
  if (!binary) throw new RedisServerNotFoundError();

  const args = ['--port', String(opts.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''];
  const t0 = Date.now();
  // SIGTERM: with nothing to save, redis-server shuts down at once
  const child = spawnTiedChild(binary, args, { stopSignal: 'SIGTERM' });
  try {
    await waitUntilReady(child, opts.port, opts.startTimeoutMs ?? 10_000);
  } catch (error) {
    await child.stop();
    // another process starting at the same moment took the port first: share its server
    if ((await ping(opts.port)) === 'PONG') return { url, started: false, startMs: 0, stop: async () => {} };
    throw error;
  }
  // a process that forgets stop() still exits, and takes the server down with it
  child.detach();
  return { url, started: true, startMs: Date.now() - t0, stop: () => child.stop() };
}

async function waitUntilReady(child: TiedChild, port: number, timeoutMs: number) {
  let exited: string | null = null;
  child.process.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.process.once('error', (error) => (exited = `could not be spawned: ${error.message}`));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new LocalRedisError(`redis-server on port ${port} ${exited}:\n${child.output()}`);
    if ((await ping(port)) === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new LocalRedisError(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${child.output()}`);
}

/**
 * Sends PING to 127.0.0.1:port and returns the first reply line (`PONG` for a usable Redis; an
 * error such as `-NOAUTH ...` for a protected one), or null when nothing listens.
 */
export function ping(port: number, timeoutMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (answer: string | null) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(reply ? reply : socket.connecting ? null : '(no reply)'));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      const end = reply.indexOf('\r\n');
      if (end >= 0) done(reply.slice(0, end).replace(/^\+/, ''));
    });
    socket.once('error', () => done(null));
    socket.once('close', () => done(reply || null));
  });
}
