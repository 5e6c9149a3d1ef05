import type { BookRepository } from '@tupa/db';
import type { SignalingDeps } from '@tupa/signaling';

type BookCatalogue = SignalingDeps['books'];

/** The shelf as storytime sees it: only books people can open (archived ones are gone from it). */
export function createBookCatalogue(repo: BookRepository): BookCatalogue {
  return {
    async find(bookId) {
      if (typeof bookId !== 'string') return null;
      const book = await repo.findById(bookId);
      if (!book || book.archived) return null;
      return { bookId: book.id, title: book.title, pageCount: book.pageCount, aspectRatio: book.aspectRatio };
    },
  };
}
