import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { catalogues } from '../../web/src/lib/i18n/languages.ts';
import { boxOf, launchChromium, openPage, selfVideoReady, type TestPage } from '../support/browser.ts';
import { lookInEveryLanguageAndSize, SCREEN_SIZES } from '../support/everyScreen.ts';
import type { HttpSession } from '../support/httpClient.ts';
import { chooseLanguage } from '../support/language.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';
import { saveScreen, SCREEN_WIDTHS } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// What guests meet, in real Chromium: the pre-join with a microphone that really speaks (a
// sentence from espeak-ng, so the level meter has something to show), remembered name and
// devices, the chat between two people, no chat where children are, and the pages that say
// "not yet" or "no longer". Every screen is checked with axe and photographed in fi, sv and en.

const dir = mkdtempSync(join(tmpdir(), 'tupa-guest-'));
let t: TestServer;
let browser: Browser;
let staff: HttpSession;
const pages: TestPage[] = [];

beforeAll(async () => {
  const wav = join(dir, 'hello.wav');
  execFileSync('espeak-ng', ['-s', '140', '-a', '180', '-w', wav, 'Hello, can you hear me? I am reading a story to you today.']);
  [t, browser] = await Promise.all([startTestServer(), launchChromium({ extraArgs: [`--use-file-for-fake-audio-capture=${wav}`] })]);
  staff = await firstCoordinator(t.url);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const room = (settings: Record<string, unknown>): Promise<string> => createRoom(staff, settings);

async function session(roomId: string, minutesAhead: number): Promise<{ sessionId: string; startsAt: Date }> {
  const startsAt = new Date(Date.now() + minutesAhead * 60_000);
  startsAt.setUTCSeconds(0, 0);
  const created = await staff.send('POST', '/api/admin/sessions', {
    roomId,
    title: 'Perhekahvila',
    startsAt: startsAt.toISOString(),
    durationMinutes: 60,
  });
  expect(created.status).toBe(201);
  return { sessionId: created.json.session.id as string, startsAt };
}

const invite = (roomId: string, options: { simple?: boolean; sessionId?: string } = {}): Promise<string> =>
  createInvitation(staff, roomId, options);

async function open(locale = 'en-US', signedIn = false): Promise<TestPage> {
  const opened = await openPage(browser, { locale });
  pages.push(opened);
  if (signedIn) {
    const [name, ...value] = staff.cookie.split('=');
    await opened.context.addCookies([{ name: name!, value: value.join('='), url: t.url }]);
  }
  return opened;
}

const LANGUAGE_BUTTONS = [
  ['fi', 'Suomi'],
  ['sv', 'Svenska'],
  ['en', 'English'],
] as const;

/**
 * Checks the screen with axe, then photographs it in Finnish, Swedish and English, narrow and wide,
 * and returns to English at the desktop width.
 */
async function check(page: Page, name: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page)).toEqual([]);
  for (const [lang] of LANGUAGE_BUTTONS) {
    await chooseLanguage(page, lang);
    for (const viewport of Object.values(SCREEN_WIDTHS)) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(200);
      await saveScreen(page, `guest-${name}-${lang}-${viewport.width}`);
    }
  }
  await page.setViewportSize(SCREEN_WIDTHS.desktop);
}

function noProblems(...opened: TestPage[]): void {
  // A dead link's lookup answers 404 on purpose; the browser logs every 404 as an error.
  const problems = opened.flatMap((o) => o.problems).filter((p) => !p.includes('favicon') && !p.includes('status of 404'));
  expect(problems).toEqual([]);
}

describe('the guest side in Chromium', () => {
  it('shows the start page, the expired link and the not-started page clearly', async () => {
    const early = await room({ name: 'Torstain satutunti', lobbyEnabled: false });
    const { sessionId, startsAt } = await session(early, 120);
    const token = await invite(early, { sessionId });
    const visitor = await open();
    const { page } = visitor;

    await page.goto(t.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await check(page, 'start');

    await page.goto(`${t.url}/j/AAAAAAAAAAAAAAAAAAAAAA`);
    await page.getByRole('heading', { level: 1, name: 'This link no longer works' }).waitFor();
    await check(page, 'expired-link');

    // Too early: the time in Helsinki time, and a way to look again; no Join button.
    await page.goto(`${t.url}/j/${token}`);
    await page.getByRole('heading', { level: 1, name: 'Torstain satutunti' }).waitFor();
    const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Helsinki' }).format(startsAt);
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/Helsinki' }).format(startsAt);
    const notice = page.getByTestId('session-not-started');
    await expect.poll(() => notice.textContent()).toContain(`starts at ${time} on ${weekday}`);
    expect(await page.getByRole('button', { name: 'Join', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Try again' }).click();
    await notice.waitFor();
    await check(page, 'not-started');
    await page.getByRole('button', { name: 'Suomi', exact: true }).click();
    const fiTime = time.replace(':', '.');
    await expect.poll(() => notice.textContent()).toContain(`kello ${fiTime}`);
    noProblems(visitor);
  });

  it('lets an early guest in by itself once the session opens, without a tap', async () => {
    const roomId = await room({ name: 'Aamupäivän satutunti', lobbyEnabled: false });
    // The door opens 15 minutes before the start: here, ten seconds from now.
    const startsAt = new Date(Date.now() + 15 * 60_000 + 10_000);
    const created = await staff.send('POST', '/api/admin/sessions', {
      roomId,
      title: 'Satutunti',
      startsAt: startsAt.toISOString(),
      durationMinutes: 30,
    });
    expect(created.status).toBe(201);
    const token = await invite(roomId, { sessionId: created.json.session.id as string });
    const visitor = await open();
    const { page } = visitor;

    await page.goto(`${t.url}/j/${token}`);
    await page.getByTestId('session-not-started').waitFor();
    await page.getByText('If you keep this page open, it lets you in by itself').waitFor();
    // Nobody touches anything: the page looks again and the pre-join takes its place.
    await page.getByRole('textbox', { name: 'Your name' }).waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('session-not-started').count()).toBe(0);
    noProblems(visitor);
  }, 90_000);

  it('remembers the name and the chosen microphone, and the level meter follows the voice', async () => {
    const roomId = await room({ name: 'Muistava huone', lobbyEnabled: false });
    const { sessionId } = await session(roomId, 5);
    const token = await invite(roomId, { sessionId });
    const guest = await open();
    const { page } = guest;

    await page.goto(`${t.url}/j/${token}`);
    await page.getByRole('heading', { level: 1, name: 'Muistava huone' }).waitFor();
    // The invitation tells the session's time and language.
    await expect.poll(() => page.getByTestId('invitation-about').textContent()).toContain('The session is in Finnish.');
    expect(await page.getByTestId('invitation-about').textContent()).toContain('The session starts on');
    await selfVideoReady(page);
    await page.getByRole('textbox', { name: 'Your name' }).click();
    const meter = page.getByRole('meter', { name: 'Your microphone works' });
    await meter.waitFor();
    // The spoken sentence moves the bar above silence at some point within a few seconds.
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThanOrEqual(20);
    await page.getByRole('textbox', { name: 'Your name' }).fill('Mummo Aino');
    await check(page, 'prejoin');

    const microphones = page.getByRole('combobox', { name: 'Microphone' });
    const options = await microphones.locator('option').evaluateAll((list) => list.map((o) => o.getAttribute('value') ?? ''));
    expect(options.length).toBeGreaterThan(1);
    const chosen = options.at(-1)!;
    await microphones.selectOption(chosen);
    await expect.poll(() => microphones.inputValue()).toBe(chosen);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });

    // The next visit on this device starts with the same name and microphone.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Muistava huone' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Your name' }).inputValue()).toBe('Mummo Aino');
    await expect.poll(() => page.getByRole('combobox', { name: 'Microphone' }).inputValue(), { timeout: 10_000 }).toBe(chosen);
    noProblems(guest);
  });

  it('keeps the simple link to the picture, the name and one big button', async () => {
    const roomId = await room({ name: 'Mummon satutupa', lobbyEnabled: false });
    const token = await invite(roomId, { simple: true });
    const grandparent = await open('fi-FI');
    const { page } = grandparent;
    await page.goto(`${t.url}/j/${token}`);
    await page.getByRole('heading', { level: 1, name: 'Mummon satutupa' }).waitFor();
    await selfVideoReady(page);
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Kamera päällä' }).count()).toBe(0);
    await page.getByRole('textbox', { name: 'Nimesi' }).fill('Mummo');
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await check(page, 'prejoin-simple');

    // On a phone the name field and the big Join button are on the screen without scrolling,
    // in every language, on an ordinary phone and on a small older one.
    for (const viewport of [SCREEN_WIDTHS.phone, { width: 375, height: 667 }]) {
      await page.setViewportSize(viewport);
      for (const [lang, button] of LANGUAGE_BUTTONS) {
        await page.getByRole('button', { name: button, exact: true }).click();
        await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang);
        await page.evaluate('window.scrollTo(0, 0)');
        await page.waitForTimeout(200);
        const inView = async (box: { x: number; y: number; width: number; height: number } | null) => {
          expect(box).not.toBeNull();
          expect(box!.y).toBeGreaterThanOrEqual(0);
          expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
          expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
        };
        await saveScreen(page, `guest-prejoin-simple-fold-${lang}-${viewport.width}x${viewport.height}`, { fullPage: false });
        await inView(await page.locator('#display-name').boundingBox());
        const join = page.locator('form.join-form button[type="submit"]');
        await inView(await join.boundingBox());
        // Still the one big button.
        expect((await join.boundingBox())!.height).toBeGreaterThanOrEqual(70);
      }
    }
    await page.setViewportSize(SCREEN_WIDTHS.desktop);
    noProblems(grandparent);
  });

  it('gives the simple call three big buttons that say what a tap does, and asks once before leaving', async () => {
    const roomId = await room({ name: 'Mummon satutupa', lobbyEnabled: false, chatEnabled: true });
    const token = await invite(roomId, { simple: true });
    const host = await open('en-US', true);
    const grandparent = await open('fi-FI');
    const { page } = grandparent;

    await host.page.goto(`${t.url}/r/${roomId}`);
    await host.page.getByRole('textbox', { name: 'Your name' }).fill('Kaisa');
    await selfVideoReady(host.page);
    await host.page.getByRole('button', { name: 'Join', exact: true }).click();
    await host.page.getByRole('button', { name: 'Host tools' }).waitFor({ timeout: 15_000 });

    await page.goto(`${t.url}/j/${token}`);
    await page.getByRole('textbox', { name: 'Nimesi' }).fill('Mummo');
    await selfVideoReady(page);
    await page.getByRole('button', { name: 'Liity', exact: true }).click();
    const bar = page.getByRole('group', { name: 'Puhelun painikkeet' });
    await bar.waitFor({ timeout: 15_000 });

    // Three buttons only (no sound only, hand or chat, though this room has chat), each saying
    // what it is now and what a tap does.
    const words = () => bar.getByRole('button').evaluateAll((buttons) => buttons.map((b) => b.textContent?.replace(/\s+/g, ' ').trim()));
    await expect.poll(words).toEqual(['Mikrofoni on päällä Napauta sulkeaksesi', 'Kamera on päällä Napauta sulkeaksesi', 'Poistu puhelusta']);
    const micOn = bar.getByRole('button', { name: 'Mikrofoni on päällä Napauta sulkeaksesi', exact: true });
    await micOn.click();
    await bar.getByRole('button', { name: 'Mikrofoni on pois päältä Napauta avataksesi', exact: true }).click();
    await micOn.waitFor();

    // In the call the languages are folded behind one button at the top; one touch there
    // changes nothing.
    expect(await page.getByRole('button', { name: 'Svenska', exact: true }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Kieli', exact: true }).click();
    await page.getByRole('button', { name: 'Svenska', exact: true }).waitFor();
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    for (const size of [SCREEN_WIDTHS.phone, SCREEN_WIDTHS.desktop]) {
      await page.setViewportSize(size);
      await saveScreen(page, `simple-call-language-menu-fi-${size.width}x${size.height}`, { fullPage: false });
    }
    await page.getByRole('button', { name: 'Kieli', exact: true }).click();
    await page.getByRole('button', { name: 'Svenska', exact: true }).waitFor({ state: 'hidden' });
    expect(await page.getAttribute('html', 'lang')).toBe('fi');
    // Held sideways, the phone gives the whole screen to the call.
    await page.setViewportSize({ width: 844, height: 390 });
    await page.getByRole('banner').waitFor({ state: 'hidden' });
    await page.setViewportSize(SCREEN_WIDTHS.desktop);
    // Nor does the name at the top lead away from the call.
    expect(await page.getByRole('banner').getByRole('link').count()).toBe(0);

    // Big enough for any finger, in every language and size, and nothing serious for axe.
    await expect.poll(() => page.locator('[data-peer-id]').count(), { timeout: 15_000 }).toBe(1);
    await lookInEveryLanguageAndSize(page, 'simple-call', { fullPage: false });
    for (const lang of ['fi', 'sv', 'en'] as const) {
      await chooseLanguage(page, lang);
      for (const size of SCREEN_SIZES) {
        await page.setViewportSize(size);
        const buttons = page.getByRole('group', { name: catalogues[lang]['controls.label'] }).getByRole('button');
        await expect.poll(() => buttons.count()).toBe(3);
        for (const button of await buttons.all()) {
          const box = await boxOf(button);
          expect(box.width, `${lang} ${size.width}x${size.height}`).toBeGreaterThanOrEqual(64);
          expect(box.height, `${lang} ${size.width}x${size.height}`).toBeGreaterThanOrEqual(64);
          expect(box.y + box.height).toBeLessThanOrEqual(size.height);
        }
      }
    }
    await page.setViewportSize(SCREEN_WIDTHS.desktop);

    // Leave asks once: "No, stay" has the focus, Escape stays, and the focus is back on Leave.
    const leave = page.getByRole('button', { name: 'Leave the call', exact: true });
    const dialog = page.getByRole('dialog', { name: 'Do you want to leave the call?' });
    const focusedText = () => page.evaluate<string>('document.activeElement?.textContent?.trim() ?? ""');
    await leave.click();
    await dialog.waitFor();
    await expect.poll(focusedText).toBe('No, stay');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(focusedText).toBe('Leave the call');
    expect(await page.getByRole('heading', { level: 1, name: 'You left the call' }).count()).toBe(0);
    await lookInEveryLanguageAndSize(page, 'simple-leave-confirm', {
      fullPage: false,
      open: async () => {
        await page.locator('#leave-button').click();
        await page.locator('dialog.leave-confirm[open]').waitFor();
      },
      close: async () => {
        if ((await page.locator('dialog.leave-confirm[open]').count()) === 0) return;
        await page.keyboard.press('Escape');
        await page.locator('dialog.leave-confirm[open]').waitFor({ state: 'detached' });
      },
    });
    // "No, stay" stays too; the other person still sees her.
    await page.getByRole('button', { name: 'No, stay', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await host.page.locator('[data-peer-id]').count()).toBe(1);

    await leave.click();
    await page.getByRole('button', { name: 'Yes, leave', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'You left the call' }).waitFor();
    await expect.poll(() => host.page.locator('[data-peer-id]').count(), { timeout: 10_000 }).toBe(0);
    // Out of the call, the languages are in plain sight again.
    expect(await page.getByRole('button', { name: 'Svenska', exact: true }).isVisible()).toBe(true);
    noProblems(host, grandparent);
  }, 240_000);

  it('passes chat between two people, and has no chat where children are', async () => {
    const roomId = await room({ name: 'Vanhempien ilta', lobbyEnabled: false, chatEnabled: true });
    const token = await invite(roomId);
    const host = await open('en-US', true);
    const guest = await open();

    await host.page.goto(`${t.url}/r/${roomId}`);
    await host.page.getByRole('textbox', { name: 'Your name' }).fill('Kaisa');
    await selfVideoReady(host.page);
    await host.page.getByRole('button', { name: 'Join', exact: true }).click();
    await host.page.getByRole('button', { name: 'Chat', exact: true }).waitFor({ timeout: 15_000 });

    await guest.page.goto(`${t.url}/j/${token}`);
    await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Pekka');
    await selfVideoReady(guest.page);
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await guest.page.getByRole('button', { name: 'Chat', exact: true }).click();
    const input = guest.page.getByRole('textbox', { name: 'Write a message' });
    await expect.poll(() => input.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await input.pressSequentially('Hei kaikki!');
    await input.press('Shift+Enter');
    await input.pressSequentially('Toinen rivi');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('');

    // The host's button counts the unread line; opening the chat shows it with the name.
    await host.page.getByRole('button', { name: /Chat.*1 new messages/ }).waitFor({ timeout: 10_000 });
    await host.page.getByRole('button', { name: /Chat/ }).first().click();
    const panel = host.page.getByTestId('chat-panel');
    await expect.poll(() => panel.locator('li').first().textContent()).toContain('Pekka');
    expect(await panel.locator('li .text').first().textContent()).toBe('Hei kaikki!\nToinen rivi');
    await host.page.getByRole('textbox', { name: 'Write a message' }).fill('Tervetuloa, Pekka!');
    await host.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => guest.page.getByTestId('chat-panel').textContent(), { timeout: 10_000 }).toContain('Tervetuloa, Pekka!');
    await check(guest.page, 'call-chat');

    await guest.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await guest.page.getByRole('heading', { level: 1, name: 'You left the call' }).waitFor();
    await check(guest.page, 'left');

    // A children's room: no chat button at all.
    const kids = await room({ name: 'Lasten satutupa', kind: 'storytime', childrenPresent: true, chatEnabled: true, lobbyEnabled: false });
    await host.page.goto(`${t.url}/r/${kids}`);
    await host.page.getByRole('textbox', { name: 'Your name' }).fill('Kaisa');
    await host.page.getByRole('button', { name: 'Join', exact: true }).click();
    await host.page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });
    expect(await host.page.getByRole('button', { name: /Chat/ }).count()).toBe(0);
    noProblems(host, guest);
  });

  it('shows a calm waiting screen in the lobby', async () => {
    const roomId = await room({ name: 'Vertaisryhmä', lobbyEnabled: true, groundRules: 'Be kind.\nWhat is said here stays here.' });
    const token = await invite(roomId);
    const guest = await open();
    await guest.page.goto(`${t.url}/j/${token}`);
    await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Liisa');
    await selfVideoReady(guest.page);
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await guest.page.getByTestId('lobby-waiting').waitFor({ timeout: 15_000 });
    // The camera kept open for a quick entry shows its picture here, mirrored like before.
    await selfVideoReady(guest.page);
    await guest.page.getByText('This is how the others will see you when you come in.').waitFor();
    expect(await guest.page.evaluate(`getComputedStyle(document.querySelector('[data-self] video')).scale`)).toBe('-1 1');
    await check(guest.page, 'lobby');

    // Turning the camera off closes it (its light goes out) and says so; on again, the picture returns.
    const liveCameras = () =>
      guest.page.evaluate<number>(`(() => {
        const stream = document.querySelector('[data-self] video')?.srcObject;
        return stream ? stream.getVideoTracks().filter((track) => track.readyState === 'live').length : 0;
      })()`);
    await guest.page.getByRole('button', { name: 'Camera on', exact: true }).click();
    await guest.page.getByRole('button', { name: 'Camera off', exact: true }).waitFor();
    await guest.page.getByText('Your camera is off. The others will not see you.').waitFor();
    await expect.poll(liveCameras).toBe(0);
    await guest.page.getByRole('button', { name: 'Microphone on', exact: true }).click();
    await guest.page.getByRole('button', { name: 'Microphone off', exact: true }).waitFor();
    await check(guest.page, 'lobby-camera-off');
    await guest.page.getByRole('button', { name: 'Camera off', exact: true }).click();
    await selfVideoReady(guest.page);
    expect(await liveCameras()).toBe(1);
    noProblems(guest);
  });
});
