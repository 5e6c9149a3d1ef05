import { open } from 'node:fs/promises';
import Router from '@koa/router';
import type { AuditLog, BookRecord } from '@tupa/db';
import { agesInOrder, bookUploadFieldsSchema, restApi, type ResponseValue } from '@tupa/signaling/protocol';
import type { Context } from 'koa';
import { requireStaff, type StaffState } from '../../auth/staffSession.ts';
import type { BookShelf } from '../../books/shelf.ts';
import { receiveBookUpload } from '../../books/upload.ts';
import { HttpError } from '../errors.ts';
import { parseBody, parseInput, parseQuery } from '../parseBody.ts';
import { respond, respondEmpty } from '../respond.ts';
import { refuseForbiddenText } from '../textGuard.ts';

/** A book as everyone may see it (the protocol's BookView): no slugs, staff ids or dates. */
function toBookView(book: BookRecord): ResponseValue<typeof restApi.getBook> {
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

/** A book as coordinators manage the shelf. */
function toShelfBook(book: BookRecord): ResponseValue<typeof restApi.updateBook> {
  return { ...toBookView(book), archived: book.archived, createdAt: book.createdAt };
}

const BOOK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PAGE_NUMBER = /^[1-9][0-9]{0,3}$/;
const PAGE_SIZE = new Set(['small', 'large']);

/** The public shelf: list, one book, and its page images. Books hold no personal data. */
export function booksRouter(deps: { shelf: BookShelf }): Router {
  const router = new Router({ prefix: '/books' });

  router.get('/', async (ctx) => {
    const query = restApi.listBooks.query.safeParse(ctx.query);
    if (!query.success) throw new HttpError('validation', 'language must be fi, sv or en');
    const { language } = query.data;
    const books = await deps.shelf.repo.list(language ? { language } : {});
    respond(ctx, restApi.listBooks, { books: books.map(toBookView) });
  });

  router.get('/:bookId', async (ctx) => {
    const book = await deps.shelf.repo.findById(ctx.params.bookId ?? '');
    if (!book || book.archived) throw new HttpError('not-found', 'no such book');
    respond(ctx, restApi.getBook, toBookView(book));
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
    const { archived } = parseQuery(restApi.listShelf.query, ctx);
    const books = await deps.shelf.repo.list({ includeArchived: archived === 'true' });
    respond(ctx, restApi.listShelf, { books: books.map(toShelfBook) });
  });

  router.post('/', async (ctx) => {
    const staffId = actorId(ctx);
    const { shelf } = deps;
    // A book that cannot be made throws a BookError, which the error middleware turns into its code.
    const added = await shelf.add(async (staging) => {
      const upload = await receiveBookUpload(ctx.req, staging, {
        maxBytes: shelf.limits.maxUploadBytes,
        maxFiles: shelf.limits.maxPages,
      });
      // Multipart fields come past the JSON body parser, so the text rule is applied here.
      refuseForbiddenText(upload.fields);
      const metadata = parseInput(bookUploadFieldsSchema, upload.fields);
      return { metadata, source: 'upload', createdBy: staffId, pages: upload.files };
    });
    await deps.audit.record(staffId, 'book.create', added.book.id);
    respond(ctx, restApi.uploadBook, toBookView(added.book));
  });

  router.patch('/:bookId', async (ctx) => {
    const book = await deps.shelf.repo.findById(ctx.params.bookId ?? '');
    if (!book) throw new HttpError('not-found', 'no such book');
    const patch = parseBody(restApi.updateBook.body, ctx);
    if (!agesInOrder({ ageMin: patch.ageMin ?? book.ageMin, ageMax: patch.ageMax ?? book.ageMax })) {
      throw new HttpError('validation', 'ageMin: must not be above ageMax');
    }
    // The same story twice in one language throws DuplicateBookError: 409 by the error middleware.
    const updated = await deps.shelf.repo.update(book.id, patch);
    if (!updated) throw new HttpError('not-found', 'no such book');
    const action = patch.archived === true ? 'book.archive' : patch.archived === false ? 'book.restore' : 'book.update';
    await deps.audit.record(actorId(ctx), action, book.id);
    respond(ctx, restApi.updateBook, toShelfBook(updated));
  });

  // Archiving, not deleting: a storytime in progress keeps its pages, and the shelf can be restored.
  router.delete('/:bookId', async (ctx) => {
    const updated = await deps.shelf.repo.update(ctx.params.bookId ?? '', { archived: true });
    if (!updated) throw new HttpError('not-found', 'no such book');
    await deps.audit.record(actorId(ctx), 'book.archive', updated.id);
    respondEmpty(ctx, restApi.archiveBook);
  });

  return router;
}
