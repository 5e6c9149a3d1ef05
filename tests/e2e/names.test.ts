import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues } from '../../web/src/lib/i18n/languages.ts';
import { launchChromium, openPage, selfVideoReady, type TestPage } from '../support/browser.ts';
import { lookInEveryLanguageAndSize } from '../support/everyScreen.ts';
import type { HttpSession } from '../support/httpClient.ts';
import { saveScreen } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';

// Names in every script and with emoji, in real Chromium: the pre-join takes them as typed, the
// other person sees them exactly so, and a name with a hidden character (a text direction
// control that copied text can bring along) is stopped with a message that says so.

let t: TestServer;
let browser: Browser;
let staff: HttpSession;
const pages: TestPage[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchChromium()]);
  staff = await firstCoordinator(t.url);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const MUMMI = 'Mummi 👩\u200D👧';
const PERSIAN = 'می\u200Cخواهم 🇫🇮';

async function open(): Promise<TestPage> {
  const opened = await openPage(browser, { locale: 'en-US' });
  pages.push(opened);
  return opened;
}

describe('names in the browser', () => {
  it('keeps an emoji name and a Persian name exactly as typed, and stops a hidden character', async () => {
    const roomId = await createRoom(staff, { name: 'Iltasatu', lobbyEnabled: false });
    const token = await createInvitation(staff, roomId);
    const grandparent = await open();
    const { page } = grandparent;
    await page.goto(`${t.url}/j/${token}`);
    const nameBox = page.getByRole('textbox', { name: 'Your name' });

    // A right-to-left override pasted along with the name: the page says what is wrong.
    await nameBox.fill(`Mummi\u202E 👩\u200D👧`);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    const problem = page.locator('#display-name-error');
    await expect.poll(() => problem.textContent()).toBe(catalogues.en['prejoin.nameInvalid']);
    expect(await nameBox.getAttribute('aria-invalid')).toBe('true');
    await lookInEveryLanguageAndSize(page, 'names-prejoin-hidden-character');
    expect(await problem.textContent()).toBe(catalogues.en['prejoin.nameInvalid']);

    // The name with its joiner goes in whole (no maxlength cuts the emoji) and comes back as typed.
    await nameBox.fill(MUMMI);
    expect(await nameBox.inputValue()).toBe(MUMMI);
    await selfVideoReady(page);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });

    const child = await open();
    await child.page.goto(`${t.url}/j/${token}`);
    await child.page.getByRole('textbox', { name: 'Your name' }).fill(PERSIAN);
    await selfVideoReady(child.page);
    await child.page.getByRole('button', { name: 'Join', exact: true }).click();
    await child.page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });

    // Each sees the other's name on the tile exactly as it was typed, joiners and all.
    const tileNames = (p: TestPage) => p.page.locator('.tile:not([data-self]) .name').allTextContents();
    await expect.poll(() => tileNames(child), { timeout: 15_000 }).toContain(MUMMI);
    await expect.poll(() => tileNames(grandparent), { timeout: 15_000 }).toContain(PERSIAN);
    await saveScreen(child.page, 'names-call-emoji-name');
    await saveScreen(page, 'names-call-persian-name');
    expect(pages.flatMap((p) => p.problems).filter((p) => !p.includes('favicon'))).toEqual([]);
  }, 240_000);
});
