// Shared by the process entry points: find or start PostgreSQL and Redis, then shut down in
// order on SIGINT/SIGTERM. Each process gets one logger (JSON lines, LOG_LEVEL) bound to its role.
import { loadConfig, type AppConfig } from './config.js';
import { bootstrapInfrastructure } from './infra/bootstrap.js';
import { createLogger, logLevel, type Logger } from './observability/logger.js';
import { createRuntime, type Runtime } from './runtime.js';

/** Which roles a process plays: both in `npm start`, one in `npm run api` / `npm run worker`. */
export type ProcessRole = 'api+worker' | 'api' | 'worker';

/** The one fatal line of a process that failed to start. */
const couldNotStart = (error: unknown) => `could not start: ${error instanceof Error ? error.message : String(error)}`;

/**
 * The configuration from the environment; when a variable is refused, one fatal line saying which
 * and why, and exit 1 (not an uncaught stack).
 */
export function configOrExit(role: ProcessRole): AppConfig {
  try {
    // LOG_LEVEL too: the process's logger is built from it next, and threw an uncaught stack
    logLevel();
    return loadConfig();
  } catch (error) {
    createLogger({ bindings: { role }, level: levelOr('info') }).fatal(couldNotStart(error));
    process.exit(1);
  }
}

/** LOG_LEVEL, or `fallback` when it is not one (so that the line refusing it is written). */
function levelOr(fallback: ReturnType<typeof logLevel>): ReturnType<typeof logLevel> {
  try {
    return logLevel();
  } catch {
    return fallback;
  }
}

export async function bootRuntime(role: ProcessRole = 'api+worker'): Promise<{ runtime: Runtime; stopInfrastructure: () => Promise<void> }> {
  const config = configOrExit(role);
  const logger = createLogger({ bindings: { role } });
  // a database that cannot be reached or migrated: one fatal line and exit 1, like a refused setting
  const infra = await orExit(bootstrapInfrastructure({ log: (line) => logger.info(line) }), async () => {}, logger);
  const runtime = await orExit(createRuntime({ ...config, databaseUrl: infra.databaseUrl, redisUrl: infra.redisUrl }, { logger }), infra.stop, logger);
  return { runtime, stopInfrastructure: infra.stop };
}

/**
 * Awaits a start-up step (the API's port, a worker). If it fails, logs why, runs `cleanup` (what
 * was started before it) and exits with 1: a supervisor then sees the failure and can restart or
 * report it, rather than a process that lives on and serves nothing.
 */
export async function orExit<T>(step: Promise<T>, cleanup: () => Promise<void>, logger: Logger): Promise<T> {
  try {
    return await step;
  } catch (error) {
    logger.fatal({ err: error }, couldNotStart(error));
    await cleanup().catch((cleanupError: unknown) => logger.error({ err: cleanupError }, 'stopping after the failed start failed too'));
    process.exit(1);
  }
}

/**
 * Runs `steps` once on the first SIGINT/SIGTERM, then exits; a second signal exits at once. Entry
 * points call it before they log that they are ready: a supervisor may signal the moment it sees
 * that line, and until this runs a SIGTERM kills the process outright. `backstopMs` (default 30 s)
 * bounds the whole shutdown: past it the process exits 1. It is not SHUTDOWN_GRACE_MS, which a
 * worker's backstop includes (workerShutdownBackstopMs).
 */
export function onShutdown(steps: () => Promise<void>, options: { logger?: Logger; backstopMs?: number } = {}): void {
  const { logger = createLogger(), backstopMs = 30_000 } = options;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ backstopMs }, 'shutdown took longer than its backstop allows; exiting');
      process.exit(1);
    }, backstopMs).unref();
    steps().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
