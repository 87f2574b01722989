import { destination, pino, stdTimeFunctions, type Logger as PinoLogger } from 'pino';

/**
 * Structured JSON logs (pino) on stderr. Callers pass identifiers (request id, holder id, codes), never personal
 * values: names, addresses, 本籍, birth dates and pseudonyms stay out of logs.
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

let root: PinoLogger | undefined;

function rootLogger(): PinoLogger {
  root ??= pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination({ dest: 2, sync: true }),
  );
  return root;
}

export function createLogger(service: string): Logger {
  const log = rootLogger().child({ service });
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      log[level](fields, msg);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
