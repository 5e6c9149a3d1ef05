/** Why an upload could not become a book; the HTTP layer maps each to a status. */
export type BookErrorCode =
  | 'book-too-large'
  | 'book-wrong-type'
  | 'book-corrupt'
  | 'book-no-pages'
  | 'book-too-many-pages'
  // One page is at fault, and the error names it (`page`), so the coordinator knows where to look.
  | 'book-page-unreadable'
  | 'book-page-shape';

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
