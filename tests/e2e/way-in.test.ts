import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues, type Language, type MessageKey } from '../../web/src/lib/i18n/languages.ts';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { launchChromium, openPage, selfVideoReady, type TestPage } from '../support/browser.ts';
import type { HttpSession } from '../support/httpClient.ts';
import { saveScreen } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createRoom, firstCoordinator } from '../support/staffAccounts.ts';

// The way in, in real Chromium, on a Tupa with its default settings: a fresh install whose
// staff sign-in leads to the one-time setup, a start page that leads with the invitation code
// (open rooms are off), and a visit by code at its own address, which shows the session's time
// and language as a link does and which a reload does not lose. Every screen that changed is
// checked with axe and photographed in Finnish, Swedish and English, on a phone held upright and
// sideways and on a laptop.

const SIZES = [
  { width: 390, height: 844 },
  { width: 844, height: 390 },
  { width: 1280, height: 800 },
] as const;

const LANGUAGE_BUTTONS = [
  ['fi', 'Suomi'],
  ['sv', 'Svenska'],
  ['en', 'English'],
] as const;

/** The settings Tupa starts with: open rooms off and, until the first test sets it up, no account. */
let fresh: TestServer;
/** A Tupa whose organisation has turned open rooms on. */
let withOpenRooms: TestServer;
let browser: Browser;
let staff: HttpSession;
const opened: TestPage[] = [];

beforeAll(async () => {
  [fresh, withOpenRooms, browser] = await Promise.all([
    // '' is "not set": the default. A reload in a call must find the place still kept.
    startTestServer({ env: { TUPA_OPEN_ROOMS: '', RECONNECT_GRACE_SECONDS: '30' } }),
    startTestServer(),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([fresh?.stop(), withOpenRooms?.stop()]);
});

const text = (lang: Language, key: MessageKey): string => catalogues[lang][key];

async function visit(locale = 'en-US'): Promise<TestPage> {
  const page = await openPage(browser, { locale, viewport: SIZES[0] });
  opened.push(page);
  return page;
}

/** Waits until the page has laid itself out after a change (two frames), without a fixed sleep. */
async function laidOut(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/**
 * Looks at the screen in every language and size: axe finds nothing serious or critical, nothing
 * spills sideways, and a photograph is saved. `ready` waits for the screen in that language.
 * Ends in English on the upright phone.
 */
async function checkEverywhere(page: Page, name: string, ready: (lang: Language) => Promise<void>): Promise<void> {
  for (const [lang, button] of LANGUAGE_BUTTONS) {
    await page.getByRole('button', { name: button, exact: true }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe(lang);
    await ready(lang);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await laidOut(page);
      const where = `${name}, ${lang}, ${size.width}x${size.height}`;
      expect(await seriousAccessibilityProblems(page), where).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'), where).toBeLessThanOrEqual(0);
      await saveScreen(page, `way-in-${name}-${lang}-${size.width}x${size.height}`);
    }
  }
  await page.setViewportSize(SIZES[0]);
}

/** A guest invitation into `roomId` (for `sessionId` if given); returns its typed code. */
async function inviteByCode(roomId: string, sessionId?: string): Promise<{ code: string; invitationId: string }> {
  const created = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, {
    role: 'guest',
    validHours: 24,
    ...(sessionId ? { sessionId } : {}),
  });
  expect(created.status).toBe(201);
  return { code: created.json.code as string, invitationId: created.json.invitation.id as string };
}

/** A session in `roomId` starting `minutesAhead` from now (whole minutes). */
async function session(roomId: string, minutesAhead: number): Promise<{ sessionId: string; startsAt: Date }> {
  const startsAt = new Date(Date.now() + minutesAhead * 60_000);
  startsAt.setUTCSeconds(0, 0);
  const created = await staff.send('POST', '/api/admin/sessions', {
    roomId,
    title: 'Satutunti',
    startsAt: startsAt.toISOString(),
    durationMinutes: 60,
  });
  expect(created.status).toBe(201);
  return { sessionId: created.json.session.id as string, startsAt };
}

/** Types a code on the page's code field and presses Continue (English). */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Invitation code' }).fill(code);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
}

/** Every address the tab has been at; the typed code must be in none of them. */
function addressesOf(page: Page): string[] {
  const seen = [page.url()];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(frame.url());
  });
  return seen;
}

function expectCodeNowhere(addresses: string[], code: string): void {
  const forms = [code, code.replace('-', ''), code.toLowerCase(), code.toLowerCase().replace('-', '')];
  expect(addresses.filter((address) => forms.some((form) => address.includes(form)))).toEqual([]);
}

describe('the way in, with the default settings', () => {
  it('leads staff sign-in to the one-time setup on a fresh install, and to sign-in once it is done', async () => {
    const { page } = await visit();
    await page.goto(`${fresh.url}/staff/login`);
    await page.getByRole('heading', { level: 1, name: text('en', 'staff.setup.title') }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/setup');

    // The start page's quiet link leads there too.
    await page.goto(`${fresh.url}/`);
    await page.getByRole('link', { name: text('en', 'staff.footerLink') }).click();
    await page.getByRole('heading', { level: 1, name: text('en', 'staff.setup.title') }).waitFor();
    await checkEverywhere(page, 'setup', async (lang) => {
      await page.getByText(text(lang, 'staff.setup.intro')).waitFor();
    });

    staff = await firstCoordinator(fresh.url);
    await page.goto(`${fresh.url}/staff/login`);
    await page.getByRole('heading', { level: 1, name: text('en', 'staff.login.title') }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/login');
  }, 240_000);

  it('leads the start page with the invitation code and offers no room to create', async () => {
    // Already in the server-rendered page: no "Create a room" flashing by.
    const html = await (await fetch(`${fresh.url}/`, { headers: { 'accept-language': 'en' } })).text();
    expect(html).toContain(text('en', 'home.introInvited'));
    expect(html).not.toContain(text('en', 'home.create'));

    const { page } = await visit();
    await page.goto(`${fresh.url}/`);
    const field = page.getByRole('textbox', { name: text('en', 'code.label') });
    await field.waitFor();
    expect(await page.getByRole('button', { name: text('en', 'home.create') }).count()).toBe(0);
    // The field is the page's first control after the header, and large.
    expect((await field.boundingBox())!.height).toBeGreaterThanOrEqual(70);
    expect((await page.getByRole('button', { name: text('en', 'code.submit') }).boundingBox())!.height).toBeGreaterThanOrEqual(56);
    await checkEverywhere(page, 'start', async (lang) => {
      await page.getByText(text(lang, 'home.introInvited')).waitFor();
    });

    // A wrong code is said plainly, and the field keeps the focus for another try.
    await typeCode(page, 'abcde 22222');
    await page.getByText(text('en', 'code.notFound')).waitFor();
    expect(await page.evaluate('document.activeElement?.id')).toBe('invitation-code');
    expect(new URL(page.url()).pathname).toBe('/');
    await checkEverywhere(page, 'start-wrong-code', async (lang) => {
      await page.getByText(text(lang, 'code.notFound')).waitFor();
    });
  }, 240_000);

  it('still offers creating a room first where the organisation has turned open rooms on', async () => {
    const html = await (await fetch(`${withOpenRooms.url}/`, { headers: { 'accept-language': 'en' } })).text();
    expect(html).toContain(text('en', 'home.create'));
    const { page } = await visit();
    await page.goto(`${withOpenRooms.url}/`);
    await page.getByRole('button', { name: text('en', 'home.create') }).waitFor();
    await checkEverywhere(page, 'start-open-rooms', async (lang) => {
      await page.getByRole('button', { name: text(lang, 'home.create') }).waitFor();
    });
  }, 240_000);

  it('gives a visit by code its own address with the session time and language, which reloads keep', async () => {
    const roomId = await createRoom(staff, { name: 'Lördagssagor', language: 'sv', lobbyEnabled: false });
    const { sessionId, startsAt } = await session(roomId, 5);
    const { code } = await inviteByCode(roomId, sessionId);
    const { page } = await visit();
    const addresses = addressesOf(page);

    await page.goto(`${fresh.url}/`);
    await typeCode(page, code.toLowerCase());
    await page.getByRole('heading', { level: 1, name: 'Lördagssagor' }).waitFor();
    expect(page.url()).toBe(`${fresh.url}/j`);
    const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Helsinki' }).format(startsAt);
    const about = page.getByTestId('invitation-about');
    await expect.poll(() => about.textContent()).toContain(`at ${time}`);
    expect(await about.textContent()).toContain('The session is in Swedish');
    await selfVideoReady(page, 15_000);
    await checkEverywhere(page, 'code-prejoin', async (lang) => {
      await page.getByRole('button', { name: text(lang, 'prejoin.join'), exact: true }).waitFor();
    });

    // A reload on the pre-join keeps the visit: no code to type again.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Lördagssagor' }).waitFor();
    await expect.poll(() => about.textContent()).toContain(`at ${time}`);
    expect(await page.getByRole('textbox', { name: 'Invitation code' }).count()).toBe(0);

    // In the call, a reload goes straight back to the same place.
    await page.getByRole('textbox', { name: 'Your name' }).fill('Mormor');
    await selfVideoReady(page, 15_000);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });
    const room = fresh.server.registry.get(roomId)!;
    expect(room.size).toBe(1);
    await page.reload();
    await page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Join', exact: true }).count()).toBe(0);
    expect(room.size).toBe(1);
    expect(page.url()).toBe(`${fresh.url}/j`);
    expectCodeNowhere(addresses, code);
    await page.getByRole('button', { name: 'Leave', exact: true }).click();
    await expect.poll(() => room.size).toBe(0);
  }, 240_000);

  it('keeps a code typed before the start page is ready, and goes on once it is', async () => {
    const roomId = await createRoom(staff, { name: 'Iltasatu', lobbyEnabled: false });
    const { code } = await inviteByCode(roomId);
    const { page } = await visit();
    // A slow connection: the page's code arrives only when the test lets it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${fresh.url}/`, { waitUntil: 'commit' });
    const field = page.getByRole('textbox', { name: 'Invitation code' });
    await field.fill(code);
    await page.evaluate('window.sameDocument = true');
    await field.press('Enter');
    release();
    const button = page.getByRole('button', { name: 'Continue', exact: true });
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    // Enter did not send the form the browser's own way (which reloads the page, empty).
    expect(await page.evaluate('window.sameDocument')).toBe(true);
    expect(await field.inputValue()).toBe(code);
    await button.click();
    await page.getByRole('heading', { level: 1, name: 'Iltasatu' }).waitFor();
    expect(page.url()).toBe(`${fresh.url}/j`);
  });

  it('tells a guest who typed a code too early when the session starts, as a link does, after a reload too', async () => {
    const roomId = await createRoom(staff, { name: 'Torstain satutunti', lobbyEnabled: false });
    const { sessionId, startsAt } = await session(roomId, 120);
    const { code } = await inviteByCode(roomId, sessionId);
    const { page } = await visit();
    const addresses = addressesOf(page);

    await page.goto(`${fresh.url}/`);
    await typeCode(page, code);
    const notice = page.getByTestId('session-not-started');
    await notice.waitFor();
    expect(page.url()).toBe(`${fresh.url}/j`);
    const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Helsinki' }).format(startsAt);
    expect(await notice.textContent()).toContain(`starts at ${time}`);
    expect(await page.getByRole('button', { name: 'Join', exact: true }).count()).toBe(0);
    await checkEverywhere(page, 'code-not-started', async (lang) => {
      await page.getByRole('button', { name: text(lang, 'session.tryAgain') }).waitFor();
    });

    await page.reload();
    await notice.waitFor();
    expect(await notice.textContent()).toContain(`starts at ${time}`);
    // Looking again asks the server again, and stays on the same page.
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Try again' }).getAttribute('aria-busy')).toBe('false');
    await notice.waitFor();
    expectCodeNowhere(addresses, code);
  }, 240_000);

  it('asks for the code at its address when the tab has none, and says so when the code stops working', async () => {
    const roomId = await createRoom(staff, { name: 'Perhekahvila', lobbyEnabled: false });
    const { code, invitationId } = await inviteByCode(roomId);
    const { page } = await visit();

    await page.goto(`${fresh.url}/j`);
    await page.getByRole('heading', { level: 1, name: text('en', 'code.title') }).waitFor();
    await checkEverywhere(page, 'code-page', async (lang) => {
      await page.getByRole('heading', { level: 1, name: text(lang, 'code.title') }).waitFor();
    });

    // Typed here, the code leads on in place, at the same address.
    await typeCode(page, code);
    await page.getByRole('heading', { level: 1, name: 'Perhekahvila' }).waitFor();
    expect(page.url()).toBe(`${fresh.url}/j`);

    // The coordinator cancels the invitation; after a reload the page says the code does not
    // work any more, with the code still in the field to check.
    const revoked = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations/${invitationId}/revoke`, {});
    expect(revoked.status).toBeLessThan(300);
    await page.reload();
    await page.getByText(text('en', 'code.noLongerWorks')).waitFor();
    expect(await page.getByRole('textbox', { name: 'Invitation code' }).inputValue()).toBe(code);
    await checkEverywhere(page, 'code-gone', async (lang) => {
      await page.getByText(text(lang, 'code.noLongerWorks')).waitFor();
    });
    // A code typed now that is wrong is just "not found".
    await typeCode(page, 'abcde 33333');
    await page.getByText(text('en', 'code.notFound')).waitFor();
  }, 240_000);

  it('leaves no error in any page\'s console but the refusals the tests asked for', () => {
    // Wrong and cancelled codes answer 404, and the sign-in page's "who am I" 401, on purpose;
    // the browser logs each as an error.
    const problems = opened
      .flatMap((o) => o.problems)
      .filter((p) => !p.includes('favicon') && !p.includes('status of 404') && !p.includes('status of 401'));
    expect(problems).toEqual([]);
  });
});
