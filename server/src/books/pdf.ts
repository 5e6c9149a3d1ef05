import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BookError } from './errors.ts';

const run = promisify(execFile);

/** pdfinfo reads only the document's structure; a file that takes longer is not a picture book. */
const INFO_TIMEOUT_MS = 15_000;
/** One page of a picture book renders in well under a second; this catches pathological files. */
const PAGE_TIMEOUT_MS = 60_000;
const DPI_MIN = 36;
const DPI_MAX = 600;

export interface PdfInfo {
  pageCount: number;
  /** First page, in points (1/72 inch). */
  widthPt: number;
  heightPt: number;
}

/** Page count and size from poppler's pdfinfo; a file it cannot read is `book-corrupt`. */
export async function readPdfInfo(file: string): Promise<PdfInfo> {
  let stdout: string;
  try {
    // execFile, never a shell: the path is ours, but no string is ever interpreted.
    ({ stdout } = await run('pdfinfo', [file], { timeout: INFO_TIMEOUT_MS, maxBuffer: 1024 * 1024, encoding: 'utf8' }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdfinfo is not installed (poppler-utils)');
    throw new BookError('book-corrupt', 'the PDF could not be read');
  }
  const pages = /^Pages:\s+(\d+)\s*$/m.exec(stdout);
  const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(stdout);
  const pageCount = pages ? Number(pages[1]) : Number.NaN;
  if (!Number.isInteger(pageCount)) throw new BookError('book-corrupt', 'the PDF could not be read');
  if (pageCount === 0) return { pageCount, widthPt: 0, heightPt: 0 };
  const widthPt = Number(size?.[1]);
  const heightPt = Number(size?.[2]);
  if (!(widthPt > 0) || !(heightPt > 0)) throw new BookError('book-corrupt', 'the PDF has no usable page size');
  return { pageCount, widthPt, heightPt };
}

/** The resolution at which the page's long edge comes out at about `longEdgePx`. */
export function dpiFor(info: PdfInfo, longEdgePx: number): number {
  const longEdgeInches = Math.max(info.widthPt, info.heightPt) / 72;
  return Math.round(Math.min(DPI_MAX, Math.max(DPI_MIN, longEdgePx / longEdgeInches)));
}

/** Renders one page (from 1) to `<dir>/<name>.png` with pdftoppm and returns the file's path. */
export async function renderPdfPage(file: string, page: number, dpi: number, dir: string, name: string): Promise<string> {
  const prefix = join(dir, name);
  try {
    await run('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix], {
      timeout: PAGE_TIMEOUT_MS,
      maxBuffer: 1024 * 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdftoppm is not installed (poppler-utils)');
    throw new BookError('book-corrupt', `page ${page} of the PDF could not be drawn`);
  }
  return `${prefix}.png`;
}
