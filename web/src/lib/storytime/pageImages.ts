// Where a book's page pictures are, which size suits the stage, and which pages to fetch ahead.

export type PageImageSize = 'small' | 'large';

/** The small picture is about this wide; a page drawn wider than this uses the large one. */
const SMALL_WIDTH_PX = 640;

export function pageImageUrl(bookId: string, page: number, size: PageImageSize): string {
  return `/api/books/${encodeURIComponent(bookId)}/pages/${page}/${size}`;
}

/** The size for a page drawn `cssWidth` pixels wide on a screen with `pixelRatio`. */
export function sizeForWidth(cssWidth: number, pixelRatio: number): PageImageSize {
  return cssWidth * (pixelRatio || 1) > SMALL_WIDTH_PX * 1.1 ? 'large' : 'small';
}

/** The pages to have ready around `page`: the next two first, then the one before. */
export function pagesToPreload(page: number, pageCount: number): number[] {
  return [page + 1, page + 2, page - 1].filter((p) => p >= 1 && p <= pageCount);
}
