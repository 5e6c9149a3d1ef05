import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BookError } from './errors.ts';
import { PAGE_DRAW_LIMITS } from './pdf.ts';

const run = promisify(execFile);

/** pdfinfo reads only the document's structure; a file that takes longer is not a picture book. */
const INFO_TIMEOUT_MS = 15_000;
/** Two lines per page of at most about 60 characters: 500 pages fit many times over. */
const INFO_MAX_OUTPUT_BYTES = 1024 * 1024;

/** One page as a reader sees it, in points (1/72 inch): its crop box, turned by its /Rotate. */
export interface PdfPageSize {
  widthPt: number;
  heightPt: number;
}

export interface PdfInfo {
  /** Every page of the document, also past `upToPage`. */
  pageCount: number;
  /** Pages 1 to min(pageCount, upToPage), in order. */
  pages: PdfPageSize[];
}

/**
 * Page count and each page's size from poppler's `pdfinfo -f 1 -l upToPage`; sizes are read only
 * up to `upToPage` (the book's page limit), so a file claiming a million pages costs no more than
 * an allowed one. A file pdfinfo cannot read is `book-corrupt`; a page without a usable size is
 * `book-page-unreadable` naming that page.
 */
export async function readPdfInfo(file: string, upToPage: number): Promise<PdfInfo> {
  let stdout: string;
  try {
    // execFile, never a shell: the path is ours, but no string is ever interpreted.
    // Under the same memory and processor-time bounds as a page's drawing: pdfinfo parses the
    // whole document, and a hostile one could otherwise take the server's memory.
    const bounds = [`--as=${PAGE_DRAW_LIMITS.memoryBytes}`, `--cpu=${PAGE_DRAW_LIMITS.cpuSeconds}`];
    ({ stdout } = await run('prlimit', [...bounds, '--', 'pdfinfo', '-f', '1', '-l', String(upToPage), file], {
      timeout: INFO_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      maxBuffer: INFO_MAX_OUTPUT_BYTES,
      encoding: 'utf8',
    }));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('prlimit is not installed (util-linux)');
    if (/failed to execute/.test(failure.stderr ?? '')) throw new Error('pdfinfo is not installed (poppler-utils)');
    throw new BookError('book-corrupt', 'the PDF could not be read');
  }
  return parsePdfInfo(stdout, upToPage);
}

/** Reads pdfinfo's text (`Pages:`, `Page N size: W x H pts`, `Page N rot: R`); exported for tests. */
export function parsePdfInfo(text: string, upToPage: number): PdfInfo {
  const count = /^Pages:\s+(\d+)\s*$/m.exec(text);
  const pageCount = count ? Number(count[1]) : Number.NaN;
  if (!Number.isSafeInteger(pageCount)) throw new BookError('book-corrupt', 'the PDF could not be read');

  const sizes = new Map<number, { width: number; height: number }>();
  const rotations = new Map<number, number>();
  // Sizes may be written with an exponent (poppler prints 1e+06 for a very large page).
  for (const match of text.matchAll(/^Page\s+(\d+)\s+size:\s+(\S+) x (\S+) pts/gm)) {
    sizes.set(Number(match[1]), { width: Number(match[2]), height: Number(match[3]) });
  }
  for (const match of text.matchAll(/^Page\s+(\d+)\s+rot:\s+(-?\d+)/gm)) rotations.set(Number(match[1]), Number(match[2]));

  const pages: PdfPageSize[] = [];
  for (let page = 1; page <= Math.min(pageCount, upToPage); page++) {
    const size = sizes.get(page);
    if (!size || !(size.width > 0) || !(size.height > 0) || !Number.isFinite(size.width) || !Number.isFinite(size.height)) {
      throw new BookError('book-page-unreadable', `page ${page} of the PDF has no usable size`, { page });
    }
    // Poppler turns the picture only for a quarter or three quarters (PDF 32000-1, 7.7.3.3: /Rotate
    // is a multiple of 90); pdfinfo prints the box as stored, so the turn is applied here.
    const rotation = (((rotations.get(page) ?? 0) % 360) + 360) % 360;
    const turned = rotation === 90 || rotation === 270;
    pages.push({ widthPt: turned ? size.height : size.width, heightPt: turned ? size.width : size.height });
  }
  return { pageCount, pages };
}
