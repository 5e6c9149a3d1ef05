import type { TestServer } from './server.ts';

/**
 * Puts an eight-page picture book on the test server's shelf (its row only: storytime needs no
 * page files) and returns its id.
 */
export async function shelveTestBook(t: TestServer): Promise<string> {
  const book = await t.server.db.books.create({
    title: 'Siilin talvi',
    author: 'Aino Virtanen',
    illustrator: 'Eino Laine',
    description: 'A hedgehog looks for a warm place to sleep.',
    language: 'fi',
    ageMin: 3,
    ageMax: 7,
    licence: 'CC BY 4.0',
    pageCount: 8,
    aspectRatio: 1.5,
    source: 'upload',
  });
  return book.id;
}
