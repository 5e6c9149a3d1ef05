import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadShippedBooks, SHIPPED_BOOKS_DIR, type ShippedBook } from './shipped.ts';

const STORIES = ['ainos-mitten', 'little-boat', 'little-hedgehog'];
const LANGUAGES = ['fi', 'sv', 'en'] as const;

interface BookJson {
  languages: Record<string, { title: string; pages: string[][] }>;
}

async function svgCount(slug: string): Promise<number> {
  return (await readdir(join(SHIPPED_BOOKS_DIR, slug, 'pages'))).filter((f) => f.endsWith('.svg')).length;
}

/** A small greyscale thumbnail: enough to tell two pictures apart, cheap to compare. */
async function thumbnail(png: Buffer, region?: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  const image = region ? sharp(png).extract(region) : sharp(png);
  return image.resize(64, 48, { fit: 'fill' }).greyscale().raw().toBuffer();
}

/** Greyscale pixels of the bottom band where the words go. */
async function bandPixels(image: Buffer): Promise<Buffer> {
  return sharp(image).extract({ left: 0, top: 940, width: 1600, height: 260 }).greyscale().raw().toBuffer();
}

function meanDifference(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

const SVG_PAGE =
  '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><rect width="1600" height="1200" fill="#fff"/></svg>';
const language = (title: string, pages: string[][]) => ({ title, description: 'A test book.', pages });

async function writeBook(dir: string, slug: string, book: object, pageCount: number): Promise<void> {
  await mkdir(join(dir, slug, 'pages'), { recursive: true });
  await writeFile(join(dir, slug, 'book.json'), JSON.stringify(book));
  for (let i = 1; i <= pageCount; i++) await writeFile(join(dir, slug, 'pages', `${String(i).padStart(2, '0')}.svg`), SVG_PAGE);
}

function validBook(slug: string, pages: string[][]) {
  return {
    slug,
    licence: 'CC BY 4.0',
    author: 'Tupa contributors',
    illustrator: 'Tupa contributors',
    ageMin: 3,
    ageMax: 7,
    languages: { fi: language('Kirja', pages), sv: language('Bok', pages), en: language('Book', pages) },
  };
}

describe('shipped picture books', () => {
  let books: ShippedBook[];
  beforeAll(async () => {
    books = await loadShippedBooks(SHIPPED_BOOKS_DIR);
  });

  it('every story exists in Finnish, Swedish and English with its licence and credits', () => {
    for (const slug of STORIES) {
      const versions = books.filter((b) => b.slug === slug);
      expect(versions.map((b) => b.language).sort()).toEqual([...LANGUAGES].sort());
      for (const b of versions) {
        expect(b.title.length).toBeGreaterThan(0);
        expect(b.description.length).toBeGreaterThan(20);
        expect(b.licence).toBe('CC BY 4.0');
        expect(b.author).toBe('Tupa contributors');
        expect(b.ageMin).toBeLessThanOrEqual(b.ageMax);
      }
      // A title that is the same in every language would mean one was not translated.
      expect(new Set(versions.map((b) => b.title)).size).toBe(3);
    }
    expect(new Set(books.map((b) => b.slug))).toEqual(new Set(STORIES));
  });

  it('each language has one page of text per illustration, in short pre-broken lines', async () => {
    for (const slug of STORIES) {
      const book = JSON.parse(await readFile(join(SHIPPED_BOOKS_DIR, slug, 'book.json'), 'utf8')) as BookJson;
      const illustrations = await svgCount(slug);
      expect(illustrations).toBeGreaterThanOrEqual(9);
      for (const lang of LANGUAGES) {
        const pages = book.languages[lang]?.pages ?? [];
        expect(pages.length, `${slug} ${lang}`).toBe(illustrations);
        for (const lines of pages) {
          expect(lines.length, `${slug} ${lang}: ${lines.join(' / ')}`).toBeGreaterThanOrEqual(1);
          expect(lines.length, `${slug} ${lang}: ${lines.join(' / ')}`).toBeLessThanOrEqual(3);
          for (const line of lines) expect([...line].length, `${slug} ${lang}: "${line}"`).toBeLessThanOrEqual(38);
        }
      }
    }
  });

  it('the illustrations carry no text and leave a pale band at the bottom for the words', async () => {
    for (const slug of STORIES) {
      const dir = join(SHIPPED_BOOKS_DIR, slug, 'pages');
      for (const file of (await readdir(dir)).filter((f) => f.endsWith('.svg'))) {
        const svg = await readFile(join(dir, file));
        expect(svg.toString('utf8'), `${slug}/${file}`).not.toMatch(/<text/);
        expect(svg.length, `${slug}/${file} stays small`).toBeLessThan(12_000);
        const band = await bandPixels(svg);
        // Dark text (#2A2438) needs a light background everywhere it may fall: near white gives well over 7:1.
        expect(band.reduce((m, v) => Math.min(m, v), 255), `${slug}/${file} darkest pixel in the band`).toBeGreaterThan(215);
      }
    }
  });

  it('renders every page of every book as a distinct 1600×1200 PNG with its own words', async () => {
    const bySlug = new Map<string, Buffer[]>();
    for (const book of books) {
      const pages = await book.renderPages();
      expect(pages).toHaveLength(await svgCount(book.slug));
      for (const png of pages) {
        const meta = await sharp(png).metadata();
        expect(meta.format).toBe('png');
        expect([meta.width, meta.height]).toEqual([1600, 1200]);
      }
      const thumbs = await Promise.all(pages.map((p) => thumbnail(p)));
      for (let i = 0; i < thumbs.length; i++) {
        for (let j = i + 1; j < thumbs.length; j++) {
          expect(meanDifference(thumbs[i]!, thumbs[j]!), `${book.slug} ${book.language} pages ${i + 1} and ${j + 1}`).toBeGreaterThan(6);
        }
      }
      if (book.language === 'fi') bySlug.set(book.slug, pages);
      else {
        // Same picture, different words: the text band must differ from the Finnish one.
        const finnish = bySlug.get(book.slug)!;
        const band = { left: 0, top: 930, width: 1600, height: 270 };
        expect(meanDifference(await thumbnail(pages[1]!, band), await thumbnail(finnish[1]!, band))).toBeGreaterThan(2);
      }
    }
  }, 120_000);
});

describe('loadShippedBooks with a broken book', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('names the file when a line is too long', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tupa-books-'));
    const long = 'This line is much too long for a picture book page';
    await writeBook(dir, 'broken', validBook('broken', [['Title'], [long]]), 2);
    await expect(loadShippedBooks(dir)).rejects.toThrow(/broken[/\\]book\.json.*\n?.*pages/s);
  });

  it('names the file when a language is missing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tupa-books-'));
    const book = validBook('no-swedish', [['Title'], ['Words']]) as { languages: Record<string, unknown> };
    delete book.languages.sv;
    await writeBook(dir, 'no-swedish', book, 2);
    await expect(loadShippedBooks(dir)).rejects.toThrow(/no-swedish[/\\]book\.json[\s\S]*sv/);
  });

  it('refuses a book whose text and illustrations disagree on the page count', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tupa-books-'));
    await writeBook(dir, 'short', validBook('short', [['Title'], ['One'], ['Two']]), 2);
    await expect(loadShippedBooks(dir)).rejects.toThrow(/short[/\\]book\.json: fi has 3 pages but pages\/ holds 2/);
  });

  it('renders words with XML special characters and Nordic letters', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tupa-books-'));
    await writeBook(dir, 'symbols', validBook('symbols', [['Tom & Jerry <3'], ['"Åke" ja Äiti\'s öljy']]), 2);
    const [book] = await loadShippedBooks(dir);
    const pages = await book!.renderPages();
    expect(pages).toHaveLength(2);
    // The page background is plain white, so any dark pixels in the band are the rendered words.
    const band = await bandPixels(pages[1]!);
    expect(band.filter((v) => v < 80).length).toBeGreaterThan(500);
  });
});
