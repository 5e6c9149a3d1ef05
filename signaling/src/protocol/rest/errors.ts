import { z } from 'zod';

// How the REST API says no: `{ error: { code, message, ... } }` with a status per code (the
// server's one error middleware, server/src/http/errors.ts, maps codes to statuses).

/** Why an upload could not become a book, each with its own words for the coordinator. */
export const BOOK_ERROR_CODES = [
  'book-too-large',
  'book-wrong-type',
  'book-corrupt',
  'book-no-pages',
  'book-too-many-pages',
  // One page is at fault, and the error names it (`page`), so the coordinator knows where to look.
  'book-page-unreadable',
  'book-page-shape',
] as const;
export type BookErrorCode = (typeof BOOK_ERROR_CODES)[number];

export const HTTP_ERROR_CODES = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not-found',
  'invalid-state',
  'rate-limited',
  'internal',
  ...BOOK_ERROR_CODES,
  // The organisation has not turned on open rooms from the start page (TUPA_OPEN_ROOMS).
  'open-rooms-off',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/**
 * Finer reasons for a code, sent as `reason` so a page can say what is wrong in its own words.
 * 'forbidden-character': a field holds a character no text may hold (a control character, a
 * text direction control; see text.ts), usually brought in by copying.
 */
export const httpErrorReasonSchema = z.enum(['forbidden-character']);
export type HttpErrorReason = z.infer<typeof httpErrorReasonSchema>;

/**
 * A refusal's body. `retryAfterSeconds` (whole seconds, also the `Retry-After` header) with
 * 'rate-limited'; `page` (from 1) with a book error about one page.
 */
export const httpErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(HTTP_ERROR_CODES),
    message: z.string(),
    retryAfterSeconds: z.number().int().optional(),
    reason: httpErrorReasonSchema.optional(),
    page: z.number().int().min(1).optional(),
  }),
});
export type HttpErrorBody = z.infer<typeof httpErrorBodySchema>;
