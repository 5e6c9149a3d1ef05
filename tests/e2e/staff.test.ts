import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { inboundTotals, launchChromium, openPage, outboundAudio, selfVideoReady, type TestPage } from '../support/browser.ts';
import { HttpSession } from '../support/httpClient.ts';
import { saveScreen, SCREEN_WIDTHS } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// The staff console in real Chromium: a coordinator signs in, makes a room and an invitation,
// and runs the call the invitation leads to; every console page passes axe and is photographed
// on a phone and a laptop in Finnish and English.

const COORDINATOR = { email: 'kaisa@example.org', displayName: 'Kaisa', password: 'coordinator passphrase' };
const HOST = { email: 'ville@example.org', displayName: 'Ville', password: 'host passphrase here', role: 'host' };

let t: TestServer;
let browser: Browser;
let hostId: string;
const pages: TestPage[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchChromium()]);
  const admin = new HttpSession(t.url);
  expect((await admin.send('POST', '/api/auth/setup', COORDINATOR)).status).toBe(201);
  const host = await admin.send('POST', '/api/staff', HOST);
  expect(host.status).toBe(201);
  hostId = host.json.staff.id as string;
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Problems a page reported, less the expected 401 of "am I signed in?" on the sign-in page. */
function realProblems(opened: TestPage): string[] {
  return opened.problems.filter((p) => !p.includes('favicon') && !/Failed to load resource.*(401|404)/.test(p));
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousAccessibilityProblems(page)).toEqual([]);
}

async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${t.url}/staff/login`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the staff console in Chromium', () => {
  it('lets a coordinator sign in, make a room and an invitation, admit the guest, see them, mute them', async () => {
    const coordinator = await openPage(browser, { locale: 'en-US' });
    const guest = await openPage(browser, { locale: 'en-US' });
    pages.push(coordinator, guest);
    const staff = coordinator.page;

    await staff.goto(`${t.url}/`);
    await staff.getByRole('link', { name: 'Staff sign-in' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Sign in for staff' }).waitFor();
    await expectAccessible(staff);
    await signInThroughUi(staff, COORDINATOR.email, COORDINATOR.password);
    await staff.getByRole('heading', { level: 1, name: 'Hello, Kaisa' }).waitFor();
    await expectAccessible(staff);

    // A room with a waiting room, made through the form.
    await staff.getByRole('navigation', { name: 'Staff menu' }).getByRole('link', { name: 'Rooms' }).click();
    await staff.getByRole('link', { name: 'Create a room' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Create a room' }).waitFor();
    await staff.getByLabel('Name', { exact: true }).fill('Satutupa');
    await staff.getByLabel('Kind of room').selectOption('peer-group');
    await staff.getByLabel('Ground rules').fill('Be kind to each other.\nWhat is said here stays here.');
    expect(await staff.getByRole('checkbox', { name: 'Use a waiting room' }).isChecked()).toBe(true);
    await staff.getByRole('checkbox', { name: 'Allow chat' }).uncheck();
    await staff.getByRole('button', { name: 'Create the room' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Satutupa' }).waitFor();
    const roomId = /\/staff\/rooms\/([A-Za-z0-9_-]{22})$/.exec(staff.url())?.[1];
    expect(roomId).toBeTruthy();

    // A guest invitation: its link, code and QR code appear once.
    await staff.getByLabel('Note for staff').fill('Aino');
    await staff.getByRole('button', { name: 'Create the invitation' }).click();
    const ready = staff.locator('[data-invitation-ready]');
    await ready.getByRole('heading', { name: 'The invitation is ready' }).waitFor();
    const link = (await ready.locator('.link').textContent())?.trim() ?? '';
    expect(link).toMatch(new RegExp(`^${t.url}/j/[A-Za-z0-9_-]{22}$`));
    expect((await ready.locator('[data-invitation-code]').textContent())?.replace(/\s/g, '')).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    await ready.getByRole('img', { name: 'QR code of the invitation link' }).locator('svg path').first().waitFor();
    await staff.getByRole('listitem').filter({ hasText: 'Aino' }).getByText('Guest', { exact: true }).waitFor();
    await expectAccessible(staff);

    // The coordinator opens the room from the console and joins it as its host.
    await staff.getByRole('link', { name: 'Open the room' }).click();
    await staff.waitForURL(`${t.url}/r/${roomId}`);
    await staff.getByRole('textbox', { name: 'Your name' }).fill('Kaisa');
    await selfVideoReady(staff, 20_000);
    await staff.getByRole('button', { name: 'Join', exact: true }).click();
    await staff.getByRole('button', { name: 'Host tools' }).waitFor({ timeout: 15_000 });

    // The guest opens the link, passes the pre-join and waits in the lobby.
    await guest.page.goto(link);
    await guest.page.getByRole('heading', { level: 1, name: 'Satutupa' }).waitFor();
    await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Aino');
    await selfVideoReady(guest.page);
    await expectAccessible(guest.page);
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await guest.page.getByText('The host will let you in soon').waitFor({ timeout: 15_000 });
    await guest.page.getByText('What is said here stays here.').waitFor();
    await expectAccessible(guest.page);

    // The host lets the guest in.
    await staff.getByRole('heading', { name: '1 waiting to come in' }).waitFor({ timeout: 15_000 });
    await staff.getByRole('button', { name: 'Host tools' }).click();
    await staff.getByRole('button', { name: 'Let Aino in', exact: true }).click();

    for (const side of [staff, guest.page]) {
      await expect.poll(async () => (await inboundTotals(side, 'video')).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
    }
    await expectAccessible(guest.page);

    // Before muting, the guest's microphone really sends: about 50 packets a second.
    const audioAt0 = await outboundAudio(guest.page);
    await guest.page.waitForTimeout(2000);
    const audioAt2 = await outboundAudio(guest.page);
    expect(audioAt2.packets - audioAt0.packets).toBeGreaterThan(50);
    const bytesWhileSpeaking = audioAt2.bytes - audioAt0.bytes;

    await staff.getByRole('button', { name: 'Mute Aino' }).click();
    await guest.page.getByText('The host muted your microphone.').waitFor({ timeout: 10_000 });
    await guest.page.waitForTimeout(1000);
    const mutedAt0 = await outboundAudio(guest.page);
    const heardAt0 = (await inboundTotals(staff, 'audio')).packetsReceived;
    await guest.page.waitForTimeout(2000);
    const mutedAt2 = await outboundAudio(guest.page);
    const heardAt2 = (await inboundTotals(staff, 'audio')).packetsReceived;
    // A muted microphone sends at most sparse comfort noise, and the host hears nothing of it.
    expect(mutedAt2.packets - mutedAt0.packets).toBeLessThan(40);
    expect(mutedAt2.bytes - mutedAt0.bytes).toBeLessThan(bytesWhileSpeaking / 5);
    expect(heardAt2 - heardAt0).toBeLessThan(5);

    await guest.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await guest.page.getByRole('heading', { level: 1, name: 'You left the call' }).waitFor();
    await expect.poll(() => staff.getByRole('button', { name: 'Mute Aino' }).count(), { timeout: 10_000 }).toBe(0);

    expect([...realProblems(coordinator), ...realProblems(guest)]).toEqual([]);
  }, 150_000);

  it('shows every console page without serious accessibility problems, on a phone and a laptop, in Finnish and English', async () => {
    const api = await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password);
    const room = await api.send('POST', '/api/admin/rooms', {
      name: 'Leikkitupa',
      description: 'Games for small children with their grandparents',
      kind: 'play',
      language: 'fi',
      capacity: 6,
      groundRules: 'Take turns.',
      lobbyEnabled: true,
      childrenPresent: true,
      chatEnabled: false,
    });
    expect(room.status).toBe(201);
    const roomId = room.json.room.id as string;
    const inAnHour = new Date(Date.now() + 3600_000);
    inAnHour.setUTCSeconds(0, 0);
    const session = await api.send('POST', '/api/admin/sessions', {
      roomId,
      title: 'Tuesday games',
      startsAt: inAnHour.toISOString(),
      durationMinutes: 45,
      recurrence: 'weekly',
      hostIds: [hostId],
    });
    expect(session.status).toBe(201);
    expect((await api.send('POST', `/api/admin/rooms/${roomId}/invitations`, { label: 'Mummo', simple: true })).status).toBe(201);

    const screens = [
      { name: 'overview', path: '/staff' },
      { name: 'rooms', path: '/staff/rooms' },
      { name: 'room-new', path: '/staff/rooms/new' },
      { name: 'room', path: `/staff/rooms/${roomId}` },
      { name: 'room-edit', path: `/staff/rooms/${roomId}/edit` },
      { name: 'sessions', path: '/staff/sessions' },
      { name: 'session-new', path: '/staff/sessions/new' },
      { name: 'team', path: '/staff/team' },
      { name: 'books', path: '/staff/books' },
      { name: 'book-new', path: '/staff/books/new' },
    ];
    for (const lang of ['fi', 'en'] as const) {
      const opened = await openPage(browser, { locale: lang === 'fi' ? 'fi-FI' : 'en-US' });
      pages.push(opened);
      const { page, context } = opened;
      // Each language its own sign-in: signing out at the end of one ends that session.
      const [name, ...value] = (await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password)).cookie.split('=');
      await context.addCookies([
        { name: 'tupa-lang', value: lang, url: t.url },
        { name: name!, value: value.join('='), url: t.url },
      ]);
      for (const screen of screens) {
        await page.goto(`${t.url}${screen.path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        if (screen.name === 'room') {
          // The page as it looks right after making an invitation: link, code and QR code.
          await page.locator('#invite-label').fill(lang === 'fi' ? 'Mummo Aino' : 'Grandma Aino');
          await page.locator('form button[type="submit"]').click();
          await page.locator('[data-invitation-ready] [data-qr] svg').waitFor();
        }
        await expectAccessible(page);
        for (const viewport of [SCREEN_WIDTHS.phone, SCREEN_WIDTHS.desktop]) {
          await page.setViewportSize(viewport);
          await page.waitForTimeout(100);
          // Nothing may spill sideways on a phone.
          expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
          await saveScreen(page, `staff-${screen.name}-${lang}-${viewport.width}`);
        }
      }
      // Signed out, the sign-in page itself.
      await page.getByRole('button', { name: lang === 'fi' ? 'Kirjaudu ulos' : 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: lang === 'fi' ? 'Henkilökunnan kirjautuminen' : 'Sign in for staff' }).waitFor();
      await expectAccessible(page);
      for (const viewport of [SCREEN_WIDTHS.phone, SCREEN_WIDTHS.desktop]) {
        await page.setViewportSize(viewport);
        await saveScreen(page, `staff-login-${lang}-${viewport.width}`);
      }
      expect(realProblems(opened)).toEqual([]);
    }
  }, 180_000);

  it('explains a wrong password in the chosen language, and hides coordinator pages from a host', async () => {
    const opened = await openPage(browser, { locale: 'fi-FI', viewport: SCREEN_WIDTHS.phone });
    pages.push(opened);
    const { page } = opened;
    await page.goto(`${t.url}/staff/login`);
    await page.getByRole('textbox', { name: 'Sähköposti' }).fill(HOST.email);
    await page.getByLabel('Salasana').fill('not the password');
    await page.getByRole('button', { name: 'Kirjaudu' }).click();
    await page.getByRole('alert').getByText('Sähköposti tai salasana ei ole oikein.').waitFor();
    await saveScreen(page, 'staff-login-wrong-fi-390');

    await page.getByLabel('Salasana').fill(HOST.password);
    await page.getByRole('button', { name: 'Kirjaudu' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hei, Ville' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Henkilökunnan valikko' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Yleiskatsaus', 'Huoneet', 'Tapaamiset']);
    expect(await page.getByRole('heading', { name: 'Pikalinkit' }).count()).toBe(0);
    // Typing a coordinator page's address leads back to the overview.
    await page.goto(`${t.url}/staff/team`);
    await page.getByRole('heading', { level: 1, name: 'Hei, Ville' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff');
    await saveScreen(page, 'staff-overview-host-fi-390');
    expect(realProblems(opened)).toEqual([]);
  }, 60_000);
});
