import { DuplicateBookError, DuplicateEmailError } from '@tupa/db';
import type { HttpErrorBody, HttpErrorCode, HttpErrorReason } from '@tupa/signaling/protocol';
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { BookError } from '../books/errors.ts';

// The codes, reasons and body of a refusal are the protocol's (signaling/src/protocol/rest/errors.ts);
// their statuses, and which domain errors become which code, are decided here and nowhere else.

export type { HttpErrorCode, HttpErrorReason };

const STATUS: Record<HttpErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'invalid-state': 409,
  'rate-limited': 429,
  internal: 500,
  'book-too-large': 413,
  'book-wrong-type': 415,
  'book-corrupt': 422,
  'book-no-pages': 422,
  'book-too-many-pages': 422,
  'book-page-unreadable': 422,
  'book-page-shape': 422,
  'open-rooms-off': 403,
};

/**
 * An error with a code the client may see; mapped to a status in one place. A 'rate-limited'
 * error may say when to come back (`retryAfterSeconds`, whole seconds): it is sent as the
 * `Retry-After` header and in the body. A `reason` is sent in the body too. A book error about
 * one page names it (`page`, from 1), so the browser can say which in the coordinator's language.
 */
export class HttpError extends Error {
  readonly code: HttpErrorCode;
  readonly retryAfterSeconds: number | undefined;
  readonly reason: HttpErrorReason | undefined;
  readonly page: number | undefined;

  constructor(
    code: HttpErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; reason?: HttpErrorReason; page?: number } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.reason = options.reason;
    this.page = options.page;
  }

  get status(): number {
    return STATUS[this.code];
  }
}

/**
 * The first middleware: turns every error into `{ error: { code, message } }` (with
 * `retryAfterSeconds` and a `Retry-After` header when the error says when to come back).
 * Messages are exposed only for client errors; server errors are logged with context and hidden.
 */
export function errorMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (error) {
      const { status, body } = toHttpError(error);
      if (status >= 500) logger.error({ err: error, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = status;
      ctx.body = body;
      if (body.error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(body.error.retryAfterSeconds));
    }
  };
}

/**
 * The domain errors a route may simply throw, each as the refusal it stands for: a book that
 * cannot be made (its own code, and the page at fault), a book already on the shelf in that
 * language, an email another account has.
 */
function fromDomainError(error: unknown): HttpError | null {
  if (error instanceof BookError) return new HttpError(error.code, error.message, { page: error.page });
  if (error instanceof DuplicateBookError) return new HttpError('invalid-state', 'this story is already on the shelf in that language');
  if (error instanceof DuplicateEmailError) return new HttpError('invalid-state', 'an account with this email exists');
  return null;
}

function toHttpError(thrown: unknown): { status: number; body: HttpErrorBody } {
  const error = fromDomainError(thrown) ?? thrown;
  if (error instanceof HttpError) {
    const body: HttpErrorBody = { error: { code: error.code, message: error.message } };
    if (error.retryAfterSeconds !== undefined) body.error.retryAfterSeconds = error.retryAfterSeconds;
    if (error.reason !== undefined) body.error.reason = error.reason;
    if (error.page !== undefined) body.error.page = error.page;
    return { status: error.status, body };
  }
  // Errors thrown by Koa's own helpers and the body parser carry an HTTP status.
  const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 500;
  if (status >= 400 && status < 500) {
    const code: HttpErrorCode =
      status === 404 ? 'not-found' : status === 429 ? 'rate-limited' : status === 401 ? 'unauthenticated' : 'validation';
    const message = (error as { expose?: boolean; message?: string }).expose
      ? String((error as { message: string }).message)
      : 'bad request';
    return { status, body: { error: { code, message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}
