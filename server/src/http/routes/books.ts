import { open } from 'node:fs/promises';
import Router from '@koa/router';
import { DuplicateBookError, type AuditLog, type BookRecord } from '@tupa/db';
import type { Context } from 'koa';
import { manyLinesText, oneLineText } from '@tupa/signaling/protocol';
import { z } from 'zod';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import { BookError } from '../../books/errors.ts';
import type { BookShelf } from '../../books/shelf.ts';
import { receiveBookUpload } from '../../books/upload.ts';
import { HttpError } from '../errors.ts';
import { parseBody } from '../parseBody.ts';
import { refuseForbiddenText } from '../textGuard.ts';

/** A book as everyone may see it: no slugs, staff ids or dates. */
export interface BookView {
  id: string;
  title: string;
  author: string;
  illustrator: string;
  description: string;
  language: 'fi' | 'sv' | 'en';
  ageMin: number;
  ageMax: number;
  licence: string;
  pageCount: number;
  /** Width divided by height of the pages. */
  aspectRatio: number;
  source: 'shipped' | 'upload';
}

export function toBookView(book: BookRecord): BookView {
  return {
    id: book.id,
    title: book.title,
    author: book.author,
    illustrator: book.illustrator,
    description: book.description,
    language: book.language,
    ageMin: book.ageMin,
    ageMax: book.ageMax,
    licence: book.licence,
    pageCount: book.pageCount,
    aspectRatio: book.aspectRatio,
    source: book.source,
  };
}

const languageSchema = z.enum(['fi', 'sv', 'en']);
const age = z.number().int().min(0).max(18);
const metadataFields = {
  title: oneLineText({ min: 1, max: 200 }),
  author: oneLineText({ max: 200 }),
  illustrator: oneLineText({ max: 200 }),
  description: manyLinesText({ max: 2000 }),
  language: languageSchema,
  ageMin: age,
  ageMax: age,
  licence: oneLineText({ min: 1, max: 200 }),
};
const agesInOrder = (book: { ageMin?: number | undefined; ageMax?: number | undefined }) =>
  book.ageMin === undefined || book.ageMax === undefined || book.ageMin <= book.ageMax;

/** The text fields of an upload arrive as strings; ages are turned into numbers here. */
const uploadMetadataSchema = z
  .object({
    ...metadataFields,
    author: metadataFields.author.default(''),
    illustrator: metadataFields.illustrator.default(''),
    description: metadataFields.description.default(''),
    ageMin: z.coerce.number().pipe(age).default(3),
    ageMax: z.coerce.number().pipe(age).default(10),
  })
  .refine(agesInOrder, { message: 'ageMin must not be above ageMax', path: ['ageMin'] });
const patchSchema = z
  .object(metadataFields)
  .partial()
  .extend({ archived: z.boolean().optional() })
  .refine(agesInOrder, { message: 'ageMin must not be above ageMax', path: ['ageMin'] });

const BOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_NUMBER = /^[1-9][0-9]{0,3}$/;
const PAGE_SIZE = new Set(['small', 'large']);

/** The public shelf: list, one book, and its page images. Books hold no personal data. */
export function booksRouter(deps: { shelf: BookShelf }): Router {
  const router = new Router({ prefix: '/books' });

  router.get('/', async (ctx) => {
    const language = ctx.query.language;
    const parsed = language === undefined ? undefined : languageSchema.safeParse(language);
    if (parsed && !parsed.success) throw new HttpError('validation', 'language must be fi, sv or en');
    const books = await deps.shelf.repo.list(parsed ? { language: parsed.data } : {});
    ctx.body = { books: books.map(toBookView) };
  });

  router.get('/:bookId', async (ctx) => {
    const book = await deps.shelf.repo.findById(ctx.params.bookId ?? '');
    if (!book || book.archived) throw new HttpError('not-found', 'no such book');
    ctx.body = toBookView(book);
  });

  // Straight from disk without asking the database: pages keep loading during a database outage,
  // and a page that does not exist (unknown book, page past the end) simply has no file.
  router.get('/:bookId/pages/:page/:size', async (ctx) => {
    const { bookId = '', page = '', size = '' } = ctx.params;
    if (!BOOK_ID.test(bookId) || !PAGE_NUMBER.test(page) || !PAGE_SIZE.has(size)) {
      throw new HttpError('not-found', 'no such page');
    }
    const path = deps.shelf.storage.pagePath(bookId, Number(page), size as 'small' | 'large');
    const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new HttpError('not-found', 'no such page');
      throw error;
    });
    try {
      const { size: length } = await file.stat();
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.type = 'image/webp';
      ctx.length = length;
      ctx.body = file.createReadStream();
    } catch (error) {
      await file.close();
      throw error;
    }
  });

  return router;
}

function actorId(ctx: Context): string {
  const staff = (ctx.state as StaffState).staff;
  if (!staff) throw new HttpError('unauthenticated', 'sign in first');
  return staff.record.id;
}

/** What coordinators see and do on the shelf: uploads, corrections, archiving. */
export function manageBooksRouter(deps: { shelf: BookShelf; audit: AuditLog }): Router {
  const router = new Router({ prefix: '/admin/books' });
  router.use(requireStaff('coordinator'));

  router.get('/', async (ctx) => {
    const books = await deps.shelf.repo.list({ includeArchived: ctx.query.archived === 'true' });
    ctx.body = { books: books.map((book) => ({ ...toBookView(book), archived: book.archived, createdAt: book.createdAt })) };
  });

  router.post('/', async (ctx) => {
    const staffId = actorId(ctx);
    const { shelf } = deps;
    let added;
    try {
      added = await shelf.add(async (staging) => {
        const upload = await receiveBookUpload(ctx.req, staging, {
          maxBytes: shelf.limits.maxUploadBytes,
          maxFiles: shelf.limits.maxPages,
        });
        // Multipart fields come past the JSON body parser, so the text rule is applied here.
        refuseForbiddenText(upload.fields);
        const metadata = uploadMetadataSchema.safeParse(upload.fields);
        if (!metadata.success) {
          const issue = metadata.error.issues[0];
          throw new HttpError('validation', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
        }
        return { metadata: metadata.data, source: 'upload', createdBy: staffId, pages: upload.files };
      });
    } catch (error) {
      if (error instanceof BookError) throw new HttpError(error.code, error.message, { page: error.page });
      throw error;
    }
    await deps.audit.record(staffId, 'book.create', added.book.id);
    ctx.status = 201;
    ctx.body = toBookView(added.book);
  });

  router.patch('/:bookId', async (ctx) => {
    const book = await deps.shelf.repo.findById(ctx.params.bookId ?? '');
    if (!book) throw new HttpError('not-found', 'no such book');
    const patch = parseBody(patchSchema, ctx);
    if (!agesInOrder({ ageMin: patch.ageMin ?? book.ageMin, ageMax: patch.ageMax ?? book.ageMax })) {
      throw new HttpError('validation', 'ageMin: must not be above ageMax');
    }
    let updated: BookRecord | null;
    try {
      updated = await deps.shelf.repo.update(book.id, patch);
    } catch (error) {
      if (error instanceof DuplicateBookError) throw new HttpError('invalid-state', 'this story is already on the shelf in that language');
      throw error;
    }
    if (!updated) throw new HttpError('not-found', 'no such book');
    const action = patch.archived === true ? 'book.archive' : patch.archived === false ? 'book.restore' : 'book.update';
    await deps.audit.record(actorId(ctx), action, book.id);
    ctx.body = { ...toBookView(updated), archived: updated.archived, createdAt: updated.createdAt };
  });

  // Archiving, not deleting: a storytime in progress keeps its pages, and the shelf can be restored.
  router.delete('/:bookId', async (ctx) => {
    const updated = await deps.shelf.repo.update(ctx.params.bookId ?? '', { archived: true });
    if (!updated) throw new HttpError('not-found', 'no such book');
    await deps.audit.record(actorId(ctx), 'book.archive', updated.id);
    ctx.status = 204;
  });

  return router;
}
