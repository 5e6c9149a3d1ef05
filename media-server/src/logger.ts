/**
 * The structured logger media-server writes to. pino's Logger satisfies it; media-server does
 * not import pino so that it stays a plain library over mediasoup.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
