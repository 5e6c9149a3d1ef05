/** Why an upload could not become a book; the HTTP layer maps each to a status. */
export type BookErrorCode = 'book-too-large' | 'book-wrong-type' | 'book-corrupt' | 'book-no-pages' | 'book-too-many-pages';

/** A book that cannot be made from what was given. Messages are safe to show to staff. */
export class BookError extends Error {
  readonly code: BookErrorCode;

  constructor(code: BookErrorCode, message: string) {
    super(message);
    this.name = 'BookError';
    this.code = code;
  }
}
