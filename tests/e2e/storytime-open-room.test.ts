import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../web/src/lib/i18n/languages.ts';
import { joinFromPreJoin as join, launchChromium, openPage, type TestPage } from '../support/browser.ts';
import { shownPage } from '../support/bookPage.ts';
import { lookInEveryLanguageAndSize } from '../support/everyScreen.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// A room made from the start page has no host, so while nobody reads anyone in it may open a
// picture book (protocol/permissions.ts): a grandparent starts a room, sends the link to a
// grandchild, and reads to them. In two real browsers: both are offered "Read a picture book
// together", the grandparent chooses a book, the grandchild sees its pages as they turn and is
// no longer offered to choose (the grandparent reads now). The offer is looked at on a phone
// held upright and on its side and on a laptop, in Finnish, Swedish and English, with axe.

let t: TestServer;
let browser: Browser;
const pages: TestPage[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer({ env: { SHIPPED_BOOKS: 'on' } }), launchChromium()]);
});

afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => {});
  await browser?.close();
  await t?.stop();
});

async function newPage(): Promise<TestPage> {
  const opened = await openPage(browser, { locale: 'en-US' });
  pages.push(opened);
  return opened;
}

const readTogether = translate('en', 'storytime.readTogether');

describe('a picture book in an open room', () => {
  it('lets either person in a room from the start page choose a book, and the other sees its pages', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { roomId } = (await created.json()) as { roomId: string };
    const grandparent = await newPage();
    const child = await newPage();
    await grandparent.page.goto(`${t.url}/r/${roomId}`);
    await join(grandparent.page, 'Mummi');
    await child.page.goto(`${t.url}/r/${roomId}`);
    await join(child.page, 'Aino');
    await child.page.locator('figure[data-peer-id]').waitFor({ timeout: 15_000 });
    await grandparent.page.locator('figure[data-peer-id]').waitFor({ timeout: 15_000 });

    // Both are offered the book: nobody reads yet, and the room has no host.
    for (const side of [grandparent.page, child.page]) {
      await side.getByRole('button', { name: readTogether }).waitFor({ timeout: 10_000 });
    }
    await lookInEveryLanguageAndSize(grandparent.page, 'open-room-read-together', { fullPage: false });

    // The shipped books are put on the shelf in the background as the server starts; the shelf
    // shows those in the screen's language first, so wait for one of them.
    const lang = await grandparent.page.getAttribute('html', 'lang');
    await expect
      .poll(async () => (((await (await fetch(`${t.url}/api/books?language=${lang}`)).json()) as { books?: unknown[] }).books ?? []).length, {
        timeout: 110_000,
        interval: 1000,
      })
      .toBeGreaterThan(0);
    await grandparent.page.getByRole('button', { name: readTogether }).click();
    const shelf = grandparent.page.getByRole('dialog', { name: 'The book shelf' });
    await shelf.waitFor();
    await expect.poll(() => shelf.locator('[data-book-id]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const firstBook = shelf.locator('[data-book-id]').first();
    const bookTitle = (await firstBook.locator('.book-title').textContent())?.trim() ?? '';
    await firstBook.click();
    await shelf.waitFor({ state: 'hidden' });

    for (const side of [grandparent.page, child.page]) {
      await side.getByRole('heading', { name: bookTitle }).waitFor({ timeout: 10_000 });
      await expect.poll(() => shownPage(side), { timeout: 10_000 }).toEqual({ stage: 1, image: 1 });
    }
    // The opener reads and turns; the grandchild follows and is offered neither.
    await grandparent.page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => shownPage(child.page), { timeout: 10_000 }).toEqual({ stage: 2, image: 2 });
    expect(await child.page.getByRole('button', { name: 'Next page' }).count()).toBe(0);
    expect(await child.page.getByRole('button', { name: readTogether }).count()).toBe(0);
    // Neither screen had an error, and no request was refused.
    for (const side of [grandparent, child]) {
      expect(side.problems).toEqual([]);
      expect(side.failedResponses).toEqual([]);
    }
  });
});
