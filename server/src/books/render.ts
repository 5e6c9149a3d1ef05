import sharp, { type OutputInfo } from 'sharp';
import { BookError } from './errors.ts';
import { PAGE_LONG_EDGE, PAGE_SIZES, type PageSize } from './storage.ts';

/** About a 10 000 x 10 000 picture: far beyond any page, well short of a decompression bomb. */
const MAX_INPUT_PIXELS = 100_000_000;
/** Chosen by eye on illustrated pages: no visible banding in flat colour, a few hundred kB for a full page. */
const WEBP_QUALITY: Record<PageSize, number> = { large: 82, small: 76 };
/** Measured on the shipped books: twice as fast as effort 4 for files about 7 % larger. */
const WEBP_EFFORT = 2;

export interface RenderedPage {
  /** Pixel size of the large image. */
  width: number;
  height: number;
  bytes: Record<PageSize, number>;
}

/**
 * Writes one page as WebP in both sizes (`path(size)` says where). The picture is turned as its
 * EXIF says, transparent parts become white paper, and it is never enlarged past its own pixels.
 * Anything sharp cannot decode is `book-corrupt`.
 */
export async function renderPage(input: string | Buffer, path: (size: PageSize) => string): Promise<RenderedPage> {
  try {
    const base = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' });
    const results = {} as Record<PageSize, OutputInfo>;
    // One size after the other: pages are large and this machine may be small.
    for (const size of PAGE_SIZES) {
      const edge = PAGE_LONG_EDGE[size];
      results[size] = await base
        .clone()
        .resize({ width: edge, height: edge, fit: 'inside', withoutEnlargement: true })
        .webp({ quality: WEBP_QUALITY[size], effort: WEBP_EFFORT })
        .toFile(path(size));
    }
    return {
      width: results.large.width,
      height: results.large.height,
      bytes: { large: results.large.size, small: results.small.size },
    };
  } catch (error) {
    // A full disk or a missing directory is the server's trouble, not a broken picture.
    if (error instanceof BookError || typeof (error as NodeJS.ErrnoException).code === 'string') throw error;
    throw new BookError('book-corrupt', 'a page picture could not be read');
  }
}
