import { BookError } from './errors.ts';

/**
 * The longest a page may be against its width, either way round. Two A4 pages side by side (a
 * picture book's double spread) come to about 2.8 : 1; 4 : 1 leaves room for wider panoramas,
 * and still gives a page at least 400 px across at the large size (1600 px on the long edge),
 * 160 px as a thumbnail. A narrower strip cannot be read on a screen shared in storytime.
 */
export const MAX_PAGE_ASPECT = 4;

/**
 * Refuses a page far longer than it is wide, or the other way round (`book-page-shape`, naming
 * `page`, from 1). Width and height are in any one unit: points of a PDF page or pixels.
 */
export function checkPageShape(page: number, width: number, height: number): void {
  const aspect = Math.max(width, height) / Math.min(width, height);
  if (!(aspect <= MAX_PAGE_ASPECT)) {
    throw new BookError(
      'book-page-shape',
      `page ${page} is ${aspect.toFixed(1)} times as long as it is wide; at most ${MAX_PAGE_ASPECT} can be shown`,
      { page },
    );
  }
}
