import { pino, type Logger } from 'pino';

/**
 * Structured JSON logs. Names, tokens and secrets never belong in them; the redaction list is a
 * safety net for the day someone logs a whole object by mistake.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tupa' },
    redact: {
      paths: ['*.displayName', '*.secret', '*.resumeSecret', '*.token', '*.password', 'req.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
