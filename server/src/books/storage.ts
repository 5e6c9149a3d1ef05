import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type PageSize = 'large' | 'small';
export const PAGE_SIZES: readonly PageSize[] = ['large', 'small'];
/** Long edge in pixels: large fills a screen in storytime, small is for the shelf and weak links. */
export const PAGE_LONG_EDGE: Record<PageSize, number> = { large: 1600, small: 640 };

/** Work directories start with a dot, so they can never be mistaken for a book (whose name is a uuid). */
const STAGING_PREFIX = '.staging-';
/** A staging directory this old belongs to an ingest that died with its process. */
const STALE_STAGING_MS = 3600_000;

/**
 * Where page images live: `<dataDir>/books/<bookId>/<page>-<size>.webp`. Staging directories are
 * made in the same directory so that moving a finished book into place is one atomic rename.
 */
export class BookStorage {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'books');
  }

  /** Makes the books directory and removes work left by an ingest that was cut off. */
  async prepare(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const now = Date.now();
    for (const name of await readdir(this.root)) {
      if (!name.startsWith(STAGING_PREFIX)) continue;
      const path = join(this.root, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > STALE_STAGING_MS) await rm(path, { recursive: true, force: true });
    }
  }

  bookDir(bookId: string): string {
    return join(this.root, bookId);
  }

  pageFile(page: number, size: PageSize): string {
    return `${page}-${size}.webp`;
  }

  pagePath(bookId: string, page: number, size: PageSize): string {
    return join(this.bookDir(bookId), this.pageFile(page, size));
  }

  /** Runs `work` with a fresh staging directory that is removed afterwards, whatever happens. */
  async withStaging<T>(work: (dir: string) => Promise<T>): Promise<T> {
    await mkdir(this.root, { recursive: true });
    const dir = join(this.root, `${STAGING_PREFIX}${randomBytes(8).toString('hex')}`);
    await mkdir(dir);
    try {
      return await work(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
