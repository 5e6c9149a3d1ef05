// The book shelf as the server lists it (GET /api/books), checked before it is shown.

export interface ShelfBook {
  id: string;
  title: string;
  author: string;
  illustrator: string;
  language: string;
  ageMin: number;
  ageMax: number;
  pageCount: number;
  aspectRatio: number;
}

function isShelfBook(value: unknown): value is ShelfBook {
  if (typeof value !== 'object' || value === null) return false;
  const book = value as Record<string, unknown>;
  return (
    typeof book.id === 'string' &&
    typeof book.title === 'string' &&
    typeof book.language === 'string' &&
    typeof book.pageCount === 'number' &&
    typeof book.aspectRatio === 'number'
  );
}

/** Fetches every book on the shelf; throws when the server does not answer with a list. */
export async function fetchShelf(fetcher: typeof fetch = fetch): Promise<ShelfBook[]> {
  const response = await fetcher('/api/books', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`GET /api/books answered ${response.status}`);
  const body = (await response.json()) as { books?: unknown };
  if (!Array.isArray(body.books)) throw new Error('GET /api/books: no list of books');
  return body.books.filter(isShelfBook).map((book) => ({
    ...book,
    author: typeof book.author === 'string' ? book.author : '',
    illustrator: typeof book.illustrator === 'string' ? book.illustrator : '',
    ageMin: typeof book.ageMin === 'number' ? book.ageMin : 0,
    ageMax: typeof book.ageMax === 'number' ? book.ageMax : 0,
  }));
}

/** The languages the shelf has books in, in a stable order. */
export function shelfLanguages(books: ShelfBook[]): string[] {
  return [...new Set(books.map((book) => book.language))].sort();
}
