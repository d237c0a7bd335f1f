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

/**
 * The process's logger as graphql-yoga's `logging` takes it. Yoga logs each error it masks as
 * "Unexpected error." with the error alone: on its own logger that was a coloured, multi-line
 * stack on stdout among the JSON lines; here it is one line, the error under `err`.
 */
export function yogaLogger(logger: Logger): Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void> {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const text = args.filter((arg): arg is string => typeof arg === 'string').join(' ');
      if (error) logger[level]({ err: error }, text || error.message);
      else logger[level](text);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** `report`, at most once every ten seconds: a warning per request or per retry during an outage would flood the log. */
export function everyTenSeconds<A extends unknown[]>(report: (...args: A) => void): (...args: A) => void {
  let last = -Infinity;
  return (...args) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    report(...args);
  };
}
