import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type Language, type MessageKey } from '../../web/src/lib/i18n/languages.ts';
import { boxOf, launchChromium, openPage, selfVideoReady, type TestPage } from '../support/browser.ts';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { lookInEveryLanguageAndSize } from '../support/everyScreen.ts';
import { HttpSession } from '../support/httpClient.ts';
import { chooseLanguage } from '../support/language.ts';
import { COORDINATOR, createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';
import { saveScreen, SCREEN_WIDTHS } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Storytime in two real browsers: a host (the reader, a grandparent) opens a book from the shelf
// and turns pages with the buttons, the keyboard and a swipe; the invited child sees each page
// as it turns, sees the reader's pointer, taps "look here", reloads and lands on the same page,
// turns pages once the reader hands them over, and looks around alone and comes back. Then, with
// a parent as a third person, the page and every face are measured on a phone held upright, a
// phone on its side and a laptop, in Finnish, Swedish and English.

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

/** The first coordinator, a storytime room without a lobby, and an invitation for the child. */
async function prepare(): Promise<{ staff: HttpSession; roomId: string; token: string }> {
  const staff = await firstCoordinator(t.url);
  const roomId = await createRoom(staff, {
    name: 'Satutupa',
    description: 'Picture books together',
    kind: 'storytime',
    language: 'en',
    capacity: 4,
    lobbyEnabled: false,
    childrenPresent: true,
    chatEnabled: false,
  });
  return { staff, roomId, token: await createInvitation(staff, roomId, { label: 'Aino' }) };
}

async function join(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await selfVideoReady(page);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

/** The page the stage shows, from its attribute and from the picture's address. */
async function shownPage(page: Page): Promise<{ stage: number; image: number }> {
  const stage = Number(await page.locator('[data-page]').getAttribute('data-page'));
  const src = (await page.locator('img[data-page-image]').getAttribute('src')) ?? '';
  const match = /\/pages\/(\d+)\/(small|large)$/.exec(src);
  return { stage, image: match ? Number(match[1]) : -1 };
}

async function expectPage(page: Page, expected: number): Promise<void> {
  // Generous: on a busy machine three browsers share two cores.
  await expect.poll(() => shownPage(page), { timeout: 10_000 }).toEqual({ stage: expected, image: expected });
  // The picture really loaded.
  await expect
    .poll(() => page.locator('img[data-page-image]').evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0), { timeout: 10_000 })
    .toBe(true);
}

/** Where on the screen a point of the page (0..1) is. */
async function onPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await boxOf(page.locator('img[data-page-image]'));
  return { x: box.x + box.width * x, y: box.y + box.height * y };
}

/** Screenshots at the phone and laptop widths, in Finnish, Swedish and English (English, wide, after). */
async function shootBoth(page: Page, name: string): Promise<void> {
  for (const lang of ['fi', 'sv', 'en'] as const) {
    await chooseLanguage(page, lang);
    for (const [label, size] of [
      ['phone', SCREEN_WIDTHS.phone],
      ['desktop', SCREEN_WIDTHS.desktop],
    ] as const) {
      await page.setViewportSize(size);
      await page.waitForTimeout(300);
      if (lang === 'en') expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await saveScreen(page, `${name}-${label}-${lang}`, { fullPage: false });
    }
  }
}

/** The shelf, in both languages and widths: closed (Escape) to switch language, opened again. */
async function shootShelf(page: Page): Promise<void> {
  for (const lang of ['fi', 'en'] as const) {
    await page.keyboard.press('Escape');
    await page.locator('dialog.shelf').waitFor({ state: 'hidden' });
    await chooseLanguage(page, lang);
    await page.locator('.prompt button').click();
    await expect.poll(() => page.locator('dialog.shelf [data-book-id]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    for (const [label, size] of [
      ['phone', SCREEN_WIDTHS.phone],
      ['desktop', SCREEN_WIDTHS.desktop],
    ] as const) {
      await page.setViewportSize(size);
      // Covers are fetched lazily.
      await page.waitForTimeout(500);
      await saveScreen(page, `storytime-picker-${label}-${lang}`, { fullPage: false });
    }
  }
}

/** A phone held upright, a phone on its side, a laptop. */
const SIZES = {
  phone: SCREEN_WIDTHS.phone,
  'phone-landscape': { width: 844, height: 390 },
  desktop: SCREEN_WIDTHS.desktop,
} as const;
type SizeName = keyof typeof SIZES;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One face as the screen shows it: its tile, and whether its name is shown whole. */
interface MeasuredTile {
  name: string;
  self: boolean;
  box: Box;
  nameBox: Box | null;
  nameCut: boolean;
}

/** Every tile's box and name, measured inside the page. */
const MEASURE_TILES = `[...document.querySelectorAll('figure[data-peer-id], figure[data-self]')].map((figure) => {
  const box = figure.getBoundingClientRect();
  const name = figure.querySelector('figcaption .name');
  const nameBox = name ? name.getBoundingClientRect() : null;
  const plain = (r) => ({ x: r.x, y: r.y, width: r.width, height: r.height });
  return {
    name: name ? name.textContent.trim() : '',
    self: figure.hasAttribute('data-self'),
    box: plain(box),
    nameBox: nameBox ? plain(nameBox) : null,
    nameCut: !name || name.scrollHeight > name.clientHeight + 1 || name.scrollWidth > name.clientWidth + 1,
  };
})`;

const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/** The boxes of the elements `selector` finds that are laid out. */
async function boxesOf(page: Page, selector: string): Promise<Box[]> {
  return (await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height }))`,
  )) as Box[];
}

/**
 * What is wrong with the storytime screen as it is now, in words ([] when nothing): the book
 * page and every tile must lie wholly on the screen and clear of the call bar, every name must be
 * shown whole, the host tools' button and the turn buttons must cover neither the page nor a
 * face, and on a phone the two people besides oneself must get tiles at least 28 % of the
 * screen's short edge each way (about a third: big enough to see a face).
 */
async function storytimeLayoutProblems(page: Page, lang: Language, size: SizeName): Promise<string[]> {
  const { width, height } = SIZES[size];
  const screen = { x: 0, y: 0, width, height };
  const callBar = await boxOf(page.getByRole('group', { name: translate(lang, 'controls.label') }));
  const sheet = await boxOf(page.locator('img[data-page-image]'));
  const tiles = (await page.evaluate(MEASURE_TILES)) as MeasuredTile[];
  const problems: string[] = [];
  if (!inside(callBar, screen)) problems.push('the call bar is not wholly on the screen');
  if (!inside(sheet, screen)) problems.push('the page is not wholly on the screen');
  if (overlap(sheet, callBar)) problems.push('the page runs under the call bar');
  if (sheet.height < 100) problems.push(`the page is only ${Math.round(sheet.height)} px high`);
  for (const tile of tiles) {
    if (!inside(tile.box, screen)) problems.push(`${tile.name}: tile not wholly on the screen`);
    if (overlap(tile.box, callBar)) problems.push(`${tile.name}: tile runs under the call bar`);
    if (overlap(tile.box, sheet)) problems.push(`${tile.name}: tile covers the page`);
    if (tile.nameCut || !tile.nameBox || !inside(tile.nameBox, tile.box)) problems.push(`${tile.name}: name not shown whole`);
    const short = Math.min(width, height);
    if (size !== 'desktop' && !tile.self && Math.min(tile.box.width, tile.box.height) < 0.28 * short) {
      problems.push(`${tile.name}: tile ${Math.round(tile.box.width)} x ${Math.round(tile.box.height)} px, small for a face`);
    }
  }
  for (const [index, tile] of tiles.entries()) {
    for (const other of tiles.slice(index + 1)) {
      if (overlap(tile.box, other.box)) problems.push(`${tile.name} and ${other.name}: tiles overlap`);
    }
  }
  // The book's title, its buttons, its page number and the band for looking around alone, and
  // the host tools' button: all on the screen, clear of the page, the faces and each other.
  const buttons = [
    ...(await boxesOf(page, 'button[aria-controls="host-tools"]')).map((box) => ({ what: 'the host tools button', box })),
    ...(await boxesOf(page, 'section[data-page] button[data-turn]')).map((box) => ({ what: 'a turn button', box })),
    ...(await boxesOf(page, 'section[data-page] button:not([data-turn])')).map((box) => ({ what: 'a book button', box })),
    ...(await boxesOf(page, 'section[data-page] .page-number')).map((box) => ({ what: 'the page number', box })),
  ];
  const others = [
    ...(await boxesOf(page, 'section[data-page] h2')).map((box) => ({ what: 'the title', box })),
    ...(await boxesOf(page, 'section[data-page] [data-alone]')).map((box) => ({ what: 'the band', box })),
  ];
  for (const { what, box } of [...buttons, ...others]) {
    if (!inside(box, screen) || overlap(box, callBar)) problems.push(`${what} is off the screen or under the call bar`);
    if (overlap(box, sheet)) problems.push(`${what} covers the page`);
    for (const tile of tiles) if (overlap(box, tile.box)) problems.push(`${what} covers ${tile.name}`);
  }
  for (const [index, { what, box }] of buttons.entries()) {
    for (const other of buttons.slice(index + 1)) if (overlap(box, other.box)) problems.push(`${what} and ${other.what} overlap`);
  }
  if (tiles.length !== 3) problems.push(`${tiles.length} tiles instead of 3`);
  return problems;
}

/** The words the page shows in `lang`. */
const say = (lang: Language, key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);

describe('storytime in Chromium', () => {
  it('shows every page turn, the pointer and a tap to the other side, and hands the pages over', async () => {
    const { staff, roomId, token } = await prepare();
    const reader = await openPage(browser, { locale: 'en-US', viewport: SCREEN_WIDTHS.desktop });
    const child = await openPage(browser, { locale: 'en-US', viewport: SCREEN_WIDTHS.desktop });
    pages.push(reader, child);
    const [cookieName, ...cookieValue] = staff.cookie.split('=');
    await reader.context.addCookies([{ name: cookieName!, value: cookieValue.join('='), url: t.url }]);

    // The host joins the storytime room and is asked to choose a book.
    await reader.page.goto(`${t.url}/r/${roomId}`);
    await join(reader.page, 'Mummi');
    await reader.page.getByText('Choose a book to read').waitFor({ timeout: 15_000 });

    // The child joins through the invitation.
    await child.page.goto(`${t.url}/j/${token}`);
    await join(child.page, 'Aino');
    await child.page.locator('[data-peer-id]').first().waitFor({ timeout: 15_000 });
    await reader.page.locator('[data-peer-id]').first().waitFor({ timeout: 15_000 });
    // Nobody else is offered the shelf.
    expect(await child.page.getByText('Choose a book to read').count()).toBe(0);

    // The shipped books are put on the shelf in the background as the server starts.
    await expect
      .poll(async () => ((await staff.send('GET', '/api/books?language=en')).json?.books ?? []).length, {
        timeout: 110_000,
        interval: 1000,
      })
      .toBeGreaterThanOrEqual(3);

    // The shelf: English books first (the screen's language); the first is opened.
    await reader.page.getByRole('button', { name: 'Read a book' }).click();
    const shelf = reader.page.getByRole('dialog', { name: 'The book shelf' });
    await shelf.waitFor();
    await expect.poll(() => shelf.locator('[data-book-id]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await shootShelf(reader.page);
    const firstBook = shelf.locator('[data-book-id]').first();
    const bookTitle = (await firstBook.locator('.book-title').textContent())?.trim() ?? '';
    await firstBook.click();
    await shelf.waitFor({ state: 'hidden' });

    for (const side of [reader.page, child.page]) {
      await side.getByRole('heading', { name: bookTitle }).waitFor({ timeout: 10_000 });
      await expectPage(side, 1);
    }
    // The picture fills its frame edge to edge, and on a laptop the page and its turn buttons
    // reach the faces' column without an empty band between them.
    // Measured until the layout has settled around the newly opened book.
    for (const side of [reader.page, child.page]) {
      const fills = async () => {
        const picture = await boxOf(side.locator('img[data-page-image]'));
        const frame = await boxOf(side.locator('img[data-page-image]').locator('..'));
        return {
          fillsWidth: Math.abs(picture.width - frame.width) < 2,
          fillsHeight: Math.abs(picture.height - frame.height) < 2,
          large: picture.width > 600,
        };
      };
      await expect.poll(fills, { timeout: 10_000 }).toEqual({ fillsWidth: true, fillsHeight: true, large: true });
    }
    const gapToFaces = async () => {
      const nextButton = await boxOf(reader.page.getByRole('button', { name: 'Next page' }));
      const faces = await boxOf(reader.page.getByRole('list', { name: 'Participants' }));
      return faces.x - (nextButton.x + nextButton.width);
    };
    await expect.poll(gapToFaces, { timeout: 10_000 }).toBeLessThan(40);
    // Only the reader has turn buttons; the child sees none.
    expect(await reader.page.getByRole('button', { name: 'Next page' }).count()).toBe(1);
    expect(await child.page.getByRole('button', { name: 'Next page' }).count()).toBe(0);

    // Five turns: button, arrow key, swipe, button back, Page Down.
    const turns: [string, () => Promise<void>, number][] = [
      ['button', () => reader.page.getByRole('button', { name: 'Next page' }).click(), 2],
      ['arrow key', () => reader.page.keyboard.press('ArrowRight'), 3],
      [
        'swipe',
        async () => {
          const from = await onPage(reader.page, 0.8, 0.5);
          await reader.page.mouse.move(from.x, from.y);
          await reader.page.mouse.down();
          await reader.page.mouse.move(from.x - 250, from.y + 10, { steps: 6 });
          await reader.page.mouse.up();
        },
        4,
      ],
      ['previous button', () => reader.page.getByRole('button', { name: 'Previous page' }).click(), 3],
      ['page down', () => reader.page.keyboard.press('PageDown'), 4],
    ];
    for (const [how, turn, expected] of turns) {
      await turn();
      await expectPage(reader.page, expected);
      await expectPage(child.page, expected);
      if (how === 'swipe' || how === 'page down') {
        await saveScreen(reader.page, `storytime-reader-desktop-en-page${expected}-${how.replace(' ', '-')}`, { fullPage: false });
        await saveScreen(child.page, `storytime-listener-desktop-en-page${expected}-${how.replace(' ', '-')}`, { fullPage: false });
      }
    }

    // The reader points: the child sees the glow near the same spot of the page.
    await reader.page.mouse.move(...(Object.values(await onPage(reader.page, 0.5, 0.5)) as [number, number]));
    const target = await onPage(reader.page, 0.3, 0.6);
    await reader.page.mouse.move(target.x, target.y, { steps: 8 });
    const glow = child.page.locator('[data-pointer]');
    await glow.waitFor({ timeout: 5000 });
    await expect.poll(async () => Number(await glow.getAttribute('data-x')), { timeout: 5000 }).toBeCloseTo(0.3, 1);
    expect(Number(await glow.getAttribute('data-y'))).toBeCloseTo(0.6, 1);
    // The glow glides to its place in a few frames.
    await child.page.waitForTimeout(250);
    const glowBox = await boxOf(glow);
    const childSpot = await onPage(child.page, 0.3, 0.6);
    expect(Math.abs(glowBox.x + glowBox.width / 2 - childSpot.x)).toBeLessThan(20);
    expect(Math.abs(glowBox.y + glowBox.height / 2 - childSpot.y)).toBeLessThan(20);
    await saveScreen(child.page, 'storytime-listener-desktop-en-pointer', { fullPage: false });
    // The pointer leaves the page: the glow goes.
    await reader.page.mouse.move(5, 5);
    await expect.poll(() => glow.count(), { timeout: 5000 }).toBe(0);

    // The child taps the page: the reader sees a ring there with the child's name.
    const tap = await onPage(child.page, 0.7, 0.4);
    await child.page.mouse.click(tap.x, tap.y);
    const ring = reader.page.locator('[data-look-here]');
    await ring.waitFor({ state: 'attached', timeout: 5000 });
    expect(await ring.textContent()).toContain('Aino: look here!');
    const ringBox = await boxOf(ring.locator('.ring'));
    const readerSpot = await onPage(reader.page, 0.7, 0.4);
    expect(Math.abs(ringBox.x + ringBox.width / 2 - readerSpot.x)).toBeLessThan(20);
    expect(Math.abs(ringBox.y + ringBox.height / 2 - readerSpot.y)).toBeLessThan(20);
    await saveScreen(reader.page, 'storytime-reader-desktop-en-look-here', { fullPage: false });
    await expect.poll(() => ring.count(), { timeout: 6000 }).toBe(0);

    // Nothing serious for assistive technology on either side with the book open.
    expect(await seriousAccessibilityProblems(reader.page)).toEqual([]);
    expect(await seriousAccessibilityProblems(child.page)).toEqual([]);

    // The child reloads and comes back on the page everyone is on.
    await child.page.reload();
    await join(child.page, 'Aino');
    await expectPage(child.page, 4);

    // The reader hands the pages over; the child turns and the reader follows.
    await reader.page.getByRole('button', { name: 'Book options' }).click();
    await reader.page.getByRole('button', { name: 'Let Aino turn the pages' }).click();
    await child.page.getByText('You turn the pages').waitFor({ timeout: 5000 });
    await reader.page.getByText('Aino turns the pages').waitFor({ timeout: 5000 });
    expect(await reader.page.locator('[data-turner]').count()).toBe(1);
    await child.page.getByRole('button', { name: 'Next page' }).click();
    await expectPage(child.page, 5);
    await expectPage(reader.page, 5);
    await shootBoth(child.page, 'storytime-listener');

    // The reader takes the pages back; the child's turn buttons go.
    await reader.page.getByRole('button', { name: 'Book options' }).click();
    await reader.page.getByRole('button', { name: 'Take the page turning back' }).click();
    await expect.poll(() => child.page.getByRole('button', { name: 'Next page' }).count(), { timeout: 5000 }).toBe(0);

    // The child looks around alone, then goes back to the reader's page.
    await child.page.getByRole('button', { name: 'Look around myself' }).click();
    await child.page.getByRole('button', { name: 'Next page' }).click();
    await child.page.getByRole('button', { name: 'Next page' }).click();
    await expectPage(child.page, 7);
    await expectPage(reader.page, 5);
    // Meanwhile the reader turns: the child stays where they looked.
    await reader.page.keyboard.press('ArrowRight');
    await expectPage(reader.page, 6);
    await child.page.waitForTimeout(300);
    await expectPage(child.page, 7);
    await child.page.getByRole('button', { name: 'Back to Mummi’s page' }).click();
    await expectPage(child.page, 6);
    // Following again: the next turn shows at once.
    await reader.page.keyboard.press('ArrowRight');
    await expectPage(child.page, 7);

    await shootBoth(reader.page, 'storytime-reader');

    // On a phone the host tools are one small button above the call bar: the book's bar is the
    // first thing at the top, and the tools open above the button, by keyboard too.
    await reader.page.setViewportSize(SCREEN_WIDTHS.phone);
    const hostTools = reader.page.getByRole('button', { name: 'Host tools' });
    // The layout follows the new width a moment later (the host tools move from the top into a
    // small button): measure until it has settled, and say which rule failed if it never does.
    const phoneLayout = async () => {
      const toolsBox = await boxOf(hostTools);
      const bookBar = await boxOf(reader.page.locator('.book-stage header'));
      const callBar = await boxOf(reader.page.getByRole('group', { name: 'Call controls' }));
      return {
        bookBarAboveTools: bookBar.y < toolsBox.y,
        bookBarAtTop: bookBar.y < 90,
        toolsAboveCallBar: toolsBox.y + toolsBox.height <= callBar.y,
        toolsBigEnough: toolsBox.height >= 44,
      };
    };
    await expect
      .poll(phoneLayout, { timeout: 10_000 })
      .toEqual({ bookBarAboveTools: true, bookBarAtTop: true, toolsAboveCallBar: true, toolsBigEnough: true });
    await hostTools.focus();
    await reader.page.keyboard.press('Enter');
    await reader.page.getByRole('button', { name: 'Close host tools' }).waitFor();
    await reader.page.getByRole('button', { name: 'Lock the room' }).waitFor();
    expect(await seriousAccessibilityProblems(reader.page)).toEqual([]);
    for (const lang of ['fi', 'sv', 'en'] as const) {
      await chooseLanguage(reader.page, lang);
      await reader.page.waitForTimeout(300);
      await saveScreen(reader.page, `storytime-reader-host-tools-phone-${lang}`, { fullPage: false });
    }
    await reader.page.getByRole('button', { name: 'Close host tools' }).click();
    await reader.page.setViewportSize(SCREEN_WIDTHS.desktop);

    // The reader closes the book: both go back to the faces.
    await reader.page.getByRole('button', { name: 'Book options' }).click();
    await reader.page.getByRole('button', { name: 'Close the book' }).click();
    for (const side of [reader.page, child.page]) {
      await expect.poll(() => side.locator('[data-page]').count(), { timeout: 5000 }).toBe(0);
    }

    const problems = [...reader.problems, ...child.problems].filter((p) => !/favicon/.test(p));
    expect(problems).toEqual([]);
  });
  it('keeps the page and three faces above the call bar, upright and on its side on a phone and on a laptop', async () => {
    // The first test set the coordinator up; this one signs in as that coordinator when it did.
    const coordinator = await firstCoordinator(t.url).catch(() =>
      new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password),
    );
    const roomId = await createRoom(coordinator, {
      name: 'Satutupa 2',
      kind: 'storytime',
      language: 'en',
      capacity: 4,
      lobbyEnabled: false,
      childrenPresent: true,
      chatEnabled: false,
    });
    const childToken = await createInvitation(coordinator, roomId, { label: 'Aino' });
    const parentToken = await createInvitation(coordinator, roomId, { label: 'Kaisa' });
    const reader = await openPage(browser, { locale: 'en-US', viewport: SIZES.desktop });
    const child = await openPage(browser, { locale: 'en-US', viewport: SIZES.desktop });
    const parent = await openPage(browser, { locale: 'en-US', viewport: SIZES.desktop });
    pages.push(reader, child, parent);
    const [cookieName, ...cookieValue] = coordinator.cookie.split('=');
    await reader.context.addCookies([{ name: cookieName!, value: cookieValue.join('='), url: t.url }]);

    await reader.page.goto(`${t.url}/r/${roomId}`);
    await join(reader.page, 'Mummi');
    await child.page.goto(`${t.url}/j/${childToken}`);
    await join(child.page, 'Aino');
    await parent.page.goto(`${t.url}/j/${parentToken}`);
    await join(parent.page, 'Kaisa Virtanen');
    for (const side of [reader.page, child.page, parent.page]) {
      await expect.poll(() => side.locator('figure[data-peer-id]').count(), { timeout: 15_000 }).toBe(2);
    }
    await expect
      .poll(async () => ((await coordinator.send('GET', '/api/books?language=en')).json?.books ?? []).length, {
        timeout: 110_000,
        interval: 1000,
      })
      .toBeGreaterThanOrEqual(3);

    // The open shelf: every book button is named by the words on it, title first.
    await reader.page.getByRole('button', { name: 'Read a book' }).click();
    const shelf = reader.page.getByRole('dialog', { name: 'The book shelf' });
    await expect.poll(() => shelf.locator('[data-book-id]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const firstBook = shelf.locator('[data-book-id]').first();
    const bookTitle = (await firstBook.locator('.book-title').textContent())?.trim() ?? '';
    const escaped = bookTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(await shelf.getByRole('button', { name: new RegExp(`^${escaped}`) }).count()).toBeGreaterThan(0);
    // Open, in every language and size (closed to change the language: the dialog keeps the
    // language button out of reach).
    await lookInEveryLanguageAndSize(reader.page, 'storytime3-shelf', {
      fullPage: false,
      close: async () => {
        await reader.page.keyboard.press('Escape');
        await reader.page.locator('dialog.shelf').waitFor({ state: 'hidden' });
      },
      open: async () => {
        await reader.page.locator('.prompt button').click();
        await expect.poll(() => reader.page.locator('dialog.shelf [data-book-id]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      },
    });
    await firstBook.click();
    await shelf.waitFor({ state: 'hidden' });
    for (const side of [reader.page, child.page, parent.page]) await expectPage(side, 1);
    await reader.page.getByRole('button', { name: 'Next page' }).click();
    await reader.page.getByRole('button', { name: 'Next page' }).click();
    for (const side of [reader.page, child.page]) await expectPage(side, 3);

    for (const lang of ['fi', 'sv', 'en'] as const) {
      await chooseLanguage(reader.page, lang);
      await chooseLanguage(child.page, lang);
      for (const size of Object.keys(SIZES) as SizeName[]) {
        await reader.page.setViewportSize(SIZES[size]);
        await child.page.setViewportSize(SIZES[size]);
        // The layout follows the new size a moment later: measured until it has settled (and
        // photographed either way, so a failure can be seen).
        for (const [side, who] of [
          [reader.page, 'reader'],
          [child.page, 'listener'],
        ] as const) {
          try {
            await expect.poll(() => storytimeLayoutProblems(side, lang, size), { timeout: 10_000 }).toEqual([]);
          } finally {
            await saveScreen(side, `storytime3-${who}-${size}-${lang}`, { fullPage: false });
          }
        }

        // The way off the reader's page is a button with words on it, shown in full.
        const look = child.page.getByRole('button', { name: say(lang, 'storytime.lookAround'), exact: true });
        expect(await look.innerText()).toBe(say(lang, 'storytime.lookAround'));
        const words = await boxOf(look.getByText(say(lang, 'storytime.lookAround'), { exact: true }));
        expect(words.width).toBeGreaterThan(40);
        expect(words.height).toBeGreaterThan(10);

        // Every language: a translation can make a button's name stop matching its words.
        expect(await seriousAccessibilityProblems(reader.page)).toEqual([]);
        expect(await seriousAccessibilityProblems(child.page)).toEqual([]);

        // Looking around alone: the screen says so, with where the reader is and a large way back
        // (which has the focus now that the button pressed is gone); it still all fits.
        await look.click();
        const back = child.page.getByRole('button', { name: say(lang, 'storytime.backToNamed', { name: 'Mummi' }) });
        await expect.poll(() => back.evaluate((button) => button === (button as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)).toBe(true);
        const band = child.page.locator('[data-alone]');
        expect(await band.innerText()).toContain(say(lang, 'storytime.lookingAlone'));
        expect(await band.innerText()).toContain(say(lang, 'storytime.readerOnPage', { name: 'Mummi', page: '3' }));
        await child.page.getByRole('button', { name: say(lang, 'storytime.next') }).click();
        await expectPage(child.page, 4);
        try {
          await expect.poll(() => storytimeLayoutProblems(child.page, lang, size), { timeout: 10_000 }).toEqual([]);
        } finally {
          await saveScreen(child.page, `storytime3-listener-looking-${size}-${lang}`, { fullPage: false });
        }
        const backBox = await boxOf(back);
        expect(backBox.height).toBeGreaterThanOrEqual(44);
        expect(await seriousAccessibilityProblems(child.page)).toEqual([]);
        await back.click();
        await expectPage(child.page, 3);
        await expect.poll(() => child.page.locator('[data-alone]').count()).toBe(0);
      }
    }

    const problems = [...reader.problems, ...child.problems, ...parent.problems].filter((p) => !/favicon/.test(p));
    expect(problems).toEqual([]);
    // Nine screens each way, measured and photographed: more than the usual two minutes.
  }, 300_000);
});
