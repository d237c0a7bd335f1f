// The product's own process entry points (src/api-main.ts, src/worker-main.ts, src/main.ts) as child
// processes, configured only by environment variables, as `npm run api`, `npm run worker` and
// `npm start` start them.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// keyed by the role each process binds to its log lines (src/process-lifecycle.ts); src/main.ts
// inherits DATABASE_URL and REDIS_URL like the others, so it starts no embedded PostgreSQL or Redis
const ENTRY = { api: 'src/api-main.ts', worker: 'src/worker-main.ts', 'api+worker': 'src/main.ts' } as const;
const READY = { api: /GraphQL API ready/, worker: /engine worker ready/, 'api+worker': /GraphQL API and engine worker ready/ } as const;

export type Role = keyof typeof ENTRY;

/** How long a child may take to shut down after SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 10_000;

export interface SpawnedRole {
  child: ChildProcess;
  /** everything it printed so far, stdout and stderr */
  output(): string;
  /** settles when the process has ended */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it is still running after STOP_GRACE_MS; resolves once it has ended */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A TCP port nothing listens on at the moment of asking. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts one role under tsx (`node --import tsx`, one process, so signals reach the app itself)
 * with `env` on top of this process's environment, and resolves once it prints its ready line.
 */
export async function spawnRole(role: Role, env: Record<string, string>, readyTimeoutMs = 60_000, command?: readonly string[]): Promise<SpawnedRole> {
  // `command`: another way of starting the role (a container's), program first
  const [program, ...args] = command ?? [process.execPath, '--import', 'tsx', ENTRY[role]];
  const child = spawn(program!, args, {
    cwd: ROOT,
    // its ready line is an info log; a worker alone would also open a metrics port of its own
    // no reconciler unless a test asks for one: test files share a database, and a reconciler
    // would take up the orders other tests leave unfinished on purpose
    env: { ...process.env, LOG_LEVEL: 'info', METRICS_PORT: '0', RECONCILE_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines = new Set<(text: string) => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of lines) listener(output);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return exited;
  };
  const spawned: SpawnedRole = { child, output: () => output, exited, stop };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${role} was not ready within ${readyTimeoutMs} ms:\n${output}`)), readyTimeoutMs);
      const check = (text: string) => {
        if (!READY[role].test(text)) return;
        clearTimeout(timer);
        lines.delete(check);
        resolve();
      };
      lines.add(check);
      check(output);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${role} exited (${code ?? signal}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return spawned;
}

/** `npm run api` on a free port of its own: the role, and the URL of its GraphQL endpoint. */
export async function spawnApi(env: Record<string, string>): Promise<SpawnedRole & { url: string }> {
  const port = await freePort();
  const spawned = await spawnRole('api', { ...env, PORT: String(port) });
  return { ...spawned, url: `http://127.0.0.1:${port}/graphql` };
}
