import type { BookRepository } from '@tupa/db';
import type { Logger } from 'pino';
import { ingestBook, type IngestRequest, type IngestResult } from './ingest.ts';
import { seedShippedBooks } from './seed.ts';
import { loadShippedBooks, SHIPPED_BOOKS_DIR } from './shipped.ts';
import { BookStorage } from './storage.ts';

export interface BookLimits {
  maxUploadBytes: number;
  maxPages: number;
}

/** The book shelf: metadata in PostgreSQL, pages on disk, and the one way books get onto it. */
export interface BookShelf {
  readonly repo: BookRepository;
  readonly storage: BookStorage;
  readonly limits: BookLimits;
  /**
   * Adds a book. `prepare` gets a fresh staging directory (for uploaded files) and returns what
   * to ingest; the directory is removed afterwards, whether the book made it or not.
   */
  add(prepare: (staging: string) => Promise<IngestRequest>): Promise<IngestResult>;
}

export function createBookShelf(options: { dataDir: string; repo: BookRepository; limits: BookLimits; logger: Logger }): BookShelf {
  const storage = new BookStorage(options.dataDir);
  const deps = { storage, repo: options.repo, maxPages: options.limits.maxPages, logger: options.logger };
  return {
    repo: options.repo,
    storage,
    limits: options.limits,
    add: (prepare) => storage.withStaging(async (staging) => ingestBook(deps, staging, await prepare(staging))),
  };
}

/**
 * The shelf as a running server needs it: the books directory ready (leftovers of a cut-off
 * ingest removed) and, with `seedShipped`, the books that come with Tupa put on it in the
 * background: a first start renders them (some seconds) without delaying readiness, later starts
 * only check that each is there. `close()` lets the book being rendered finish and skips the rest.
 */
export async function openBookShelf(options: {
  dataDir: string;
  repo: BookRepository;
  limits: BookLimits;
  logger: Logger;
  seedShipped: boolean;
}): Promise<BookShelf & { seeded: Promise<void>; close(): Promise<void> }> {
  const shelf = createBookShelf(options);
  await shelf.storage.prepare();
  let stopping = false;
  const seeded = options.seedShipped
    ? seedShippedBooks(shelf, () => loadShippedBooks(SHIPPED_BOOKS_DIR), options.logger, () => stopping).then(
        () => undefined,
        (error: unknown) => options.logger.error({ err: error }, 'seeding shipped books failed'),
      )
    : Promise.resolve();
  return {
    ...shelf,
    seeded,
    close: async () => {
      stopping = true;
      await seeded;
    },
  };
}
