/**
 * Structured JSON-lines logging through pino. Each component takes a child logger that carries
 * its `component` field, so log lines can be filtered without parsing messages.
 */
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Log levels accepted by `LOG_LEVEL`, from most to least verbose, plus `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Creates the root logger writing JSON lines to standard output (or `destination`). */
export function createLogger(level: LogLevel, destination?: { write(line: string): void }): Logger {
  const options = { level, base: { service: 'skypulse' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}

/** A logger that writes nothing, for tests and tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Returns a function that reports at most `limit` calls per `intervalMs` and counts the rest,
 * so a flood of identical warnings (bad frames, slow clients) cannot fill the log.
 */
export function rateLimited(
  limit: number,
  intervalMs: number,
  now: () => number = Date.now,
): (report: (suppressed: number) => void) => void {
  let windowStart = -Infinity;
  let used = 0;
  let suppressed = 0;
  return (report) => {
    const time = now();
    if (time - windowStart >= intervalMs) {
      windowStart = time;
      used = 0;
    }
    if (used >= limit) {
      suppressed += 1;
      return;
    }
    used += 1;
    report(suppressed);
    suppressed = 0;
  };
}
