import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { launchChromium, openPage, type TestPage } from '../support/browser.ts';
import { HttpSession } from '../support/httpClient.ts';
import { makeCorruptPdf, makePdf, makePdfOfPages } from '../support/pdfFixture.ts';
import { saveScreen, SCREEN_WIDTHS } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The book shelf in real Chromium: a coordinator adds a PDF and a set of page pictures through
// the upload form, sees each on the shelf with its cover, is told in plain words why a damaged
// PDF or a text file cannot be a book, and takes a book off the shelf again.

const COORDINATOR = { email: 'kaisa@example.org', displayName: 'Kaisa', password: 'coordinator passphrase' };

let t: TestServer;
let browser: Browser;
const pages: TestPage[] = [];

beforeAll(async () => {
  // A small upload limit, so that a too large book is quick to make.
  [t, browser] = await Promise.all([startTestServer({ env: { BOOK_MAX_UPLOAD_MB: '1' } }), launchChromium()]);
  expect((await new HttpSession(t.url).send('POST', '/api/auth/setup', COORDINATOR)).status).toBe(201);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Problems a page reported, less the expected failed responses of uploads that are refused. */
function realProblems(opened: TestPage): string[] {
  return opened.problems.filter((p) => !p.includes('favicon') && !/Failed to load resource.*(401|404|413|415|422)/.test(p));
}

/** A page picture of one colour with a darker square in a place of its own. */
async function pagePicture(index: number): Promise<Buffer> {
  const colours = [
    { r: 240, g: 200, b: 120 },
    { r: 150, g: 210, b: 170 },
    { r: 160, g: 180, b: 240 },
  ];
  const square = await sharp({ create: { width: 120, height: 120, channels: 3, background: { r: 60, g: 40, b: 90 } } }).png().toBuffer();
  return sharp({ create: { width: 640, height: 480, channels: 3, background: colours[index % colours.length]! } })
    .composite([{ input: square, left: 40 + index * 150, top: 60 + index * 80 }])
    .png()
    .toBuffer();
}

/** What the tests read of a cover <img> (the tests are compiled without the DOM's types). */
type ImageShown = { complete: boolean; naturalWidth: number; naturalHeight: number };

type Upload = { name: string; mimeType: string; buffer: Buffer };

/** Fills the upload form and sends it; the page then shows the shelf or an error. */
async function addBook(page: Page, fields: { title: string; author: string; licence: string }, files: Upload[]): Promise<void> {
  await page.locator('#book-title').fill(fields.title);
  await page.locator('#book-author').fill(fields.author);
  await page.locator('#book-licence').fill(fields.licence);
  await page.locator('#book-files').setInputFiles(files);
  await page.locator('form button[type="submit"]').click();
}

/** The shelf's book titles as shown. */
async function shelfTitles(page: Page): Promise<string[]> {
  return page.locator('.shelf li h2').allTextContents();
}

describe('the book shelf in Chromium', () => {
  it('adds a PDF and page pictures through the form, explains refused files, and takes a book off the shelf', async () => {
    const opened = await openPage(browser, { locale: 'en-US', viewport: SCREEN_WIDTHS.desktop });
    pages.push(opened);
    const { page } = opened;

    await page.goto(`${t.url}/staff/login`);
    await page.getByRole('textbox', { name: 'Email' }).fill(COORDINATOR.email);
    await page.getByLabel('Password').fill(COORDINATOR.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hello, Kaisa' }).waitFor();

    await page.getByRole('navigation', { name: 'Staff menu' }).getByRole('link', { name: 'Book shelf' }).click();
    await page.getByRole('heading', { level: 1, name: 'Book shelf' }).waitFor();
    await page.getByText('The shelf is empty.').waitFor();

    // A three-page PDF with all its details, through the form as a coordinator fills it.
    await page.getByRole('link', { name: 'Add a book' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a book' }).waitFor();
    await page.getByLabel('Illustrator').fill('Pekka Piirtäjä');
    await page.getByLabel('Description').fill('A small boat sails to the island and back.');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('fi');
    await page.getByLabel('Youngest age').fill('2');
    await page.getByLabel('Oldest age').fill('6');
    await page.getByLabel('The book', { exact: true }).setInputFiles({ name: 'vene.pdf', mimeType: 'application/pdf', buffer: makePdf(3) });
    await page.getByLabel('Title').fill('Pieni vene');
    await page.getByLabel('Author').fill('Aino Kirjailija');
    await page.getByLabel('Licence').fill('CC BY 4.0');
    await page.getByRole('button', { name: 'Add to the shelf' }).click();

    await page.getByRole('status').getByText('Pieni vene is now on the shelf.').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/staff/books');
    const boat = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Pieni vene' }) });
    await boat.getByText('By Aino Kirjailija').waitFor();
    await boat.getByText('3 pages · ages 2–6 · Finnish').waitFor();
    await boat.getByText('CC BY 4.0').waitFor();
    // The cover is the first page as the server drew it: a real picture, not a broken image.
    const cover = boat.locator('img');
    await cover.scrollIntoViewIfNeeded();
    await expect.poll(() => cover.evaluate((img: ImageShown) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await cover.evaluate((img: ImageShown) => img.naturalWidth / img.naturalHeight)).toBeCloseTo(600 / 450, 1);
    await saveScreen(page, 'staff-book-uploaded-en-1280');

    // A damaged PDF and a text file are refused with the reason, and nothing lands on the shelf.
    await page.getByRole('link', { name: 'Add a book' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a book' }).waitFor();
    const meta = { title: 'Broken', author: 'Nobody', licence: 'CC0' };
    await addBook(page, meta, [{ name: 'rikki.pdf', mimeType: 'application/pdf', buffer: makeCorruptPdf() }]);
    const alert = page.getByRole('alert');
    await alert.getByText('The file could not be read. It may be damaged: try saving or exporting it again.').waitFor({ timeout: 15_000 });
    // The message takes the focus, so a screen reader says it at once.
    expect(await page.evaluate("document.activeElement?.getAttribute('role')")).toBe('alert');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    // A page far longer than it is wide is named, so the coordinator knows which page to fix.
    const strip = makePdfOfPages([{ width: 420, height: 595 }, { width: 14400, height: 200 }]);
    await page.locator('#book-files').setInputFiles({ name: 'strip.pdf', mimeType: 'application/pdf', buffer: strip });
    await page.getByRole('button', { name: 'Add to the shelf' }).click();
    await alert
      .getByText('Page 2 of the book is too long and narrow to show on a screen. A page can be at most four times as long as it is wide.')
      .waitFor({ timeout: 15_000 });

    await page.locator('#book-files').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Once upon a time there was a text file.\n') });
    await page.getByRole('button', { name: 'Add to the shelf' }).click();
    await alert.getByText('Only a PDF file or JPEG, PNG and WebP pictures can be used.').waitFor({ timeout: 15_000 });
    expect(await seriousAccessibilityProblems(page)).toEqual([]);

    // Over the server's limit: refused while it arrives, and the browser still hears why.
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 0x20)]);
    await page.locator('#book-files').setInputFiles({ name: 'iso.pdf', mimeType: 'application/pdf', buffer: big });
    await page.getByRole('button', { name: 'Add to the shelf' }).click();
    await alert.getByText('The file is too large. Try a smaller PDF, or smaller pictures.').waitFor({ timeout: 15_000 });

    // A missing licence is named in the message, not only the title and the author.
    await page.getByLabel('Licence').fill('');
    await page.getByRole('button', { name: 'Add to the shelf' }).click();
    await alert.getByText('Please write the title, the author and the licence, and choose the book’s file.').waitFor();

    await page.getByRole('link', { name: 'Back to the book shelf' }).click();
    await page.getByRole('heading', { level: 1, name: 'Book shelf' }).waitFor();
    expect(await shelfTitles(page)).toEqual(['Pieni vene']);

    // Three page pictures chosen together become one three-page book.
    await page.getByRole('link', { name: 'Add a book' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a book' }).waitFor();
    const pictures = await Promise.all([0, 1, 2].map(async (i) => ({ name: `page-${i + 1}.png`, mimeType: 'image/png', buffer: await pagePicture(i) })));
    await addBook(page, { title: 'Three colours', author: 'Maija Maalari', licence: 'CC BY-SA 4.0' }, pictures);
    await page.getByRole('status').getByText('Three colours is now on the shelf.').waitFor({ timeout: 30_000 });
    const colours = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Three colours' }) });
    await colours.getByText('3 pages · ages 3–8 · English').waitFor();
    const colourCover = colours.locator('img');
    await colourCover.scrollIntoViewIfNeeded();
    await expect.poll(() => colourCover.evaluate((img: ImageShown) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect((await shelfTitles(page)).sort()).toEqual(['Pieni vene', 'Three colours']);

    // Taken off the shelf after a second, deliberate press.
    await colours.getByRole('button', { name: 'Take off the shelf' }).click();
    await page.getByText('Take Three colours off the shelf? It is no longer offered in rooms.').waitFor();
    await page.getByRole('button', { name: 'Yes, take it off' }).click();
    await expect.poll(() => shelfTitles(page), { timeout: 10_000 }).toEqual(['Pieni vene']);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Book shelf' }).waitFor();
    expect(await shelfTitles(page)).toEqual(['Pieni vene']);
    // What the public shelf offers rooms agrees.
    const shelf = await new HttpSession(t.url).send('GET', '/api/books');
    expect(shelf.json.books.map((b: { title: string; pageCount: number }) => [b.title, b.pageCount])).toEqual([['Pieni vene', 3]]);

    expect(realProblems(opened)).toEqual([]);
  }, 150_000);

  it('explains a damaged PDF in Finnish on a phone', async () => {
    const opened = await openPage(browser, { locale: 'fi-FI', viewport: SCREEN_WIDTHS.phone });
    pages.push(opened);
    const { page, context } = opened;
    const [name, ...value] = (await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password)).cookie.split('=');
    await context.addCookies([
      { name: 'tupa-lang', value: 'fi', url: t.url },
      { name: name!, value: value.join('='), url: t.url },
    ]);
    await page.goto(`${t.url}/staff/books/new`);
    await page.getByRole('heading', { level: 1, name: 'Lisää kirja' }).waitFor();
    await addBook(page, { title: 'Rikki', author: 'Ei kukaan', licence: 'CC0' }, [{ name: 'rikki.pdf', mimeType: 'application/pdf', buffer: makeCorruptPdf() }]);
    await page
      .getByRole('alert')
      .getByText('Tiedostoa ei voitu lukea. Se voi olla vioittunut: kokeile tallentaa tai viedä se uudelleen.')
      .waitFor({ timeout: 15_000 });
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(SCREEN_WIDTHS.phone.width);
    await saveScreen(page, 'staff-book-error-fi-390');
    expect(realProblems(opened)).toEqual([]);
  }, 60_000);

  for (const [width, viewport] of [['390', SCREEN_WIDTHS.phone], ['1280', SCREEN_WIDTHS.desktop]] as const) {
    it(`names the page of a PDF that cannot be shown, in Finnish at ${width} px`, async () => {
      const opened = await openPage(browser, { locale: 'fi-FI', viewport });
      pages.push(opened);
      const { page, context } = opened;
      const [name, ...value] = (await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password)).cookie.split('=');
      await context.addCookies([
        { name: 'tupa-lang', value: 'fi', url: t.url },
        { name: name!, value: value.join('='), url: t.url },
      ]);
      await page.goto(`${t.url}/staff/books/new`);
      await page.getByRole('heading', { level: 1, name: 'Lisää kirja' }).waitFor();
      const a5 = { width: 420, height: 595 };
      const meta = { title: 'Sekaisin', author: 'Ei kukaan', licence: 'CC0' };
      const alert = page.getByRole('alert');

      // Page 3's crop box is a thousandth of a point wide: poppler cannot draw it.
      const speck = makePdfOfPages([a5, a5, { ...a5, cropBox: [10, 10, 10.001, 10.001] }]);
      await addBook(page, meta, [{ name: 'sekaisin.pdf', mimeType: 'application/pdf', buffer: speck }]);
      await alert
        .getByText('Kirjan sivua 3 ei voitu näyttää. Sivu voi olla vioittunut: kokeile tallentaa tai viedä kirja uudelleen.')
        .waitFor({ timeout: 15_000 });
      expect(await page.evaluate("document.activeElement?.getAttribute('role')")).toBe('alert');
      expect(await seriousAccessibilityProblems(page)).toEqual([]);

      // A 14,400 x 200 pt strip after an A5 page.
      const strip = makePdfOfPages([a5, { width: 14400, height: 200 }]);
      await page.locator('#book-files').setInputFiles({ name: 'nauha.pdf', mimeType: 'application/pdf', buffer: strip });
      await page.getByRole('button', { name: 'Lisää hyllyyn' }).click();
      await alert
        .getByText('Kirjan sivu 2 on liian pitkä ja kapea näytettäväksi ruudulla. Sivu voi olla enintään neljä kertaa niin pitkä kuin se on leveä.')
        .waitFor({ timeout: 15_000 });
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      await saveScreen(page, `staff-book-page-error-fi-${width}`);

      // Nothing of either book reached the shelf.
      const shelf = await new HttpSession(t.url).send('GET', '/api/books');
      expect(shelf.json.books.map((b: { title: string }) => b.title)).not.toContain('Sekaisin');
      expect(realProblems(opened)).toEqual([]);
    }, 60_000);
  }
});
