import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { z } from 'zod';

/** The picture books that come with Tupa: illustrations as SVG, text per language in book.json. */
export interface ShippedBook {
  slug: string;
  language: 'fi' | 'sv' | 'en';
  title: string;
  author: string;
  illustrator: string;
  description: string;
  licence: string;
  ageMin: number;
  ageMax: number;
  /** Full-size PNGs (1600×1200), in page order: the illustration with this language's text. */
  renderPages(): Promise<Buffer[]>;
}

export const SHIPPED_BOOKS_DIR: string = fileURLToPath(new URL('../../books/shipped', import.meta.url));

const SHIPPED_LANGUAGES = ['fi', 'sv', 'en'] as const;
const PAGE_WIDTH = 1600;
const PAGE_HEIGHT = 1200;
/** Lines are broken by hand in book.json so the renderer never has to wrap. */
const MAX_LINE_LENGTH = 38;
const MAX_LINES_PER_PAGE = 3;
/** The illustrations leave this band pale and calm; the text goes on it. */
const TEXT_BAND_TOP = 920;

// librsvg is CPU-heavy and each page holds a full-size bitmap; a few at a time keeps a small
// server responsive while books are seeded.
const RENDER_CONCURRENCY = 3;
const PAGE_FILE = /^(\d{2,3})\.svg$/;

const line = z.string().trim().min(1).max(MAX_LINE_LENGTH);
const languageSchema = z.object({
  title: z.string().trim().min(1).max(120),
  description: z.string().trim().min(1).max(400),
  pages: z.array(z.array(line).min(1).max(MAX_LINES_PER_PAGE)).min(2).max(60),
});
const bookSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens'),
    licence: z.string().trim().min(1),
    author: z.string().trim().min(1),
    illustrator: z.string().trim().min(1),
    ageMin: z.number().int().min(0).max(18),
    ageMax: z.number().int().min(0).max(18),
    languages: z.object({ fi: languageSchema, sv: languageSchema, en: languageSchema }),
  })
  .refine((b) => b.ageMin <= b.ageMax, { message: 'ageMin must not be above ageMax', path: ['ageMin'] });

type BookFile = z.infer<typeof bookSchema>;

/** Reads every book folder (one holding a book.json) under dir; one entry per story and language. */
export async function loadShippedBooks(dir: string): Promise<ShippedBook[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const books: ShippedBook[] = [];
  for (const folder of folders) {
    const bookDir = join(dir, folder);
    const manifest = join(bookDir, 'book.json');
    const names = await readdir(bookDir);
    if (!names.includes('book.json')) continue;
    const book = await readBookFile(manifest);
    if (book.slug !== folder) {
      throw new TypeError(`${manifest}: slug "${book.slug}" must match its folder name "${folder}"`);
    }
    const pageFiles = await listPageFiles(join(bookDir, 'pages'), manifest);
    for (const language of SHIPPED_LANGUAGES) {
      const text = book.languages[language];
      if (text.pages.length !== pageFiles.length) {
        throw new TypeError(
          `${manifest}: ${language} has ${text.pages.length} pages but pages/ holds ${pageFiles.length} illustrations`,
        );
      }
      books.push({
        slug: book.slug,
        language,
        title: text.title,
        author: book.author,
        illustrator: book.illustrator,
        description: text.description,
        licence: book.licence,
        ageMin: book.ageMin,
        ageMax: book.ageMax,
        renderPages: () =>
          mapWithConcurrency(pageFiles, RENDER_CONCURRENCY, (file, index) =>
            renderPage(file, text.pages[index] ?? [], index === 0),
          ),
      });
    }
  }
  return books;
}

async function readBookFile(file: string): Promise<BookFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new TypeError(`${file}: not readable JSON (${(error as Error).message})`);
  }
  const parsed = bookSchema.safeParse(raw);
  if (!parsed.success) throw new TypeError(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** Page illustrations are numbered 01.svg, 02.svg, … with no gaps, so order never depends on locale. */
async function listPageFiles(pagesDir: string, manifest: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(pagesDir);
  } catch {
    throw new TypeError(`${manifest}: the folder ${pagesDir} with the page illustrations is missing`);
  }
  const numbered = names
    .map((name) => ({ name, match: PAGE_FILE.exec(name) }))
    .filter((p) => p.match)
    .map((p) => ({ name: p.name, number: Number(p.match?.[1]) }))
    .sort((a, b) => a.number - b.number);
  numbered.forEach((p, i) => {
    if (p.number !== i + 1) throw new TypeError(`${manifest}: page illustration ${i + 1} is missing (found ${p.name})`);
  });
  return numbered.map((p) => join(pagesDir, p.name));
}

async function renderPage(svgFile: string, lines: string[], isTitlePage: boolean): Promise<Buffer> {
  const illustration = await readFile(svgFile);
  return sharp(illustration)
    .resize(PAGE_WIDTH, PAGE_HEIGHT, { fit: 'fill' })
    .composite([{ input: Buffer.from(textBandSvg(lines, isTitlePage)), top: 0, left: 0 }])
    .png()
    .toBuffer();
}

/** The page's words as a transparent full-page SVG: centred, dark on the illustration's pale band. */
function textBandSvg(lines: string[], isTitlePage: boolean): string {
  // DejaVu Sans averages about 0.6 em per character (bold about 0.66); shrink a long line to fit
  // rather than let it run off the page.
  const widthPerEm = isTitlePage ? 0.66 : 0.6;
  const longest = Math.max(1, ...lines.map((l) => [...l].length));
  const fitting = Math.floor((PAGE_WIDTH - 120) / (longest * widthPerEm));
  const fontSize = Math.min(isTitlePage ? 92 : 62, fitting);
  const lineHeight = Math.round(fontSize * 1.28);
  const middle = (TEXT_BAND_TOP + PAGE_HEIGHT) / 2;
  const firstBaseline = middle - ((lines.length - 1) * lineHeight) / 2 + fontSize * 0.36;
  const tspans = lines
    .map((l, i) => `<text x="${PAGE_WIDTH / 2}" y="${Math.round(firstBaseline + i * lineHeight)}">${escapeXml(l)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_WIDTH}" height="${PAGE_HEIGHT}">` +
    `<g font-family="DejaVu Sans" font-size="${fontSize}" font-weight="${isTitlePage ? 'bold' : 'normal'}" ` +
    `fill="#2A2438" text-anchor="middle">${tspans}</g></svg>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
