// The public book shelf (the protocol's `restApi.listBooks`): each book as everyone may see it,
// the protocol's BookView, checked against its schema before it is shown.

import { asJson, restApi, type BookView } from '@tupa/signaling/protocol';
import { request } from '../rest.ts';

export type { BookView };

/**
 * Fetches every book on the shelf. Throws ApiError when the server cannot be reached or refuses,
 * and an Error when its answer is not the shelf.
 */
export async function fetchShelf(fetchFn: typeof fetch = fetch): Promise<BookView[]> {
  const shelf = asJson(restApi.listBooks.response, await request(restApi.listBooks, { fetchFn }));
  if (!shelf) throw new Error(`${restApi.listBooks.path}: the answer is not a list of books`);
  return shelf.books;
}

/** The languages the shelf has books in, in a stable order. */
export function shelfLanguages(books: BookView[]): string[] {
  return [...new Set(books.map((book) => book.language))].sort();
}
