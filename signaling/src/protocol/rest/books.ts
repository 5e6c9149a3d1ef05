import { z } from 'zod';
import { manyLinesText, oneLineText } from '../textFields.ts';
import { endpoint, isoInstant } from './endpoint.ts';
import { archivedQuery, roomLanguageSchema } from './rooms.ts';

const age = z.number().int().min(0).max(18);

/** What a coordinator may say and change about a book (and what everyone may read). */
const bookMetadataFields = {
  title: oneLineText({ min: 1, max: 200 }),
  author: oneLineText({ max: 200 }),
  illustrator: oneLineText({ max: 200 }),
  description: manyLinesText({ max: 2000 }),
  language: roomLanguageSchema,
  ageMin: age,
  ageMax: age,
  licence: oneLineText({ min: 1, max: 200 }),
};

/** Whether a book's ages are in order (either may be left out of a change). */
export function agesInOrder(book: { ageMin?: number | undefined; ageMax?: number | undefined }): boolean {
  return book.ageMin === undefined || book.ageMax === undefined || book.ageMin <= book.ageMax;
}
const AGES_IN_ORDER = { message: 'ageMin must not be above ageMax', path: ['ageMin'] };

/** The text fields of an upload (multipart form fields, so strings): ages are turned into numbers here. */
export const bookUploadFieldsSchema = z
  .object({
    ...bookMetadataFields,
    author: bookMetadataFields.author.default(''),
    illustrator: bookMetadataFields.illustrator.default(''),
    description: bookMetadataFields.description.default(''),
    ageMin: z.coerce.number().pipe(age).default(3),
    ageMax: z.coerce.number().pipe(age).default(10),
  })
  .refine(agesInOrder, AGES_IN_ORDER);

/** A change to a book on the shelf: any metadata, and `archived` to take it off (or back). */
export const bookPatchSchema = z
  .object(bookMetadataFields)
  .partial()
  .extend({ archived: z.boolean().optional() })
  .refine(agesInOrder, AGES_IN_ORDER);

/** A book as everyone may see it: no slugs, staff ids or dates. `aspectRatio`: page width / height. */
export const bookViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  author: z.string(),
  illustrator: z.string(),
  description: z.string(),
  language: roomLanguageSchema,
  ageMin: z.number(),
  ageMax: z.number(),
  licence: z.string(),
  pageCount: z.number(),
  aspectRatio: z.number(),
  source: z.enum(['shipped', 'upload']),
});
export type BookView = z.input<typeof bookViewSchema>;

/** A book as coordinators manage the shelf: also whether it is archived, and when it came. */
export const shelfBookSchema = bookViewSchema.extend({ archived: z.boolean(), createdAt: isoInstant });
export type ShelfBook = z.input<typeof shelfBookSchema>;

export const bookEndpoints = {
  /** The public shelf, optionally of one language. */
  listBooks: endpoint({
    method: 'GET',
    path: '/api/books',
    status: 200,
    query: z.object({ language: roomLanguageSchema.optional() }),
    response: z.object({ books: z.array(bookViewSchema) }),
  }),
  getBook: endpoint({ method: 'GET', path: '/api/books/:bookId', status: 200, response: bookViewSchema }),
  /** A page image (WebP), straight from disk. */
  getBookPage: endpoint({ method: 'GET', path: '/api/books/:bookId/pages/:page/:size', status: 200 }),
  /** Coordinators: the shelf as they manage it; `archived=true` lists archived books too. */
  listShelf: endpoint({
    method: 'GET',
    path: '/api/admin/books',
    status: 200,
    query: archivedQuery,
    response: z.object({ books: z.array(shelfBookSchema) }),
  }),
  /** Coordinators: a new book, as multipart/form-data (the fields of bookUploadFieldsSchema, and the page files). */
  uploadBook: endpoint({ method: 'POST', path: '/api/admin/books', status: 201, response: bookViewSchema }),
  updateBook: endpoint({ method: 'PATCH', path: '/api/admin/books/:bookId', status: 200, body: bookPatchSchema, response: shelfBookSchema }),
  /** Coordinators: archive (never delete: a storytime in progress keeps its pages). */
  archiveBook: endpoint({ method: 'DELETE', path: '/api/admin/books/:bookId', status: 204 }),
};
