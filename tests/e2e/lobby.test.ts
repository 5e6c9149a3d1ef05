import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { inboundTotals, joinAsStaffHost, launchChromium, openPage, outboundAudio, selfVideoReady, type TestPage } from '../support/browser.ts';
import { lookInEveryLanguageAndSize } from '../support/everyScreen.ts';
import type { HttpSession } from '../support/httpClient.ts';
import { chooseLanguage } from '../support/language.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';
import { saveScreen } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// An invited guest waits in the lobby of a staff room until the host lets them in; then both
// see each other, the host mutes the guest (whose sound really stops) and the guest leaves.

let t: TestServer;
let browser: Browser;
const pages: TestPage[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/**
 * Checks what the page shows now with axe, then photographs it in Finnish, Swedish and English,
 * narrow and wide; back to English, wide.
 */
async function shoot(page: Page, name: string): Promise<void> {
  expect(await seriousAccessibilityProblems(page)).toEqual([]);
  for (const lang of ['fi', 'sv', 'en'] as const) {
    await chooseLanguage(page, lang);
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.waitForTimeout(150);
      await saveScreen(page, `${name}-${lang}-${width}`);
    }
  }
}

/** Staff set-up through the API, once: the first coordinator, a room with a lobby, an invitation. */
let prepared: Promise<{ staff: HttpSession; roomId: string; token: string }> | null = null;
function prepare(): Promise<{ staff: HttpSession; roomId: string; token: string }> {
  prepared ??= (async () => {
    const staff = await firstCoordinator(t.url);
    const roomId = await createRoom(staff, {
      name: 'Satutupa',
      description: 'Picture books together',
      groundRules: 'Be kind to each other.\nWhat is said here stays here.',
      lobbyEnabled: true,
      chatEnabled: false,
    });
    return { staff, roomId, token: await createInvitation(staff, roomId, { label: 'Aino' }) };
  })();
  return prepared;
}

describe('the lobby and host tools in Chromium', () => {
  it('lets a host admit an invited guest, mute them, and see them leave', async () => {
    const { staff, roomId, token } = await prepare();

    const host = await openPage(browser, { locale: 'en-US' });
    const guest = await openPage(browser, { locale: 'en-US' });
    pages.push(host, guest);
    // The host opens the room and joins.
    await joinAsStaffHost(host, t.url, roomId, staff.cookie, 'Kaisa');

    // The guest opens the invitation: the room's name heads the pre-join.
    await guest.page.goto(`${t.url}/j/${token}`);
    await guest.page.getByRole('heading', { level: 1, name: 'Satutupa' }).waitFor();
    await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Aino');
    await selfVideoReady(guest.page);
    await shoot(guest.page, 'invite-prejoin');
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();

    // The guest waits, reading the ground rules; the host sees them waiting.
    await guest.page.getByText('The host is here and will let you in soon').waitFor({ timeout: 15_000 });
    await guest.page.getByText('What is said here stays here.').waitFor();
    await host.page.getByRole('heading', { name: '1 waiting to come in' }).waitFor({ timeout: 10_000 });
    // The camera that stays open for a quick entry shows its picture; the guest comes in without sound.
    await selfVideoReady(guest.page);
    await guest.page.getByRole('button', { name: 'Microphone on', exact: true }).click();
    await guest.page.getByRole('button', { name: 'Microphone off', exact: true }).waitFor();
    await shoot(guest.page, 'lobby-waiting');
    await host.page.getByRole('button', { name: 'Host tools' }).click();
    await shoot(host.page, 'host-panel');
    await host.page.getByRole('button', { name: 'Let Aino in', exact: true }).click();

    // Both see each other.
    for (const side of [host.page, guest.page]) {
      await expect.poll(async () => (await inboundTotals(side, 'video')).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
    }
    await host.page.getByRole('button', { name: 'Mute Aino' }).waitFor();
    // The microphone turned off in the lobby is still off in the call (the host hears nothing),
    // and comes on from the call bar.
    expect((await inboundTotals(host.page, 'audio')).packetsReceived).toBeLessThan(5);
    await guest.page.getByRole('button', { name: 'Microphone off', exact: true }).click();
    await guest.page.getByRole('button', { name: 'Microphone on', exact: true }).waitFor({ timeout: 10_000 });
    await shoot(host.page, 'host-panel-in-call');
    // The same actions from the guest's own tile.
    await host.page.getByRole('button', { name: 'Close host tools' }).click();
    await host.page.getByRole('button', { name: 'Host options for Aino' }).click();
    await host.page.getByRole('button', { name: 'Mute Aino' }).waitFor();
    await shoot(host.page, 'host-tile-menu');

    // The guest raises a hand; the host sees it on the tile and lowers it.
    await guest.page.getByRole('button', { name: 'Raise hand', exact: true }).click();
    await expect.poll(() => host.page.locator('[data-hand]').count(), { timeout: 5000 }).toBe(1);
    await host.page.getByRole('button', { name: 'Lower hand for Aino' }).click();
    await expect.poll(() => host.page.locator('[data-hand]').count(), { timeout: 5000 }).toBe(0);
    await guest.page.getByRole('button', { name: 'Raise hand', exact: true }).waitFor({ timeout: 5000 });

    // The host mutes the guest: the guest's microphone goes off and the host stops hearing it.
    await expect.poll(async () => (await inboundTotals(host.page, 'audio')).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(10);
    await host.page.getByRole('button', { name: 'Mute Aino' }).click();
    await guest.page.getByText('The host muted your microphone.').waitFor({ timeout: 10_000 });
    await guest.page.getByRole('button', { name: 'Microphone off', exact: true }).waitFor();
    await shoot(guest.page, 'guest-muted');
    // Let packets in flight arrive, then nothing more of the guest's sound reaches the host.
    await host.page.waitForTimeout(1000);
    const heardBefore = (await inboundTotals(host.page, 'audio')).packetsReceived;
    const sentBefore = (await outboundAudio(guest.page)).packets;
    await host.page.waitForTimeout(2000);
    const heardAfter = (await inboundTotals(host.page, 'audio')).packetsReceived;
    const sentAfter = (await outboundAudio(guest.page)).packets;
    expect(heardAfter - heardBefore).toBeLessThan(5);
    // A disabled microphone sends at most sparse comfort-noise packets, not 50 a second.
    expect(sentAfter - sentBefore).toBeLessThan(40);

    // The host stops the guest's video; the guest can turn the camera on again and is seen again.
    await host.page.getByRole('button', { name: 'Stop video for Aino' }).click();
    await guest.page.getByText('The host turned your camera off.').waitFor({ timeout: 10_000 });
    await guest.page.getByRole('button', { name: 'Camera off', exact: true }).click();
    await guest.page.getByRole('button', { name: 'Camera on', exact: true }).waitFor({ timeout: 10_000 });
    const seenBefore = (await inboundTotals(host.page, 'video')).framesDecoded;
    await expect
      .poll(async () => (await inboundTotals(host.page, 'video')).framesDecoded, { timeout: 15_000 })
      .toBeGreaterThan(seenBefore + 10);


    await guest.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await guest.page.getByRole('heading', { level: 1, name: 'You left the call' }).waitFor();
    await expect.poll(() => host.page.getByRole('button', { name: 'Mute Aino' }).count(), { timeout: 10_000 }).toBe(0);

    const problems = [...host.problems, ...guest.problems].filter((p) => !p.includes('favicon'));
    expect(problems).toEqual([]);
  }, 120_000);

  it('tells a waiting guest that the host has not arrived yet, and when the host comes and goes, without a reload', async () => {
    const { staff } = await prepare();
    const roomId = await createRoom(staff, { name: 'Iltasatu', groundRules: 'Be kind to each other.', lobbyEnabled: true });
    const token = await createInvitation(staff, roomId, { label: 'Mummo' });
    const host = await openPage(browser, { locale: 'en-US' });
    const guest = await openPage(browser, { locale: 'en-US' });
    pages.push(host, guest);
    const { page } = guest;

    await page.goto(`${t.url}/j/${token}`);
    await page.getByRole('textbox', { name: 'Your name' }).fill('Mummo');
    await selfVideoReady(page);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    const status = page.getByTestId('lobby-waiting');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('The host has not arrived yet.');
    // Not a promise of "soon" while nobody is there to let her in.
    expect(await status.textContent()).not.toContain('soon');
    await lookInEveryLanguageAndSize(page, 'lobby-no-host');
    await expect.poll(() => status.textContent()).toContain('The host has not arrived yet.');

    // The host comes: the same page says so by itself.
    await page.evaluate('window.__samePage = true');
    await joinAsStaffHost(host, t.url, roomId, staff.cookie, 'Kaisa');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('The host is here and will let you in soon.');
    await lookInEveryLanguageAndSize(page, 'lobby-host-here');

    // The host leaves before letting her in: back to "has not arrived", still the same page.
    await host.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await host.page.getByRole('heading', { level: 1, name: 'You left the call' }).waitFor();
    // Staff who leave find their way back to the staff pages too, beside "Join again".
    await host.page.getByRole('link', { name: 'Back to the staff pages' }).waitFor();
    await host.page.getByRole('button', { name: 'Join again' }).waitFor();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('The host has not arrived yet.');
    expect(await page.evaluate('window.__samePage')).toBe(true);

    const problems = [...host.problems, ...guest.problems].filter((p) => !p.includes('favicon'));
    expect(problems).toEqual([]);
  }, 240_000);

  it('leads a typed code (any case, with spaces) to a simple pre-join, and explains a dead link', async () => {
    const { staff, roomId } = await prepare();
    const invited = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, {
      role: 'guest',
      simple: true,
      label: 'Mummo',
      validHours: 24,
    });
    expect(invited.status).toBe(201);
    const code = invited.json.code as string;
    const opened = await openPage(browser, { locale: 'fi-FI', viewport: { width: 390, height: 800 } });
    pages.push(opened);
    const { page } = opened;

    await page.goto(`${t.url}/j/AAAAAAAAAAAAAAAAAAAAAA`);
    await page.getByRole('heading', { level: 1, name: 'Tämä linkki ei enää toimi' }).waitFor();

    await page.goto(`${t.url}/`);
    const field = page.getByRole('textbox', { name: 'Kutsukoodi' });
    await field.fill('abcde 22222');
    await page.getByRole('button', { name: 'Jatka' }).click();
    await page.getByText('Koodia ei löytynyt').waitFor();
    await field.fill(` ${code.toLowerCase().replace('-', ' ')} `);
    await saveScreen(page, 'home-code-fi-390');
    await page.getByRole('button', { name: 'Jatka' }).click();
    await page.getByRole('heading', { level: 1, name: 'Satutupa' }).waitFor();
    const joinButton = page.getByRole('button', { name: 'Liity', exact: true });
    expect((await joinButton.boundingBox())!.height).toBeGreaterThanOrEqual(90);
    await saveScreen(page, 'code-prejoin-simple-fi-390');
    expect(opened.problems.filter((p) => !p.includes('404'))).toEqual([]);
  }, 60_000);
});
