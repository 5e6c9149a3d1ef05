import { DuplicateBookError } from '@tupa/db';
import type { Logger } from 'pino';
import type { BookShelf } from './shelf.ts';
import type { ShippedBook } from './shipped.ts';

/**
 * Puts every shipped book that is not yet on the shelf onto it, through the same ingest as an
 * upload. A book already there (found by slug and language, archived or not) is not rendered
 * again, so a normal start costs one query per book. A coordinator's archiving is respected.
 */
export async function seedShippedBooks(
  shelf: BookShelf,
  load: () => Promise<ShippedBook[]>,
  logger: Logger,
  /** Checked between books, so a server that is stopping does not wait for the whole shelf. */
  stopping: () => boolean = () => false,
): Promise<{ added: string[] }> {
  const added: string[] = [];
  let sources: ShippedBook[];
  try {
    sources = await load();
  } catch (error) {
    logger.error({ err: error }, 'the shipped books could not be read');
    return { added };
  }
  for (const source of sources) {
    if (stopping()) break;
    const key = { slug: source.slug, language: source.language };
    if (await shelf.repo.findBySlug(source.slug, source.language)) continue;
    try {
      const { book } = await shelf.add(async () => ({
        metadata: {
          title: source.title,
          author: source.author,
          illustrator: source.illustrator,
          description: source.description,
          language: source.language,
          ageMin: source.ageMin,
          ageMax: source.ageMax,
          licence: source.licence,
        },
        source: 'shipped',
        slug: source.slug,
        pages: await source.renderPages(),
      }));
      added.push(book.id);
    } catch (error) {
      // Another node seeded the same book first: it is on the shelf, which is all that matters.
      if (error instanceof DuplicateBookError) continue;
      // One broken book must not keep Tupa from starting; the others still go on the shelf.
      logger.error({ err: error, ...key }, 'a shipped book could not be put on the shelf');
    }
  }
  if (added.length > 0) logger.info({ books: added.length }, 'shipped books put on the shelf');
  return { added };
}
