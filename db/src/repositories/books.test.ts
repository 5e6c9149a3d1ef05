import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabaseUrl } from '../../../tests/support/database.ts';
import { openDatabase } from '../database.ts';
import type { Database } from '../database.ts';
import { silentLogger } from '../test-helpers.ts';
import { DuplicateBookError, type BookInput } from './books.ts';

let db: Database;

beforeAll(async () => {
  db = await openDatabase({ url: await createTestDatabaseUrl(), dataDir: '/nonexistent', logger: silentLogger });
});

afterAll(async () => {
  await db?.close();
});

const book = (overrides: Partial<BookInput> = {}): BookInput => ({
  title: 'Karhu ja kuu',
  author: 'Aino',
  illustrator: 'Eero',
  description: 'A bear looks at the moon.',
  language: 'fi',
  ageMin: 3,
  ageMax: 6,
  licence: 'CC BY 4.0',
  pageCount: 8,
  aspectRatio: 4 / 3,
  source: 'upload',
  ...overrides,
});

async function rowCount(): Promise<number> {
  const [rows] = await db.sequelize.query('SELECT count(*)::int AS n FROM books');
  return (rows as Array<{ n: number }>)[0]?.n ?? -1;
}

describe('books repository', () => {
  test('create returns a plain record with a uuid, defaults and the stored aspect ratio', async () => {
    const created = await db.books.create(book());
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).toMatchObject({ title: 'Karhu ja kuu', slug: null, source: 'upload', archived: false, createdBy: null });
    expect(created.aspectRatio).toBe(1.333333);
    expect(created.createdAt).toBeInstanceOf(Date);
    const found = await db.books.findById(created.id);
    expect(found).toEqual(created);
    expect(Object.getPrototypeOf(found)).toBe(Object.prototype);
  });

  test('a failing beforeCommit leaves no row', async () => {
    const before = await rowCount();
    const id = '11111111-1111-4111-8111-111111111111';
    await expect(
      db.books.create(book({ id }), {
        beforeCommit: async (record) => {
          expect(record.id).toBe(id);
          throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await rowCount()).toBe(before);
    expect(await db.books.findById(id)).toBeNull();
  });

  test('a shipped slug is unique per language, uploads without slugs never collide', async () => {
    await db.books.create(book({ slug: 'bear-and-moon', source: 'shipped' }));
    await db.books.create(book({ slug: 'bear-and-moon', language: 'sv', source: 'shipped' }));
    await expect(db.books.create(book({ slug: 'bear-and-moon', source: 'shipped' }))).rejects.toThrow(DuplicateBookError);
    await db.books.create(book());
    await db.books.create(book());
    expect(await db.books.findBySlug('bear-and-moon', 'sv')).toMatchObject({ language: 'sv', source: 'shipped' });
    expect(await db.books.findBySlug('bear-and-moon', 'en')).toBeNull();
    const swedish = await db.books.findBySlug('bear-and-moon', 'sv');
    await expect(db.books.update(swedish?.id ?? '', { language: 'fi' })).rejects.toThrow(DuplicateBookError);
  });

  test('the database refuses impossible books', async () => {
    await expect(db.books.create(book({ language: 'de' as 'fi' }))).rejects.toThrow();
    await expect(db.books.create(book({ ageMin: 7, ageMax: 3 }))).rejects.toThrow();
    await expect(db.books.create(book({ pageCount: 0 }))).rejects.toThrow();
  });

  test('update changes metadata and archives; list hides archived and filters by language', async () => {
    const created = await db.books.create(book({ title: 'Aaa first', language: 'en' }));
    const updated = await db.books.update(created.id, { title: 'Aaa renamed', ageMax: 8 });
    expect(updated).toMatchObject({ title: 'Aaa renamed', ageMax: 8, pageCount: 8 });
    const english = await db.books.list({ language: 'en' });
    expect(english.map((b) => b.id)).toEqual([created.id]);
    expect((await db.books.list()).every((b) => !b.archived)).toBe(true);
    await db.books.update(created.id, { archived: true });
    expect((await db.books.list()).map((b) => b.id)).not.toContain(created.id);
    expect((await db.books.list({ includeArchived: true })).map((b) => b.id)).toContain(created.id);
    expect((await db.books.findById(created.id))?.archived).toBe(true);
    expect(await db.books.update('22222222-2222-4222-8222-222222222222', { title: 'x' })).toBeNull();
  });

  test('findById gives null for unknown ids and for strings that cannot be ids', async () => {
    expect(await db.books.findById('33333333-3333-4333-8333-333333333333')).toBeNull();
    expect(await db.books.findById('')).toBeNull();
    expect(await db.books.findById("x' OR '1'='1")).toBeNull();
    await expect(db.books.findById(7 as unknown as string)).rejects.toThrow(TypeError);
  });
});
