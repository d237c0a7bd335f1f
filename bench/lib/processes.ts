// The processes a bench run starts: the product's own API and worker entry points (as
// `npm run api` / `npm run worker` run them, configured only by environment variables), and the
// bench's helper scripts (a no-op BullMQ worker, the subscriber client). All of them are tracked
// here, so a Ctrl-C or a failed phase stops every one.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { spawnTiedChild } from '../../src/infra/tied-child.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** How long a process may take to stop after SIGTERM before it is killed outright. */
const STOP_GRACE_MS = 30_000;

export interface BenchProcess {
  name: string;
  /** the node process itself (not a shell around it), for /proc readings */
  pid: number;
  /** its last lines of output */
  output(): string;
  /** true once it has exited */
  exited(): boolean;
  /** SIGTERM, SIGKILL after STOP_GRACE_MS; resolves once it has exited */
  stop(): Promise<void>;
}

export interface RoleProcess extends BenchProcess {
  role: 'api' | 'worker';
  /** API: its GraphQL URL; worker: its /metrics URL */
  url: string;
  port: number;
  /** the V8 inspector's port, when started with `inspect` */
  inspectPort?: number;
}

const running = new Set<BenchProcess>();

/** Stops everything still running (Ctrl-C, a phase that failed). */
export async function stopAll(): Promise<void> {
  await Promise.allSettled([...running].map((p) => p.stop()));
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
 * Starts `npm run api` or `npm run worker` as a process of its own. Its life is tied to the
 * bench's (src/infra/tied-child.ts): if the bench dies, even by SIGKILL, the role gets SIGTERM.
 * Per-order engine logs are info lines, so roles run at LOG_LEVEL=warn and readiness is read
 * from the network instead of the ready line: GET /ready of the API (PostgreSQL and Redis
 * answer, the server listens), GET /metrics of the worker (its listener opens only after the
 * BullMQ worker is ready). With `inspect`, it listens for the V8 inspector on a port of its own
 * (bench/lib/inspector.ts reads its memory and profiles its CPU through it).
 */
export async function startRole(
  role: 'api' | 'worker',
  env: Record<string, string>,
  options: { name?: string; inspect?: boolean; readyTimeoutMs?: number } = {},
): Promise<RoleProcess> {
  const port = await freePort();
  const inspectPort = options.inspect ? await freePort() : undefined;
  const name = options.name ?? role;
  const nodeArgs = inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : [];
  const { nodeFlags, entry } = roleCommand(role);
  const tied = spawnTiedChild(process.execPath, [...nodeArgs, ...nodeFlags, '--import', 'tsx', entry], {
    stopSignal: 'SIGTERM',
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      ...env,
      ...(role === 'api' ? { PORT: String(port), METRICS_PORT: '0' } : { PORT: '0', METRICS_PORT: String(port) }),
    },
  });
  let pid = 0;
  let stopping: Promise<void> | undefined;
  const exited = () => tied.process.exitCode !== null || tied.process.signalCode !== null;
  const proc: RoleProcess = {
    role,
    name,
    port,
    inspectPort,
    url: role === 'api' ? `http://127.0.0.1:${port}/graphql` : `http://127.0.0.1:${port}/metrics`,
    get pid() {
      return pid;
    },
    output: () => tied.output(),
    exited,
    stop() {
      stopping ??= (async () => {
        const killer = setTimeout(() => {
          if (pid) process.kill(pid, 'SIGKILL');
        }, STOP_GRACE_MS);
        try {
          await tied.stop();
        } finally {
          clearTimeout(killer);
          running.delete(proc);
        }
      })();
      return stopping;
    },
  };
  running.add(proc);
  try {
    const probe = role === 'api' ? `http://127.0.0.1:${port}/ready` : proc.url;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
    for (;;) {
      if (exited()) throw new Error(`${name} exited before it was ready:\n${tied.output()}`);
      if (Date.now() > deadline) throw new Error(`${name} was not ready in time:\n${tied.output()}`);
      const ok = await fetch(probe).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(100);
    }
    pid = nodeChildOf(tied.process.pid!) ?? tied.process.pid!;
  } catch (error) {
    await proc.stop();
    throw error;
  }
  tied.detach();
  return proc;
}

/**
 * What `npm run api` / `npm run worker` runs, from package.json ("tsx [node flags] <entry>"): the
 * bench starts node itself (it needs the pid, and an inspector), but with the same flags, such
 * as the API's young-generation size, so that it measures the roles as they are deployed.
 */
function roleCommand(role: 'api' | 'worker'): { nodeFlags: string[]; entry: string } {
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[role] ?? '';
  const [runner, ...args] = script.trim().split(/\s+/);
  const entry = args.pop();
  if (runner !== 'tsx' || !entry?.endsWith('.ts') || !args.every((arg) => arg.startsWith('--'))) {
    throw new Error(`package.json's "${role}" script is not "tsx [node flags] <entry>.ts": ${script}`);
  }
  return { nodeFlags: args, entry };
}

/**
 * Runs a bench helper script (bench/*.ts) under tsx with an IPC channel; the script exits when
 * the channel closes, so it never outlives the bench. Its messages arrive through `child.on('message')`.
 */
export function startHelper(script: string, args: string[], env: Record<string, string> = {}): BenchProcess & { child: ChildProcess } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const proc = {
    child,
    name: script,
    pid: child.pid!,
    output: () => lines.join('\n'),
    exited,
    stop() {
      stopping ??= (async () => {
        if (!exited()) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await ended;
          clearTimeout(killer);
        }
        running.delete(proc);
      })();
      return stopping;
    },
  };
  running.add(proc);
  return proc;
}

/** The node process a tied child's shell started (the shell's other child is its watcher). */
function nodeChildOf(shellPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${shellPid}/task/${shellPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
      } catch {
        return false;
      }
    });
  } catch {
    return undefined; // not Linux: readings that need the pid are skipped
  }
}

/** Resolves on the helper's first IPC message (its "ready"); rejects if it exits first. */
export function firstMessage<T>(helper: BenchProcess & { child: ChildProcess }, timeoutMs = 60_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error(`${helper.name} sent nothing within ${timeoutMs} ms:\n${helper.output()}`)), timeoutMs);
    const onMessage = (message: T) => settle(undefined, message);
    const onExit = () => settle(new Error(`${helper.name} exited:\n${helper.output()}`));
    function settle(error?: Error, message?: T) {
      clearTimeout(timer);
      helper.child.off('message', onMessage).off('exit', onExit);
      if (error) reject(error);
      else resolve(message as T);
    }
    helper.child.on('message', onMessage).on('exit', onExit);
  });
}
