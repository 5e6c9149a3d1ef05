import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdfOfPages, type FixturePage } from '../../../tests/support/pdfFixture.ts';
import { BookError } from './errors.ts';
import { checkPageShape, MAX_PAGE_ASPECT } from './pageShape.ts';
import { checkDrawnPage, drawnSize, PAGE_DRAW_LIMITS, renderPdfPage } from './pdf.ts';
import { parsePdfInfo, readPdfInfo } from './pdfInfo.ts';

// Pages of very different sizes in one PDF, drawn by the real poppler: each page at a
// resolution of its own, every drawing checked, and a page that cannot be drawn named.

const A5: FixturePage = { width: 420, height: 595 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tupa-pdf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writePdf(name: string, pages: FixturePage[]): Promise<string> {
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, makePdfOfPages(pages));
  return file;
}

/** What a refusal says: its code and the page it names. */
async function refusal(work: Promise<unknown>): Promise<{ code: string; page: number | undefined }> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BookError);
  return { code: (error as BookError).code, page: (error as BookError).page };
}

/** How much the picture's colours vary: 0 for a page of one flat colour. */
async function colourSpread(png: string): Promise<number> {
  const { channels } = await sharp(png).stats();
  return Math.max(...channels.map((channel) => channel.stdev));
}

describe('reading page sizes', () => {
  it('gives every page its own size, turned by /Rotate, from the real pdfinfo', async () => {
    const file = await writePdf('sizes', [A5, { width: 14400, height: 14400 }, { width: 10, height: 10 }, { ...A5, rotate: 90 }]);
    expect(await readPdfInfo(file, 10)).toEqual({
      pageCount: 4,
      pages: [
        { widthPt: 420, heightPt: 595 },
        { widthPt: 14400, heightPt: 14400 },
        { widthPt: 10, heightPt: 10 },
        { widthPt: 595, heightPt: 420 },
      ],
    });
  });

  it('reads sizes only up to the page limit, but counts every page', async () => {
    const file = await writePdf('many', Array.from({ length: 12 }, () => A5));
    const info = await readPdfInfo(file, 3);
    expect(info.pageCount).toBe(12);
    expect(info.pages).toHaveLength(3);
  });

  it('turns pages by a quarter either way and reads sizes written with an exponent', () => {
    const text = [
      'Pages:           3',
      'Page    1 size:  1e+06 x 200 pts',
      'Page    1 rot:   0',
      'Page    2 size:  420 x 595 pts (A5)',
      'Page    2 rot:   270',
      'Page    3 size:  420 x 595 pts (A5)',
      'Page    3 rot:   -90',
    ].join('\n');
    expect(parsePdfInfo(text, 60).pages).toEqual([
      { widthPt: 1e6, heightPt: 200 },
      { widthPt: 595, heightPt: 420 },
      { widthPt: 595, heightPt: 420 },
    ]);
  });

  it('names a page that has no usable size', async () => {
    const text = ['Pages:           3', 'Page    1 size:  420 x 595 pts', 'Page    2 size:  0 x 595 pts', 'Page    3 size:  420 x 595 pts'].join('\n');
    expect(await refusal(Promise.resolve().then(() => parsePdfInfo(text, 60)))).toEqual({ code: 'book-page-unreadable', page: 2 });
    expect(await refusal(Promise.resolve().then(() => parsePdfInfo('Pages: 2\nPage    1 size:  420 x 595 pts\n', 60)))).toEqual({
      code: 'book-page-unreadable',
      page: 2,
    });
  });
});

describe('drawing pages of very different sizes', () => {
  it('draws an A5 page and a 14,400 pt page after it both at 1600 px, the big one with its picture', async () => {
    const file = await writePdf('a5-and-poster', [A5, { width: 14400, height: 14400 }]);
    const { pages } = await readPdfInfo(file, 10);
    const first = await renderPdfPage(file, 1, pages[0]!, 1600, { dir, name: 'poster-1' });
    const second = await renderPdfPage(file, 2, pages[1]!, 1600, { dir, name: 'poster-2' });
    const [one, two] = await Promise.all([sharp(first).metadata(), sharp(second).metadata()]);
    expect([one.width, one.height]).toEqual([1130, 1600]);
    // Drawn at one resolution for the whole book, this page came out as 1 x 1 pixel.
    expect([two.width, two.height]).toEqual([1600, 1600]);
    // The page's coloured square is there: poppler drew the page, not an empty sheet.
    expect(await colourSpread(second)).toBeGreaterThan(10);
  });

  it('draws a 10 x 10 pt page at 1600 px, not as a speck', async () => {
    const file = await writePdf('tiny', [A5, { width: 10, height: 10 }]);
    const { pages } = await readPdfInfo(file, 10);
    const png = await renderPdfPage(file, 2, pages[1]!, 1600, { dir, name: 'tiny' });
    const info = await sharp(png).metadata();
    expect([info.width, info.height]).toEqual([1600, 1600]);
    expect(await colourSpread(png)).toBeGreaterThan(10);
  });

  it('draws a page turned by /Rotate 90 lying down, as a PDF viewer shows it', async () => {
    const file = await writePdf('turned', [A5, { ...A5, rotate: 90 }]);
    const { pages } = await readPdfInfo(file, 10);
    const png = await renderPdfPage(file, 2, pages[1]!, 1600, { dir, name: 'turned' });
    const info = await sharp(png).metadata();
    expect([info.width, info.height]).toEqual([1600, 1130]);
  });

  it('draws the crop box, the part of the page a PDF viewer shows', async () => {
    const file = await writePdf('cropped', [{ width: 800, height: 800, cropBox: [0, 0, 800, 400] }]);
    const { pages } = await readPdfInfo(file, 10);
    expect(pages).toEqual([{ widthPt: 800, heightPt: 400 }]);
    const info = await sharp(await renderPdfPage(file, 1, pages[0]!, 1600, { dir, name: 'cropped' })).metadata();
    expect([info.width, info.height]).toEqual([1600, 800]);
  });

  it('names a page poppler cannot draw (a crop box a thousandth of a point wide)', async () => {
    const file = await writePdf('speck', [A5, A5, { ...A5, cropBox: [10, 10, 10.001, 10.001] }]);
    const { pages } = await readPdfInfo(file, 10);
    expect(await refusal(renderPdfPage(file, 3, pages[2]!, 1600, { dir, name: 'speck' }))).toEqual({
      code: 'book-page-unreadable',
      page: 3,
    });
  });

  it('stops a page that takes longer than its time and names it', async () => {
    const file = await writePdf('slow', [A5, { width: 14400, height: 14400 }]);
    const { pages } = await readPdfInfo(file, 10);
    const limits = { ...PAGE_DRAW_LIMITS, timeoutMs: 1 };
    expect(await refusal(renderPdfPage(file, 2, pages[1]!, 1600, { dir, name: 'slow' }, limits))).toEqual({
      code: 'book-page-unreadable',
      page: 2,
    });
  });

  it('keeps poppler within its memory and names the page it could not draw within it', async () => {
    const file = await writePdf('hungry', [A5, A5]);
    const { pages } = await readPdfInfo(file, 10);
    // Enough for poppler to start, far too little for a 12,000 px picture (about 300 MB): the
    // allocation fails inside poppler, which then writes a 1 x 1 picture and exits 0, as it did
    // with the 14,400 pt page. The check after drawing is what refuses it.
    const limits = { ...PAGE_DRAW_LIMITS, memoryBytes: 64 * 1024 * 1024 };
    expect(await refusal(renderPdfPage(file, 2, pages[1]!, 12_000, { dir, name: 'hungry' }, limits))).toEqual({
      code: 'book-page-unreadable',
      page: 2,
    });
    // The same page within the normal limits draws.
    expect(await renderPdfPage(file, 2, pages[1]!, 1600, { dir, name: 'fed' })).toBe(join(dir, 'fed.png'));
  });
});

describe('checking what poppler drew', () => {
  const expected = { width: 1600, height: 1130 };

  it('refuses the 1 x 1 picture poppler leaves when it runs out of room, naming the page', async () => {
    const png = join(dir, 'speck.png');
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ffffff' } }).png().toFile(png);
    expect(await refusal(checkDrawnPage(png, 2, expected))).toEqual({ code: 'book-page-unreadable', page: 2 });
  });

  it('refuses an empty file and a missing one', async () => {
    const empty = join(dir, 'empty.png');
    await writeFile(empty, '');
    expect(await refusal(checkDrawnPage(empty, 4, expected))).toEqual({ code: 'book-page-unreadable', page: 4 });
    expect(await refusal(checkDrawnPage(join(dir, 'never-written.png'), 5, expected))).toEqual({ code: 'book-page-unreadable', page: 5 });
  });

  it('refuses a file that is not a picture', async () => {
    const text = join(dir, 'text.png');
    await writeFile(text, 'not a picture at all');
    expect(await refusal(checkDrawnPage(text, 1, expected))).toEqual({ code: 'book-page-unreadable', page: 1 });
  });

  it('accepts a blank white page of the right size, give or take poppler’s rounding', async () => {
    const png = join(dir, 'blank.png');
    await sharp({ create: { width: 1600, height: 1131, channels: 3, background: '#ffffff' } }).png().toFile(png);
    await expect(checkDrawnPage(png, 1, expected)).resolves.toBeUndefined();
  });

  it('expects the long edge at the target and the short edge in proportion', () => {
    expect(drawnSize({ widthPt: 14400, heightPt: 14400 }, 1600)).toEqual({ width: 1600, height: 1600 });
    expect(drawnSize({ widthPt: 10, heightPt: 10 }, 1600)).toEqual({ width: 1600, height: 1600 });
    expect(drawnSize({ widthPt: 595, heightPt: 420 }, 1600)).toEqual({ width: 1600, height: 1130 });
    expect(drawnSize({ widthPt: 14400, heightPt: 200 }, 1600)).toEqual({ width: 1600, height: 23 });
  });
});

describe('page shape', () => {
  it('refuses a 14,400 x 200 pt strip and names its page', async () => {
    expect(await refusal(Promise.resolve().then(() => checkPageShape(3, 14400, 200)))).toEqual({ code: 'book-page-shape', page: 3 });
    expect(await refusal(Promise.resolve().then(() => checkPageShape(1, 200, 14400)))).toEqual({ code: 'book-page-shape', page: 1 });
  });

  it('accepts a double spread, a square and a page at the limit', () => {
    expect(() => checkPageShape(1, 2 * 842, 595)).not.toThrow();
    expect(() => checkPageShape(1, 10, 10)).not.toThrow();
    expect(() => checkPageShape(1, MAX_PAGE_ASPECT * 400, 400)).not.toThrow();
    expect(() => checkPageShape(1, MAX_PAGE_ASPECT * 400 + 1, 400)).toThrow(BookError);
  });
});
