import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs for every process of the hub. Personal data never belongs in a log line:
 * callers log ids (case number, item code, request id), and the paths below are redacted as a
 * second line of defence should a payload slip through.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  '*.idNumber',
  '*.idNo',
  '*.phone',
  '*.mobile',
  '*.password',
  '*.token',
];

export function createLogger(level: string, name = 'onewindow-hub'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
