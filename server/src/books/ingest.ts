import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BookMetadata, BookRecord, BookRepository, BookSource } from '@tupa/db';
import type { Logger } from 'pino';
import { BookError } from './errors.ts';
import { detectFileType, detectFileTypeOf, FILE_TYPE_HEAD_BYTES, type BookFileType } from './fileType.ts';
import { checkPageShape } from './pageShape.ts';
import { renderPdfPage } from './pdf.ts';
import { readPdfInfo } from './pdfInfo.ts';
import { renderPage, type RenderedPage } from './render.ts';
import { PAGE_LONG_EDGE, type BookStorage, type PageSize } from './storage.ts';

export interface IngestRequest {
  metadata: BookMetadata;
  source: BookSource;
  /** Shipped books only. */
  slug?: string;
  createdBy?: string | null;
  /** One PDF, or one picture per page in reading order: files on disk or bytes in memory. */
  pages: Array<string | Buffer>;
}

export interface IngestResult {
  book: BookRecord;
  /** Bytes of all pages together, per size. */
  bytes: Record<PageSize, number>;
}

export interface BookIngestDeps {
  storage: BookStorage;
  repo: BookRepository;
  maxPages: number;
  logger: Logger;
}

/**
 * Turns a PDF or page pictures into a book on the shelf. Every page is rendered inside `staging`
 * first; the row is inserted in a transaction whose last step renames the finished pages into
 * place. A failure anywhere leaves no row and no book directory (the caller removes `staging`).
 */
export async function ingestBook(deps: BookIngestDeps, staging: string, request: IngestRequest): Promise<IngestResult> {
  const started = Date.now();
  const pagesDir = join(staging, 'pages');
  await mkdir(pagesDir);
  const rendered = await renderAll(deps, staging, pagesDir, request.pages);
  const first = rendered[0];
  if (!first) throw new BookError('book-no-pages', 'the book has no pages');

  const id = randomUUID();
  const finalDir = deps.storage.bookDir(id);
  let moved = false;
  let book: BookRecord;
  try {
    book = await deps.repo.create(
      {
        ...request.metadata,
        id,
        slug: request.slug ?? null,
        source: request.source,
        createdBy: request.createdBy ?? null,
        pageCount: rendered.length,
        aspectRatio: first.width / first.height,
      },
      {
        beforeCommit: async () => {
          await rename(pagesDir, finalDir);
          moved = true;
        },
      },
    );
  } catch (error) {
    // The rename happened but the commit did not: the pages belong to no row.
    if (moved) await rm(finalDir, { recursive: true, force: true });
    throw error;
  }
  const bytes = {
    large: rendered.reduce((sum, page) => sum + page.bytes.large, 0),
    small: rendered.reduce((sum, page) => sum + page.bytes.small, 0),
  };
  deps.logger.info(
    { bookId: book.id, source: book.source, pages: book.pageCount, bytes, ms: Date.now() - started },
    'book added to the shelf',
  );
  return { book, bytes };
}

async function renderAll(deps: BookIngestDeps, staging: string, pagesDir: string, inputs: Array<string | Buffer>) {
  if (inputs.length === 0) throw new BookError('book-no-pages', 'send a PDF or at least one page picture');
  const types = await Promise.all(inputs.map(typeOf));
  if (types.some((type) => type === null)) {
    throw new BookError('book-wrong-type', 'send a PDF, or page pictures in JPEG, PNG or WebP');
  }
  const pagePath = (page: number) => (size: PageSize) => join(pagesDir, deps.storage.pageFile(page, size));

  if (types.includes('pdf')) {
    if (inputs.length !== 1) throw new BookError('book-wrong-type', 'send one PDF, or page pictures, not both');
    let file = inputs[0] as string | Buffer;
    if (Buffer.isBuffer(file)) {
      const copy = join(staging, 'book.pdf');
      await writeFile(copy, file);
      file = copy;
    }
    const info = await readPdfInfo(file, deps.maxPages);
    if (info.pageCount === 0) throw new BookError('book-no-pages', 'the PDF has no pages');
    checkPageCount(info.pageCount, deps.maxPages);
    // Every page's shape is known before any is drawn: a bad last page is refused at once.
    for (const [index, size] of info.pages.entries()) checkPageShape(index + 1, size.widthPt, size.heightPt);
    const rendered: RenderedPage[] = [];
    // One page at a time, each at a resolution of its own and under its own time and memory
    // bounds; BOOK_MAX_PAGES bounds the whole book.
    for (const [index, size] of info.pages.entries()) {
      const page = index + 1;
      const png = await renderPdfPage(file, page, size, PAGE_LONG_EDGE.large, { dir: staging, name: 'drawn' });
      try {
        rendered.push(await renderPage(png, pagePath(page)));
      } catch (error) {
        throw drawnPageError(error, page);
      }
      await rm(png, { force: true });
    }
    return rendered;
  }

  checkPageCount(inputs.length, deps.maxPages);
  const rendered: RenderedPage[] = [];
  for (const [index, input] of inputs.entries()) {
    const page = await renderPage(input, pagePath(index + 1));
    checkPageShape(index + 1, page.width, page.height);
    rendered.push(page);
  }
  return rendered;
}

/** Poppler's own picture of a page that sharp cannot read is that page's fault, not the file's. */
function drawnPageError(error: unknown, page: number): unknown {
  if (!(error instanceof BookError) || error.code !== 'book-corrupt') return error;
  return new BookError('book-page-unreadable', `page ${page} of the PDF could not be drawn: ${error.message}`, { page });
}

function checkPageCount(count: number, maxPages: number): void {
  if (count > maxPages) {
    throw new BookError('book-too-many-pages', `the book has ${count} pages; at most ${maxPages} are allowed`);
  }
}

function typeOf(input: string | Buffer): Promise<BookFileType | null> {
  return Buffer.isBuffer(input)
    ? Promise.resolve(detectFileType(input.subarray(0, FILE_TYPE_HEAD_BYTES)))
    : detectFileTypeOf(input);
}
