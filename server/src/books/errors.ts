import type { BookErrorCode } from '@tupa/signaling/protocol';

/** Why an upload could not become a book: the protocol's codes, which the HTTP layer maps to statuses. */
export type { BookErrorCode };

/** A book that cannot be made from what was given. Messages are safe to show to staff. */
export class BookError extends Error {
  readonly code: BookErrorCode;
  /** The page at fault (from 1), for the codes that concern one page. */
  readonly page: number | undefined;

  constructor(code: BookErrorCode, message: string, options: { page?: number } = {}) {
    super(message);
    this.name = 'BookError';
    this.code = code;
    this.page = options.page;
  }
}
