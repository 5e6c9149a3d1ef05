import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boxOf, joinFromPreJoin as join, launchChromium, openPage, type TestPage } from '../support/browser.ts';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { expectPage, onPage } from '../support/bookPage.ts';
import type { HttpSession } from '../support/httpClient.ts';
import { chooseLanguage } from '../support/language.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';
import { saveScreen, SCREEN_WIDTHS } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// Storytime in two real browsers: a host (the reader, a grandparent) opens a book from the shelf
// and turns pages with the buttons, the keyboard and a swipe; the invited child sees each page
// as it turns, sees the reader's pointer, taps "look here", reloads and lands on the same page,
// turns pages once the reader hands them over, and looks around alone and comes back. (With a
// third person, the page and the faces are measured in storytime-layout.test.ts.)

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
});
