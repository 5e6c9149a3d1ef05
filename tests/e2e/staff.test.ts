import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate, type Language, type MessageKey } from '../../web/src/lib/i18n/languages.ts';
import { formatDateTime } from '../../web/src/lib/staff/time.ts';
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
    await ready.getByRole('heading', { name: 'The invitation for Aino is ready' }).waitFor();
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
    await guest.page.getByText('The host is here and will let you in soon').waitFor({ timeout: 15_000 });
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

// The room page and its invitations, in each language: what an invitation is for is chosen anew
// each time and said in words before it is made; invitations made one after another all stay on
// the page; the room says chat is off where children take part; and it leads to planning a
// session. Every state is checked by axe and photographed on a phone upright and on its side and
// on a laptop.

/** A phone upright, the same phone on its side, and a laptop. */
const ROOM_VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 844, height: 390 },
  { width: 1280, height: 800 },
] as const;

const SESSION_TITLES: Record<Language, { once: string; weekly: string }> = {
  fi: { once: 'Satuhetki tänään', weekly: 'Tiistain leikit' },
  sv: { once: 'Sagostund i dag', weekly: 'Tisdagslekar' },
  en: { once: 'Story time today', weekly: 'Tuesday games' },
};
const LABELS: Record<Language, { guest: string; host: string }> = {
  fi: { guest: 'Mummo Aino', host: 'Vapaaehtoinen Ville' },
  sv: { guest: 'Mormor Aino', host: 'Volontären Ville' },
  en: { guest: 'Grandma Aino', host: 'Volunteer Ville' },
};

/** Every way `formatDateTime` can write the minutes from `from` to `to` (a clock may tick between). */
function minutesBetween(from: number, to: number, lang: Language): string[] {
  const written = new Set<string>();
  for (let at = from - 60_000; at <= to + 60_000; at += 30_000) written.add(formatDateTime(new Date(at), lang));
  return [...written];
}

/** Looks at the page at each size: nothing spills sideways, axe finds nothing serious, a screenshot is kept. */
async function photographEverySize(page: Page, name: string): Promise<void> {
  for (const viewport of ROOM_VIEWPORTS) {
    await page.setViewportSize(viewport);
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
    await expectAccessible(page);
    await saveScreen(page, `${name}-${viewport.width}x${viewport.height}`);
  }
  await page.setViewportSize(SCREEN_WIDTHS.desktop);
}

describe('the room page and its invitations', () => {
  for (const lang of ['en', 'fi', 'sv'] as const) {
    it(`in ${lang}: never ties an invitation to a session silently, keeps every new link on the page, says chat is off with children`, async () => {
      const tr = (key: MessageKey, params?: Record<string, string>) => translate(lang, key, params);
      const api = await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password);
      const room = await api.send('POST', '/api/admin/rooms', {
        name: { fi: 'Satutupa', sv: 'Sagostugan', en: 'Story room' }[lang],
        description: '',
        kind: 'storytime',
        language: lang,
        capacity: 6,
        groundRules: '',
        lobbyEnabled: true,
        childrenPresent: true,
        // Chat is wanted, but children take part, so there is none.
        chatEnabled: true,
      });
      expect(room.status).toBe(201);
      const roomId = room.json.room.id as string;
      const startsAt = new Date(Date.now() + 3 * 3600_000);
      startsAt.setUTCSeconds(0, 0);
      const sessionEnd = new Date(startsAt.getTime() + 45 * 60_000);
      const titles = SESSION_TITLES[lang];
      for (const body of [
        { title: titles.once, startsAt: startsAt.toISOString(), durationMinutes: 45 },
        { title: titles.weekly, startsAt: new Date(startsAt.getTime() + 24 * 3600_000).toISOString(), durationMinutes: 60, recurrence: 'weekly' },
      ]) {
        expect((await api.send('POST', '/api/admin/sessions', { roomId, hostIds: [hostId], ...body })).status).toBe(201);
      }

      const opened = await openPage(browser, { locale: { fi: 'fi-FI', sv: 'sv-FI', en: 'en-US' }[lang] });
      pages.push(opened);
      const { page, context } = opened;
      const [cookieName, ...cookieValue] = (await new HttpSession(t.url).signIn(COORDINATOR.email, COORDINATOR.password)).cookie.split('=');
      await context.addCookies([
        { name: 'tupa-lang', value: lang, url: t.url },
        { name: cookieName!, value: cookieValue.join('='), url: t.url },
      ]);
      const loading = Date.now();
      await page.goto(`${t.url}/staff/rooms/${roomId}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(lang);

      // Chat is shown as off because children take part, whatever the chat setting says.
      const chatRow = page.locator('dl > div').filter({ has: page.getByText(tr('staff.roomForm.chat'), { exact: true }) });
      expect((await chatRow.locator('dd').textContent())?.trim()).toBe(tr('staff.room.chatOffChildren'));
      // The coming sessions, and a way to plan another one in this room.
      const sessions = page.getByRole('region', { name: tr('staff.room.sessions') });
      await sessions.getByRole('heading', { name: titles.once }).waitFor();
      await sessions.getByRole('heading', { name: titles.weekly }).waitFor();
      expect(await page.getByRole('link', { name: tr('staff.sessions.plan') }).getAttribute('href')).toBe(`/staff/sessions/new?room=${roomId}`);

      // The form starts with "any time" chosen and says until when, before anything is made.
      const anyTime = page.getByRole('radio', { name: tr('staff.invite.anyTime') });
      const forSession = page.getByRole('radio', { name: tr('staff.invite.forSession', { title: titles.once }) });
      const expiry = page.locator('[data-invitation-expiry]');
      const opening = Date.now();
      expect(await anyTime.isChecked()).toBe(true);
      expect(await forSession.isChecked()).toBe(false);
      const twoWeeks = 14 * 24 * 3600_000;
      expect(minutesBetween(opening + twoWeeks, Date.now() + twoWeeks, lang).map((time) => tr('staff.invite.endsAnyTime', { time }))).toContain(
        (await expiry.textContent())?.trim(),
      );
      await photographEverySize(page, `staff-room-invite-${lang}`);

      // A weekly session without a last day: the form says the invitation ends after three months
      // (counted from when the page was loaded).
      const threeMonths = 90 * 24 * 3600_000;
      await page.getByRole('radio', { name: tr('staff.invite.forSession', { title: titles.weekly }) }).check();
      await expect
        .poll(async () => (await expiry.textContent())?.replace(/\s+/g, ' ').trim())
        .toBeOneOf(
          minutesBetween(loading + threeMonths, Date.now() + threeMonths, lang).map(
            (time) => `${tr('staff.invite.endsAtLimit', { title: titles.weekly, time })} ${tr('staff.invite.guestOpensEarly')}`,
          ),
        );

      // A guest invitation for today's session: the form says it ends with the session.
      await forSession.check();
      await page.locator('#invite-label').fill(LABELS[lang].guest);
      await expect
        .poll(async () => (await expiry.textContent())?.replace(/\s+/g, ' ').trim())
        .toBe(`${tr('staff.invite.endsWithSession', { title: titles.once, time: formatDateTime(sessionEnd, lang) })} ${tr('staff.invite.guestOpensEarlyOnce')}`);
      expect(await page.locator('#invite-validity').count()).toBe(0);
      await photographEverySize(page, `staff-room-invite-session-${lang}`);
      await page.getByRole('button', { name: tr('staff.invite.create') }).click();
      const ready = page.locator('[data-invitation-ready]');
      await ready.getByRole('heading', { name: tr('staff.invite.readyTitleFor', { label: LABELS[lang].guest }) }).waitFor();
      await ready.getByText(tr('staff.invite.linkLabelFor', { label: LABELS[lang].guest }), { exact: true }).waitFor();
      await ready.getByText(tr('staff.invite.validUntil', { time: formatDateTime(sessionEnd, lang) }), { exact: true }).waitFor();
      const guestLink = (await ready.locator('.link').textContent())?.trim() ?? '';
      expect(guestLink).toMatch(new RegExp(`^${t.url}/j/[A-Za-z0-9_-]{22}$`));
      const guestCode = (await ready.locator('[data-invitation-code]').textContent())?.replace(/\s/g, '');

      // The form is new again: nothing of the session choice or the note carries over.
      await expect.poll(() => anyTime.isChecked()).toBe(true);
      expect(await forSession.isChecked()).toBe(false);
      expect(await page.locator('#invite-label').inputValue()).toBe('');

      // A host invitation for any time, two weeks: tied to no session.
      await page.getByRole('radio', { name: tr('staff.invite.roleHost') }).check();
      await page.locator('#invite-validity').selectOption(String(24 * 14));
      await page.locator('#invite-label').fill(LABELS[lang].host);
      const beforeHost = Date.now();
      await page.getByRole('button', { name: tr('staff.invite.create') }).click();
      await ready.getByRole('heading', { name: tr('staff.invite.readyTitleFor', { label: LABELS[lang].host }) }).waitFor();
      const afterHost = Date.now();
      const listed = (await api.send('GET', `/api/admin/rooms/${roomId}/invitations`)).json.invitations as {
        label: string;
        sessionId: string | null;
        expiresAt: string;
      }[];
      const hostInvitation = listed.find((i) => i.label === LABELS[lang].host);
      expect(hostInvitation?.sessionId).toBeNull();
      const hostEnds = new Date(hostInvitation!.expiresAt).getTime();
      expect(hostEnds).toBeGreaterThanOrEqual(beforeHost + 14 * 24 * 3600_000);
      expect(hostEnds).toBeLessThanOrEqual(afterHost + 14 * 24 * 3600_000);
      await ready.getByText(tr('staff.invite.validUntil', { time: formatDateTime(hostInvitation!.expiresAt, lang) }), { exact: true }).waitFor();
      await ready.getByText(tr('staff.invite.codeHelpHost'), { exact: true }).waitFor();
      expect(await ready.getByText(tr('staff.invite.forSessionBadge', { title: titles.once })).count()).toBe(0);

      // The guest's link and code are still on the page, with their own Copy button.
      const earlier = page.getByRole('region', { name: tr('staff.invite.earlierTitle') });
      const guestPanel = earlier.locator('[data-invitation-earlier]');
      expect(await guestPanel.count()).toBe(1);
      await guestPanel.getByRole('heading', { name: tr('staff.invite.readyTitleFor', { label: LABELS[lang].guest }) }).waitFor();
      expect((await guestPanel.locator('.link').textContent())?.trim()).toBe(guestLink);
      expect((await guestPanel.locator('[data-invitation-code]').textContent())?.replace(/\s/g, '')).toBe(guestCode);
      await guestPanel.getByRole('button', { name: tr('copy.copy') }).waitFor();
      // And the room's list has both, the guest's marked with its session, the host's with none.
      await page.getByRole('heading', { name: tr('staff.invite.allTitle') }).waitFor();
      const item = (label: string) => page.locator('.invitation').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
      await item(LABELS[lang].guest).getByText(tr('staff.invite.forSessionBadge', { title: titles.once })).waitFor();
      await item(LABELS[lang].host).getByText(tr('staff.invite.host'), { exact: true }).waitFor();
      expect(await item(LABELS[lang].host).getByText(tr('staff.invite.forSessionBadge', { title: titles.once })).count()).toBe(0);
      await photographEverySize(page, `staff-room-invite-ready-${lang}`);

      // The room's settings: with children, the chat box is off and cannot be ticked; it comes back without them.
      await page.goto(`${t.url}/staff/rooms/${roomId}/edit`);
      const chatBox = page.getByRole('checkbox', { name: tr('staff.roomForm.chat') });
      await chatBox.waitFor();
      expect(await chatBox.isChecked()).toBe(false);
      expect(await chatBox.isDisabled()).toBe(true);
      await page.getByText(tr('staff.roomForm.chatOffChildren'), { exact: true }).waitFor();
      await photographEverySize(page, `staff-room-edit-children-${lang}`);
      await page.getByRole('checkbox', { name: tr('staff.roomForm.children') }).uncheck();
      await expect.poll(() => chatBox.isDisabled()).toBe(false);
      expect(await chatBox.isChecked()).toBe(true);

      if (lang === 'en') {
        // The plan-a-session link leads to the sessions form with this room named in the address.
        await page.goto(`${t.url}/staff/rooms/${roomId}`);
        await page.getByRole('link', { name: tr('staff.sessions.plan') }).click();
        await page.waitForURL(`${t.url}/staff/sessions/new?room=${roomId}`);
        await page.getByRole('heading', { level: 1, name: tr('staff.sessions.newTitle') }).waitFor();
      }
      expect(realProblems(opened)).toEqual([]);
    }, 180_000);
  }
});
