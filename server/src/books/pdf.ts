import { execFile } from 'node:child_process';
import pLimit from 'p-limit';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { BookError } from './errors.ts';
import type { PdfPageSize } from './pdfInfo.ts';

const run = promisify(execFile);

/**
 * Drawings wait for each other across the whole process, so several coordinators uploading at
 * once use one drawing's memory bound (PAGE_DRAW_LIMITS), not one each; a page takes well under
 * a second, so the wait is short.
 */
const oneDrawingAtATime = pLimit(1);

/**
 * Bounds on drawing one page. A picture-book page at 1600 px draws in well under a second and
 * poppler needs about 25 MB for it, even for a scanned 8000 x 6000 spread (measured with poppler
 * 22.12); the limits are far above that and stop a pathological page from holding the server.
 */
export interface PageDrawLimits {
  /** Wall-clock time, after which poppler is killed. */
  timeoutMs: number;
  /** Processor time, enforced by the kernel (RLIMIT_CPU), in whole seconds. */
  cpuSeconds: number;
  /** Address space poppler may map (RLIMIT_AS), in bytes; an allocation past it fails. */
  memoryBytes: number;
}

export const PAGE_DRAW_LIMITS: PageDrawLimits = { timeoutMs: 30_000, cpuSeconds: 30, memoryBytes: 512 * 1024 * 1024 };

/** Poppler rounds each edge to whole pixels its own way; a drawn page may differ by this much. */
const SIZE_TOLERANCE_PX = 2;

/**
 * The pixel size of a page drawn with its long edge at `longEdgePx`, as pdftoppm `-scale-to`
 * does: edges rounded up to whole pixels (an A5 page comes out 1130 x 1600). The small allowance
 * keeps a long edge computed as 1600.0000001 at 1600.
 */
export function drawnSize(page: PdfPageSize, longEdgePx: number): { width: number; height: number } {
  const scale = longEdgePx / Math.max(page.widthPt, page.heightPt);
  const edge = (points: number) => Math.ceil(points * scale - 1e-6);
  return { width: edge(page.widthPt), height: edge(page.heightPt) };
}

/**
 * Draws page `page` (from 1) of `file` into `<dir>/<name>.png` with its long edge at `longEdgePx`,
 * whatever its size in points: each page gets its own resolution, so a poster-sized page among
 * A5 pages comes out at the same 1600 px and a tiny one is not a thumbnail. Poppler runs
 * without a shell, under `limits`, on the page's crop box (the part a PDF viewer shows).
 *
 * The result is checked, because poppler may fail and still exit 0 (a page too large for its
 * memory comes out as a 1 x 1 picture): the file must decode as a PNG of `size` drawn at
 * `longEdgePx`, to within a pixel or two. Anything else is `book-page-unreadable` naming the
 * page. Returns the PNG's path.
 */
export async function renderPdfPage(
  file: string,
  page: number,
  size: PdfPageSize,
  longEdgePx: number,
  target: { dir: string; name: string },
  limits: PageDrawLimits = PAGE_DRAW_LIMITS,
): Promise<string> {
  const prefix = join(target.dir, target.name);
  const pdftoppm = ['pdftoppm', '-cropbox', '-scale-to', String(longEdgePx), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, prefix];
  try {
    // prlimit (util-linux) sets the kernel's limits and then becomes pdftoppm, so the timeout's
    // kill reaches poppler itself.
    await oneDrawingAtATime(() =>
      run('prlimit', [`--as=${limits.memoryBytes}`, `--cpu=${limits.cpuSeconds}`, '--', ...pdftoppm], {
        timeout: limits.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 1024 * 1024,
        encoding: 'utf8',
      }),
    );
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('prlimit is not installed (util-linux)');
    if (/failed to execute/.test(failure.stderr ?? '')) throw new Error('pdftoppm is not installed (poppler-utils)');
    throw unreadable(page, 'poppler could not draw it');
  }
  const png = `${prefix}.png`;
  await checkDrawnPage(png, page, drawnSize(size, longEdgePx));
  return png;
}

/**
 * Checks that `png` holds a picture of `expected` size (within `SIZE_TOLERANCE_PX`), and is not
 * empty; a blank white page is a page. Otherwise `book-page-unreadable` naming `page`.
 */
export async function checkDrawnPage(png: string, page: number, expected: { width: number; height: number }): Promise<void> {
  const bytes = await stat(png).then(
    (info) => info.size,
    () => 0,
  );
  if (bytes === 0) throw unreadable(page, 'poppler wrote no picture');
  const limit = (expected.width + SIZE_TOLERANCE_PX) * (expected.height + SIZE_TOLERANCE_PX);
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(png, { limitInputPixels: limit, failOn: 'error' }).metadata());
  } catch {
    throw unreadable(page, 'poppler wrote something that is not a picture');
  }
  const near = (got: number | undefined, want: number) => got !== undefined && Math.abs(got - want) <= SIZE_TOLERANCE_PX;
  if (!near(width, expected.width) || !near(height, expected.height)) {
    throw unreadable(page, `it came out ${width ?? 0} x ${height ?? 0} px instead of ${expected.width} x ${expected.height}`);
  }
}

function unreadable(page: number, why: string): BookError {
  return new BookError('book-page-unreadable', `page ${page} of the PDF could not be drawn: ${why}`, { page });
}
