// Structured JSON logs (pino), one logger per process built by its entry point and passed down;
// components take a child with their own bindings (the engine binds orderId and attempt).
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

const LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** LOG_LEVEL: fatal, error, warn, info, debug, trace or silent; default info. */
export function logLevel(env: Record<string, string | undefined> = process.env): LevelWithSilent {
  const raw = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${raw}"`);
  return raw as LevelWithSilent;
}

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** bound to every line, e.g. { role: 'worker' } */
  bindings?: Record<string, unknown>;
  /** where lines go; default stdout */
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? logLevel(),
      // ISO time instead of epoch ms, so a person can read the JSON too
      timestamp: pino.stdTimeFunctions.isoTime,
      // no pid/hostname on every line; the role binding says which process spoke
      base: null,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
  return options.bindings ? logger.child(options.bindings) : logger;
}

/** A logger that writes nothing (tests, library callers that pass none). */
export const silentLogger: Logger = pino({ level: 'silent' });
