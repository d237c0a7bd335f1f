// Spawns a server process (postgres, redis-server) whose life is tied to ours: it stops when we
// call stop(), and also when this process dies in any way, SIGKILL included, which no exit hook sees.
import { spawn, type ChildProcess } from 'node:child_process';

export interface TiedChildOptions {
  /** Signal the server gets when it must stop (postgres: SIGINT = fast shutdown). */
  stopSignal: 'SIGINT' | 'SIGTERM';
  /** Run as this user and group (root starting PostgreSQL, which refuses to run as root). */
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
}

export interface TiedChild {
  process: ChildProcess;
  /** The last lines the server printed (stdout and stderr), for error messages. */
  output(): string;
  /** Stop reading output, and let this process exit without waiting for the child. */
  detach(): void;
  /** Stops the server and resolves once it has exited; idempotent. */
  stop(): Promise<void>;
}

/**
 * A shell runs the server in the background and blocks reading a copy of its stdin, a pipe whose
 * only writer is this process. The pipe reaches end-of-file when we close it (stop()) or when this
 * process ends, however it ends; the shell then signals the server and exits with its status.
 * (A background job's stdin is /dev/null in sh, hence the copy of the pipe on fd 3.)
 */
const WATCHDOG =
  'sig=$1; shift; exec 3<&0; "$@" 3<&- </dev/null & pid=$!; ' +
  '(read -r _ <&3; kill -s "$sig" "$pid" 2>/dev/null) & watcher=$!; ' +
  'wait "$pid"; status=$?; kill "$watcher" 2>/dev/null; exit "$status"';

export function spawnTiedChild(command: string, args: string[], opts: TiedChildOptions): TiedChild {
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'tied-child', opts.stopSignal.slice(3), command, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: a Ctrl-C in the terminal reaches only us, so the server stays up
    // while the app drains, and goes when the app is done (stop() or exit).
    detached: true,
    ...(opts.uid === undefined ? {} : { uid: opts.uid }),
    ...(opts.gid === undefined ? {} : { gid: opts.gid }),
    env: opts.env ?? process.env,
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let stopping: Promise<void> | undefined;
  return {
    process: child,
    output: () => lines.join('\n'),
    detach() {
      // keep draining the pipes (a full pipe would block the server's logging) without holding
      // the event loop open
      for (const stream of [child.stdin, child.stdout, child.stderr]) {
        (stream as unknown as { unref?: () => void } | null)?.unref?.();
      }
      child.unref();
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.ref(); // a caller awaiting stop() must not see the process exit first
        child.once('exit', () => resolve());
        child.stdin?.end();
      });
      return stopping;
    },
  };
}
