import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '@tupa/db';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl } from '../../../tests/support/database.ts';
import { seedShippedBooks } from './seed.ts';
import { createBookShelf, type BookShelf } from './shelf.ts';
import type { ShippedBook } from './shipped.ts';

const logger = pino({ level: 'silent' });
let db: Database;
let dataDir: string;
let shelf: BookShelf;

beforeAll(async () => {
  db = await openDatabase({ url: await createTestDatabaseUrl(), dataDir: '/nonexistent', logger });
  dataDir = await mkdtemp(join(tmpdir(), 'tupa-seed-test-'));
  shelf = createBookShelf({ dataDir, repo: db.books, limits: { maxUploadBytes: 10 * 1024 * 1024, maxPages: 10 }, logger });
  await shelf.storage.prepare();
});
afterAll(async () => {
  await db?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** A shipped book whose pages are drawn on demand, counting how often that happens. */
function shippedBook(slug: string, language: 'fi' | 'sv' | 'en', pages: number, renders: { count: number }): ShippedBook {
  return {
    slug,
    language,
    title: `${slug} (${language})`,
    author: 'Tupa',
    illustrator: 'Tupa',
    description: 'A story that comes with Tupa.',
    licence: 'CC BY 4.0',
    ageMin: 2,
    ageMax: 7,
    async renderPages() {
      renders.count++;
      return Promise.all(
        Array.from({ length: pages }, (_, i) =>
          sharp({ create: { width: 1800, height: 1200, channels: 3, background: { r: 40 * i, g: 120, b: 200 } } }).png().toBuffer(),
        ),
      );
    },
  };
}

describe('seeding shipped books', () => {
  it('puts each missing book on the shelf once, and renders nothing when all are there', async () => {
    const renders = { count: 0 };
    const books = [shippedBook('hedgehog', 'fi', 3, renders), shippedBook('hedgehog', 'sv', 2, renders)];
    const first = await seedShippedBooks(shelf, async () => books, logger);
    expect(first.added).toHaveLength(2);
    expect(renders.count).toBe(2);
    const finnish = await db.books.findBySlug('hedgehog', 'fi');
    expect(finnish).toMatchObject({ source: 'shipped', pageCount: 3, ageMin: 2, ageMax: 7, createdBy: null });
    expect(finnish?.aspectRatio).toBeCloseTo(1.5, 3);
    expect((await readdir(join(dataDir, 'books', finnish?.id ?? ''))).sort()).toEqual(
      ['1-large.webp', '1-small.webp', '2-large.webp', '2-small.webp', '3-large.webp', '3-small.webp'],
    );

    const again = await seedShippedBooks(shelf, async () => books, logger);
    expect(again.added).toEqual([]);
    expect(renders.count).toBe(2);
  });

  it('respects a coordinator archiving a shipped book', async () => {
    const renders = { count: 0 };
    const book = shippedBook('boat', 'en', 1, renders);
    const [id] = (await seedShippedBooks(shelf, async () => [book], logger)).added;
    await db.books.update(id ?? '', { archived: true });
    expect((await seedShippedBooks(shelf, async () => [book], logger)).added).toEqual([]);
    expect(renders.count).toBe(1);
  });

  it('skips a broken book without leaving anything of it, and still adds the others', async () => {
    const renders = { count: 0 };
    const broken: ShippedBook = {
      ...shippedBook('broken', 'fi', 1, renders),
      renderPages: async () => [Buffer.from('not a picture')],
    };
    const dirsBefore = (await readdir(join(dataDir, 'books'))).length;
    const result = await seedShippedBooks(shelf, async () => [broken, shippedBook('mitten', 'fi', 1, renders)], logger);
    expect(result.added).toHaveLength(1);
    expect(await db.books.findBySlug('broken', 'fi')).toBeNull();
    expect(await db.books.findBySlug('mitten', 'fi')).not.toBeNull();
    expect((await readdir(join(dataDir, 'books'))).length).toBe(dirsBefore + 1);
  });
});
