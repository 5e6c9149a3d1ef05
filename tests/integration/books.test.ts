import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookCatalogue } from '../../server/src/books/catalogue.ts';
import { loadShippedBooks, SHIPPED_BOOKS_DIR } from '../../server/src/books/shipped.ts';
import { HttpSession } from '../support/httpClient.ts';
import { staffAccounts } from '../support/staffAccounts.ts';
import { makeCorruptPdf, makePdf, makePdfOfPages } from '../support/pdfFixture.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';

let t: TestServer;
let coordinator: HttpSession;
let host: HttpSession;

// Small limits so that the refusals are cheap to provoke.
const MAX_MB = 1;
const MAX_PAGES = 5;

beforeAll(async () => {
  t = await startTestServer({ env: { BOOK_MAX_UPLOAD_MB: String(MAX_MB), BOOK_MAX_PAGES: String(MAX_PAGES) } });
  ({ coordinator, host } = await staffAccounts(t.url));
});
afterAll(async () => {
  await t?.stop();
});

const metadata = {
  title: 'Karhu ja kuu',
  author: 'Aino Virtanen',
  illustrator: 'Eero Lahti',
  description: 'Karhu katsoo kuuta.',
  language: 'fi',
  ageMin: '3',
  ageMax: '6',
  licence: 'CC BY 4.0',
};

interface Part {
  bytes: Buffer;
  name?: string;
  type?: string;
}

/** Sends a book the way a browser form does: text fields, then files in the "pages" field. */
async function upload(session: HttpSession | null, fields: Record<string, string>, files: Part[]) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [i, file] of files.entries()) {
    form.append('pages', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }), file.name ?? `page-${i + 1}`);
  }
  const response = await fetch(`${t.url}/api/admin/books`, {
    method: 'POST',
    headers: {
      origin: t.url,
      ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}),
    },
    body: form,
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

/** A multipart upload streamed without Content-Length, so only counting on arrival can stop it. */
async function uploadChunked(session: HttpSession, file: Buffer) {
  const boundary = 'tupa-test-boundary';
  const head = Buffer.from(
    Object.entries(metadata)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="pages"; filename="book.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunks = [head, ...Array.from({ length: Math.ceil(file.length / 65536) }, (_, i) => file.subarray(i * 65536, (i + 1) * 65536)), tail];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(new Uint8Array(next));
      else controller.close();
    },
  });
  const response = await fetch(`${t.url}/api/admin/books`, {
    method: 'POST',
    headers: {
      origin: t.url,
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    body,
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function bookRows(): Promise<number> {
  return (await t.server.db.books.list({ includeArchived: true })).length;
}

async function bookDirs(): Promise<string[]> {
  return (await readdir(join(t.dataDir, 'books'))).sort();
}

/** Runs a refused upload and checks it left neither a row nor a directory behind. */
async function expectRefused(
  send: () => Promise<{ status: number; json: Record<string, unknown> }>,
  status: number,
  code: string,
) {
  const rowsBefore = await bookRows();
  const dirsBefore = await bookDirs();
  const result = await send();
  expect(result.json).toMatchObject({ error: { code } });
  expect(result.status).toBe(status);
  expect(await bookRows()).toBe(rowsBefore);
  expect(await bookDirs()).toEqual(dirsBefore);
  return result;
}

async function fetchPage(bookId: string, page: number | string, size: string) {
  const response = await fetch(`${t.url}/api/books/${bookId}/pages/${page}/${size}`);
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

function isWebp(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
}

async function picture(width: number, height: number, format: 'png' | 'jpeg' | 'webp', seed: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#fdf3e1"/>
    <circle cx="${(seed * 97) % width}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#3a6ea5"/>
  </svg>`;
  return sharp(Buffer.from(svg)).toFormat(format).toBuffer();
}

describe('book shelf', () => {
  let pdfBookId: string;

  it('turns a four-page PDF into a book whose pages are WebP in two sizes, cached for a year', async () => {
    const dirsBefore = await bookDirs();
    const created = await upload(coordinator, metadata, [{ bytes: makePdf(4, { width: 600, height: 450 }), name: 'karhu.pdf', type: 'application/pdf' }]);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      title: 'Karhu ja kuu',
      author: 'Aino Virtanen',
      illustrator: 'Eero Lahti',
      language: 'fi',
      ageMin: 3,
      ageMax: 6,
      licence: 'CC BY 4.0',
      pageCount: 4,
      source: 'upload',
    });
    expect(Object.keys(created.json).sort()).toEqual([
      'ageMax', 'ageMin', 'aspectRatio', 'author', 'description', 'id', 'illustrator', 'language', 'licence',
      'pageCount', 'source', 'title',
    ]);
    expect(created.json.aspectRatio).toBeCloseTo(4 / 3, 2);
    pdfBookId = created.json.id;
    expect(pdfBookId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Only the new book's directory appeared; no staging directory was left.
    expect(await bookDirs()).toEqual([...dirsBefore, pdfBookId].sort());
    expect((await readdir(join(t.dataDir, 'books', pdfBookId))).sort()).toEqual(
      [1, 2, 3, 4].flatMap((p) => [`${p}-large.webp`, `${p}-small.webp`]).sort(),
    );

    for (const [size, width, height] of [['large', 1600, 1200], ['small', 640, 480]] as const) {
      const { response, bytes } = await fetchPage(pdfBookId, 2, size);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
      expect(isWebp(bytes)).toBe(true);
      const info = await sharp(bytes).metadata();
      expect([info.format, info.width, info.height]).toEqual(['webp', width, height]);
    }
    // Pages differ: the PDF moves its square on every page.
    const [one, two] = await Promise.all([fetchPage(pdfBookId, 1, 'small'), fetchPage(pdfBookId, 2, 'small')]);
    expect(one.bytes.equals(two.bytes)).toBe(false);

    const audit = await t.server.db.audit.recent(5);
    expect(audit.map((entry) => [entry.action, entry.target])).toContainEqual(['book.create', pdfBookId]);
  });

  it('makes a book from PNG, JPEG and WebP pictures in the order they were sent', async () => {
    const pages = [
      { bytes: await picture(2000, 1500, 'png', 1), name: 'cover.jpg', type: 'image/jpeg' },
      { bytes: await picture(1200, 1600, 'jpeg', 2), name: 'page.png', type: 'image/png' },
      { bytes: await picture(800, 600, 'webp', 3), name: 'page', type: 'text/plain' },
    ];
    const created = await upload(coordinator, { ...metadata, title: 'Kolme kuvaa', language: 'sv' }, pages);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: 'Kolme kuvaa', language: 'sv', pageCount: 3 });
    expect(created.json.aspectRatio).toBeCloseTo(2000 / 1500, 3);
    const id = created.json.id as string;
    // Long edge at most 1600 (large) and 640 (small), never enlarged, proportions kept.
    const expected: Array<[number, string, number, number]> = [
      [1, 'large', 1600, 1200], [1, 'small', 640, 480],
      [2, 'large', 1200, 1600], [2, 'small', 480, 640],
      [3, 'large', 800, 600], [3, 'small', 640, 480],
    ];
    for (const [page, size, width, height] of expected) {
      const { response, bytes } = await fetchPage(id, page, size);
      expect(response.status).toBe(200);
      expect(isWebp(bytes)).toBe(true);
      const info = await sharp(bytes).metadata();
      expect([page, size, info.width, info.height]).toEqual([page, size, width, height]);
    }
  });

  it('lists books for everyone, filters by language, and hides archived books', async () => {
    const anonymous = new HttpSession(t.url);
    const all = await anonymous.send('GET', '/api/books');
    expect(all.status).toBe(200);
    const titles = all.json.books.map((b: { title: string }) => b.title);
    expect(titles).toEqual(expect.arrayContaining(['Karhu ja kuu', 'Kolme kuvaa']));
    const swedish = await anonymous.send('GET', '/api/books?language=sv');
    expect(swedish.json.books.map((b: { title: string }) => b.title)).toEqual(['Kolme kuvaa']);
    expect((await anonymous.send('GET', '/api/books?language=de')).status).toBe(400);

    const one = await anonymous.send('GET', `/api/books/${pdfBookId}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: pdfBookId, pageCount: 4 });
    expect(one.json.createdBy).toBeUndefined();

    const catalogue = createBookCatalogue(t.server.db.books);
    expect(await catalogue.find(pdfBookId)).toEqual({
      bookId: pdfBookId,
      title: 'Karhu ja kuu',
      pageCount: 4,
      aspectRatio: expect.closeTo(4 / 3, 2),
    });

    const patched = await coordinator.send('PATCH', `/api/admin/books/${pdfBookId}`, { title: 'Karhu ja täysikuu', ageMax: 7 });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ title: 'Karhu ja täysikuu', ageMax: 7, archived: false });
    expect((await coordinator.send('PATCH', `/api/admin/books/${pdfBookId}`, { ageMin: 9 })).status).toBe(400);
    expect((await coordinator.send('PATCH', `/api/admin/books/${pdfBookId}`, { pageCount: 99 })).json.pageCount).toBe(4);
    expect((await coordinator.send('PATCH', `/api/admin/books/${pdfBookId}`, { title: '' })).status).toBe(400);

    expect((await coordinator.send('DELETE', `/api/admin/books/${pdfBookId}`)).status).toBe(204);
    expect((await anonymous.send('GET', '/api/books')).json.books.map((b: { id: string }) => b.id)).not.toContain(pdfBookId);
    expect((await anonymous.send('GET', `/api/books/${pdfBookId}`)).status).toBe(404);
    expect(await catalogue.find(pdfBookId)).toBeNull();
    // A storytime already reading it keeps its pages.
    expect((await fetchPage(pdfBookId, 1, 'large')).response.status).toBe(200);
    const archivedList = await coordinator.send('GET', '/api/admin/books?archived=true');
    expect(archivedList.json.books.find((b: { id: string }) => b.id === pdfBookId)).toMatchObject({ archived: true });
    const restored = await coordinator.send('PATCH', `/api/admin/books/${pdfBookId}`, { archived: false });
    expect(restored.json.archived).toBe(false);
    expect((await anonymous.send('GET', `/api/books/${pdfBookId}`)).status).toBe(200);
    const actions = (await t.server.db.audit.recent(10)).filter((e) => e.target === pdfBookId).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['book.update', 'book.archive', 'book.restore']));
  });

  it('answers 404 for pages that do not exist', async () => {
    const unknown = '5b0c3a1e-2f4d-4c8b-9a7e-1d2c3b4a5f60';
    for (const [id, page, size] of [
      [pdfBookId, 5, 'large'],
      [pdfBookId, 0, 'large'],
      [pdfBookId, '1.5', 'large'],
      [pdfBookId, 1, 'huge'],
      [unknown, 1, 'small'],
      ['not-a-uuid', 1, 'small'],
      ['..', 1, 'small'],
    ] as const) {
      const { response } = await fetchPage(id, page, size);
      expect([id, page, size, response.status]).toEqual([id, page, size, 404]);
    }
    expect((await new HttpSession(t.url).send('GET', `/api/books/${unknown}`)).status).toBe(404);
    expect((await new HttpSession(t.url).send('GET', '/api/books/nonsense')).status).toBe(404);
  });

  it('lets only coordinators change the shelf', async () => {
    const pdf = { bytes: makePdf(1) };
    await expectRefused(() => upload(null, metadata, [pdf]), 401, 'unauthenticated');
    await expectRefused(() => upload(host, metadata, [pdf]), 403, 'forbidden');
    // The CSRF token is required like for every other change.
    await expectRefused(() => upload({ ...coordinator, csrf: 'wrong' } as HttpSession, metadata, [pdf]), 403, 'forbidden');
    expect((await host.send('PATCH', `/api/admin/books/${pdfBookId}`, { title: 'x' })).status).toBe(403);
    expect((await host.send('DELETE', `/api/admin/books/${pdfBookId}`)).status).toBe(403);
    expect((await host.send('GET', '/api/admin/books')).status).toBe(403);
    expect((await new HttpSession(t.url).send('DELETE', `/api/admin/books/${pdfBookId}`)).status).toBe(401);
    expect((await new HttpSession(t.url).send('GET', `/api/books/${pdfBookId}`)).status).toBe(200);
  });

  it('refuses what cannot become a book and leaves nothing half-made', async () => {
    await expectRefused(() => upload(coordinator, metadata, [{ bytes: makeCorruptPdf(), name: 'book.pdf' }]), 422, 'book-corrupt');
    await expectRefused(
      () => upload(coordinator, metadata, [{ bytes: makePdf(3).subarray(0, 400), name: 'book.pdf' }]),
      422,
      'book-corrupt',
    );
    // Starts like a PNG, is not one.
    const fakePng = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);
    await expectRefused(() => upload(coordinator, metadata, [{ bytes: fakePng }]), 422, 'book-corrupt');
    await expectRefused(() => upload(coordinator, metadata, []), 422, 'book-no-pages');
    await expectRefused(
      () => upload(coordinator, metadata, [{ bytes: Buffer.from('Once upon a time\n'), name: 'story.pdf', type: 'application/pdf' }]),
      415,
      'book-wrong-type',
    );
    // A PDF among pictures is neither one book nor the other.
    await expectRefused(
      () => upload(coordinator, metadata, [{ bytes: makePdf(1) }, { bytes: makePdf(1) }]),
      415,
      'book-wrong-type',
    );
    await expectRefused(() => upload(coordinator, metadata, [{ bytes: makePdf(MAX_PAGES + 1) }]), 422, 'book-too-many-pages');
    // Hundreds of pages: counted (pdfinfo) before any page is rendered.
    await expectRefused(() => upload(coordinator, metadata, [{ bytes: makePdf(400) }]), 422, 'book-too-many-pages');
    const tinyPages = await Promise.all(Array.from({ length: MAX_PAGES + 1 }, (_, i) => picture(64, 48, 'png', i)));
    await expectRefused(() => upload(coordinator, metadata, tinyPages.map((bytes) => ({ bytes }))), 422, 'book-too-many-pages');
    // Over the limit: refused while streaming, whether the form says so up front or not.
    const big = Buffer.concat([makePdf(1), Buffer.alloc(MAX_MB * 1024 * 1024, 0x20)]);
    await expectRefused(() => upload(coordinator, metadata, [{ bytes: big }]), 413, 'book-too-large');
    const halves = [big.subarray(0, big.length / 2), big.subarray(big.length / 2)];
    await expectRefused(() => upload(coordinator, metadata, halves.map((bytes) => ({ bytes }))), 413, 'book-too-large');
    // Declared far too large: refused before a byte of it is read.
    const huge = Buffer.concat([makePdf(1), Buffer.alloc(3 * MAX_MB * 1024 * 1024, 0x20)]);
    await expectRefused(() => upload(coordinator, metadata, [{ bytes: huge }]), 413, 'book-too-large');
    // Sent in chunks with no length at all: counted as it arrives.
    await expectRefused(() => uploadChunked(coordinator, huge), 413, 'book-too-large');

    await expectRefused(() => upload(coordinator, { ...metadata, title: '' }, [{ bytes: makePdf(1) }]), 400, 'validation');
    await expectRefused(() => upload(coordinator, { ...metadata, ageMin: '8', ageMax: '4' }, [{ bytes: makePdf(1) }]), 400, 'validation');
    await expectRefused(() => upload(coordinator, { ...metadata, language: 'de' }, [{ bytes: makePdf(1) }]), 400, 'validation');
    await expectRefused(
      () => coordinator.send('POST', '/api/admin/books', { ...metadata }),
      400,
      'validation',
    );
  });
});

describe('PDF pages of very different sizes', () => {
  const a5 = { width: 420, height: 595 };

  /** Width and height of a stored page, and how much its colours vary (0: one flat colour). */
  async function storedPage(bookId: string, page: number, size: 'large' | 'small') {
    const { response, bytes } = await fetchPage(bookId, page, size);
    expect(response.status).toBe(200);
    const image = sharp(bytes);
    const [{ width, height }, { channels }] = await Promise.all([image.metadata(), image.stats()]);
    return { width, height, spread: Math.max(...channels.map((channel) => channel.stdev)) };
  }

  it('draws an A5 page, a 14,400 pt page, a 10 pt page and a turned page each at its own resolution', async () => {
    const pdf = makePdfOfPages([a5, { width: 14400, height: 14400 }, { width: 10, height: 10 }, { ...a5, rotate: 90 }]);
    const created = await upload(coordinator, { ...metadata, title: 'Isot ja pienet' }, [{ bytes: pdf, name: 'sekaisin.pdf' }]);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ pageCount: 4 });
    // The book's shape is its first page's.
    expect(created.json.aspectRatio).toBeCloseTo(420 / 595, 2);
    const id = created.json.id as string;
    const expected: Array<[number, number, number, number, number]> = [
      // page, large width and height, small width and height
      [1, 1130, 1600, 452, 640],
      // Drawn at the first page's resolution, this page was stored as 1 x 1 pixel.
      [2, 1600, 1600, 640, 640],
      [3, 1600, 1600, 640, 640],
      [4, 1600, 1130, 640, 452],
    ];
    for (const [page, largeWidth, largeHeight, smallWidth, smallHeight] of expected) {
      const large = await storedPage(id, page, 'large');
      const small = await storedPage(id, page, 'small');
      expect([page, large.width, large.height, small.width, small.height]).toEqual([page, largeWidth, largeHeight, smallWidth, smallHeight]);
      // Every page shows its coloured square: drawn, not an empty sheet.
      expect(large.spread, `page ${page}`).toBeGreaterThan(10);
    }
  });

  it('refuses a 14,400 x 200 pt page after an A5 page, naming page 2, before drawing any', async () => {
    const pdf = makePdfOfPages([a5, { width: 14400, height: 200 }, a5]);
    const refused = await expectRefused(() => upload(coordinator, metadata, [{ bytes: pdf, name: 'nauha.pdf' }]), 422, 'book-page-shape');
    expect(refused.json.error).toMatchObject({ page: 2 });
    // Standing up the other way, as the last page: named too.
    const tall = makePdfOfPages([a5, a5, { width: 200, height: 14400 }]);
    const tallRefused = await expectRefused(() => upload(coordinator, metadata, [{ bytes: tall }]), 422, 'book-page-shape');
    expect(tallRefused.json.error).toMatchObject({ page: 3 });
  });

  it('refuses a page poppler cannot draw, naming it, and keeps nothing of the book', async () => {
    // A crop box a thousandth of a point wide: poppler gives up and writes an empty file.
    const pdf = makePdfOfPages([a5, a5, { ...a5, cropBox: [10, 10, 10.001, 10.001] }, a5]);
    const refused = await expectRefused(() => upload(coordinator, metadata, [{ bytes: pdf }]), 422, 'book-page-unreadable');
    expect(refused.json.error).toMatchObject({ page: 3 });
  });

  it('refuses a page picture far longer than it is wide, naming it', async () => {
    const pages = [await picture(800, 600, 'png', 1), await picture(2000, 100, 'png', 2)];
    const refused = await expectRefused(() => upload(coordinator, metadata, pages.map((bytes) => ({ bytes }))), 422, 'book-page-shape');
    expect(refused.json.error).toMatchObject({ page: 2 });
  });
});

describe('shipped books', () => {
  it('are on the shelf of a new server in every language, with pages to read', async () => {
    const shipped = await startTestServer({ env: { SHIPPED_BOOKS: 'on' } });
    try {
      // Seeding runs in the background so that a first start is ready at once; wait until it is done.
      const expected = (await loadShippedBooks(SHIPPED_BOOKS_DIR)).length;
      const shelf = async () => (await new HttpSession(shipped.url).send('GET', '/api/books')).json.books as Array<Record<string, unknown>>;
      expect(await eventually(async () => (await shelf()).length === expected, 90_000, 500)).toBe(true);
      const all = await shelf();
      expect(all.length).toBeGreaterThanOrEqual(3);
      expect(all.every((book) => book.source === 'shipped')).toBe(true);
      for (const language of ['fi', 'sv', 'en']) {
        expect(all.filter((book) => book.language === language).length).toBe(all.length / 3);
      }
      const first = all[0] as { id: string; pageCount: number; licence: string };
      expect(first.pageCount).toBeGreaterThan(1);
      expect(first.licence).not.toBe('');
      const response = await fetch(`${shipped.url}/api/books/${first.id}/pages/${first.pageCount}/large`);
      expect(response.status).toBe(200);
      expect(isWebp(Buffer.from(await response.arrayBuffer()))).toBe(true);
    } finally {
      await shipped.stop();
    }
  }, 120_000);
});
