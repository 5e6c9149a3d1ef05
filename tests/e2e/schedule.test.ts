import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { launchChromium, openPage, type TestPage } from '../support/browser.ts';
import { HttpSession } from '../support/httpClient.ts';
import { saveScreen } from '../support/screens.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { COORDINATOR, createRoom, firstCoordinator } from '../support/staffAccounts.ts';

// A coordinator whose laptop is set to Los Angeles time plans a weekly Thursday 18.00 session on
// the organisation's clock (Helsinki, the default) across the spring change of the clocks; the
// console, the server and a grandparent's invitation page all keep it at 18.00 Helsinki time.

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

/** A page whose own clock is in `timezoneId` (Los Angeles unless told), signed in as the coordinator of `server`. */
async function laptopIn(timezoneId = 'America/Los_Angeles', server: TestServer = t): Promise<TestPage> {
  const opened = await openPage(browser, { locale: 'en-US', timezoneId });
  pages.push(opened);
  const [name, ...value] = (await new HttpSession(server.url).signIn(COORDINATOR.email, COORDINATOR.password)).cookie.split('=');
  await opened.context.addCookies([
    { name: 'tupa-lang', value: 'en', url: server.url },
    { name: name!, value: value.join('='), url: server.url },
  ]);
  return opened;
}

/** The date (YYYY-MM-DD) three days from now on the clock of `timeZone`. */
function inThreeDays(timeZone: string): string {
  const day = new Date(Date.now() + 3 * 24 * 3600_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(day);
}

/** The next whole half hour on Helsinki's clock at `at`, as a datetime-local field holds it. */
function nextHalfHourInHelsinki(at: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Helsinki',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), Math.floor(get('minute') / 30) * 30 + 30));
  return wall.toISOString().slice(0, 16);
}

describe('planning on the organisation\'s clock in Chromium', () => {
  it('plans a weekly Thursday 18.00 from a laptop in another zone, and it stays 18.00 after the clocks change', async () => {
    const roomId = await createRoom(staff, { name: 'Torstain satutunti', kind: 'storytime' });
    await createRoom(staff, { name: 'Another room' });
    const { page } = await laptopIn();
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/Los_Angeles');

    // The room page's "plan a session" link chooses the room; the start offered is the next half
    // hour on Helsinki's clock, not on the laptop's.
    const before = Date.now();
    await page.goto(`${t.url}/staff/sessions/new?room=${roomId}`);
    await page.getByRole('heading', { level: 1, name: 'Plan a session' }).waitFor();
    const after = Date.now();
    expect(await page.getByLabel('Room').inputValue()).toBe(roomId);
    expect([nextHalfHourInHelsinki(before), nextHalfHourInHelsinki(after)]).toContain(await page.getByLabel('Starts').inputValue());
    await page.getByText('Date and time in Finnish time.').waitFor();

    await page.getByLabel('Title').fill('Thursday stories');
    await page.getByLabel('Starts').fill('2027-03-04T18:00');
    await page.getByLabel('Length in minutes').fill('45');
    await page.getByRole('radio', { name: 'Every week' }).check();
    await page.getByLabel(/Last week/).fill('2027-04-15');
    const summary = page.getByTestId('session-summary');
    await expect
      .poll(() => summary.textContent())
      .toBe('Every week (Thursday) 18:00–18:45. First meeting: Thursday, 4 March 2027. Repeats until 15 April 2027.');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await saveScreen(page, 'schedule-new-session-other-zone');

    // A last week before the first meeting is refused at the field, before anything is sent.
    await page.getByLabel(/Last week/).fill('2027-03-01');
    await page.getByRole('button', { name: 'Save the session' }).click();
    await page.getByText('The last week cannot be before the first meeting.').waitFor();
    expect(await page.getByLabel(/Last week/).getAttribute('aria-invalid')).toBe('true');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await page.getByLabel(/Last week/).fill('2027-04-15');

    await page.getByRole('button', { name: 'Save the session' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sessions' }).waitFor();

    // Seven Thursdays at 18.00 Helsinki time: UTC+2 in March, UTC+3 after the 28th.
    const listed = await staff.send('GET', '/api/admin/sessions?from=2027-03-01T00:00:00Z&days=60');
    const starts = (listed.json.occurrences as { title: string; startsAt: string }[])
      .filter((o) => o.title === 'Thursday stories')
      .map((o) => o.startsAt);
    expect(starts).toEqual([
      '2027-03-04T16:00:00.000Z',
      '2027-03-11T16:00:00.000Z',
      '2027-03-18T16:00:00.000Z',
      '2027-03-25T16:00:00.000Z',
      '2027-04-01T15:00:00.000Z',
      '2027-04-08T15:00:00.000Z',
      '2027-04-15T15:00:00.000Z',
    ]);
  });

  it('lists a session and tells a guest its time on Helsinki\'s clock, on screens set to Los Angeles time', async () => {
    const roomId = await createRoom(staff, { name: 'Perjantain perhekahvila', kind: 'peer-group', lobbyEnabled: false });
    // A session three days from now at 18.00 Helsinki time, weekly.
    const created = await staff.send('POST', '/api/admin/sessions', {
      roomId,
      title: 'Family café',
      startsAt: `${inThreeDays('Europe/Helsinki')}T18:00`,
      durationMinutes: 60,
      recurrence: 'weekly',
    });
    expect(created.status).toBe(201);
    const { page } = await laptopIn();
    await page.goto(`${t.url}/staff/sessions`);
    const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Family café' }) });
    await expect.poll(() => item.first().textContent()).toContain('18:00–19:00');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await saveScreen(page, 'schedule-sessions-other-zone');

    const invited = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', sessionId: created.json.session.id });
    expect(invited.status).toBe(201);
    const guest = await openPage(browser, { locale: 'en-US', timezoneId: 'America/Los_Angeles' });
    pages.push(guest);
    await guest.page.goto(`${t.url}/j/${invited.json.token as string}`);
    const notice = guest.page.getByTestId('session-not-started');
    await expect.poll(() => notice.textContent()).toContain('starts at 18:00 on');
    // 18.00 in Helsinki is 08.00 in Los Angeles (07.00 or 09.00 in the weeks when only one of
    // them has changed its clocks); a grandparent there is told so too.
    const laTime = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'America/Los_Angeles' }).format(
      new Date(created.json.session.startsAt as string),
    );
    expect(await guest.page.getByTestId('session-on-device-clock').textContent()).toMatch(
      new RegExp(`^On your own device's clock that is ${laTime} on \\w+ \\d+ \\w+\\.$`),
    );
    expect(await seriousAccessibilityProblems(guest.page)).toEqual([]);
    await saveScreen(guest.page, 'schedule-not-started-other-zone');
  });

  it('in an organisation on New York time, the pages say New York times, also on a laptop in Helsinki', async () => {
    const newYork = await startTestServer({ env: { TUPA_TIME_ZONE: 'America/New_York' } });
    try {
      const coordinator = await firstCoordinator(newYork.url);
      const roomId = await createRoom(coordinator, { name: 'Family evening', kind: 'peer-group', lobbyEnabled: false });
      const created = await coordinator.send('POST', '/api/admin/sessions', {
        roomId,
        title: 'Parents together',
        startsAt: `${inThreeDays('America/New_York')}T18:00`,
        durationMinutes: 60,
        recurrence: 'weekly',
      });
      expect(created.status).toBe(201);
      expect(new Date(created.json.session.startsAt as string).getUTCHours()).toBeOneOf([22, 23]); // 18.00 EDT or EST

      const { page } = await laptopIn('Europe/Helsinki', newYork);
      await page.goto(`${newYork.url}/staff/sessions`);
      const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Parents together' }) });
      await expect.poll(() => item.first().textContent()).toContain('18:00–19:00');
      await page.goto(`${newYork.url}/staff/sessions/new`);
      await page.getByText('Date and time on the organisation’s clock: Eastern Time (New York).').waitFor();
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await saveScreen(page, 'schedule-new-session-new-york');

      const invited = await coordinator.send('POST', `/api/admin/rooms/${roomId}/invitations`, {
        role: 'guest',
        sessionId: created.json.session.id,
      });
      const guest = await openPage(browser, { locale: 'en-US', timezoneId: 'Europe/Helsinki' });
      pages.push(guest);
      await guest.page.goto(`${newYork.url}/j/${invited.json.token as string}`);
      await expect.poll(() => guest.page.getByTestId('session-not-started').textContent()).toContain('starts at 18:00 on');
      // New York's 18.00 is 01.00 the next morning in Helsinki (00.00 or 02.00 when only one has changed its clocks).
      expect(await guest.page.getByTestId('session-on-device-clock').textContent()).toMatch(/that is 0[0-2]:00 on /);
    } finally {
      await newYork.stop();
    }
  });
});
