import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inboundTotals,
  joinAsStaffHost,
  launchChromium,
  msFromLastClickToFirstRemoteFrame,
  openPage,
  selfVideoReady,
  type TestPage,
} from '../support/browser.ts';
import { lookInEveryLanguageAndSize } from '../support/everyScreen.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';

// Two people meet in real Chromium through the real server: a room is created through the UI,
// both join by its link, each receives the other's video and sound, leaving removes the tile,
// and once both are gone the media server holds nothing.

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

async function newPage(): Promise<TestPage> {
  const opened = await openPage(browser, { locale: 'en-US' });
  pages.push(opened);
  return opened;
}

/** The peer id this tab holds in the room, from the app's own resume record in sessionStorage. */
async function ownPeerId(page: Page, roomId: string): Promise<string | null> {
  return page.evaluate(`(() => {
    const raw = sessionStorage.getItem(${JSON.stringify(`tupa.resume.${roomId}`)});
    return raw ? JSON.parse(raw).peerId : null;
  })()`);
}

/** Fills in the name and waits until the self view shows the fake camera. */
async function prepareToJoin(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await selfVideoReady(page);
}

describe('a two-person call in Chromium', () => {
  it('lets two people create a room, join, see and hear each other, and leave without leftovers', async () => {
    const alice = await newPage();
    const bob = await newPage();

    // Alice creates a room on the start page; Bob opens the start page too.
    await Promise.all([alice.page.goto(`${t.url}/`), bob.page.goto(`${t.url}/`)]);
    await alice.page.getByRole('button', { name: 'Create a room' }).click();
    const goToRoom = alice.page.getByRole('link', { name: 'Go to the room' });
    const path = await goToRoom.getAttribute('href');
    expect(path).toMatch(/^\/r\/[A-Za-z0-9_-]{22}$/);
    const roomId = path!.slice('/r/'.length);
    // The link shown for sharing is the same room, in full.
    await expect
      .poll(() => alice.page.getByText(`${t.url}${path}`, { exact: true }).count())
      .toBe(1);

    await goToRoom.click();
    await bob.page.goto(`${t.url}${path}`);
    await Promise.all([prepareToJoin(alice.page, 'Alice'), prepareToJoin(bob.page, 'Bob')]);

    // Both click Join at the same moment; each page measures its own click → first remote frame.
    await Promise.all(
      [alice, bob].map((p) => p.page.getByRole('button', { name: 'Join', exact: true }).click()),
    );
    const [aliceFirstFrameMs, bobFirstFrameMs] = await Promise.all([
      msFromLastClickToFirstRemoteFrame(alice.page, 20_000),
      msFromLastClickToFirstRemoteFrame(bob.page, 20_000),
    ]);
    console.log(
      `click Join → first decoded remote video frame: Alice ${aliceFirstFrameMs?.toFixed(0)} ms, Bob ${bobFirstFrameMs?.toFixed(0)} ms`,
    );
    expect(aliceFirstFrameMs).not.toBeNull();
    expect(bobFirstFrameMs).not.toBeNull();

    // Each page shows exactly one remote tile, for the other person, with their video in it.
    const [alicePeerId, bobPeerId] = await Promise.all([ownPeerId(alice.page, roomId), ownPeerId(bob.page, roomId)]);
    expect(alicePeerId).toBeTruthy();
    expect(bobPeerId).toBeTruthy();
    expect(alicePeerId).not.toBe(bobPeerId);
    for (const [viewer, other, otherName] of [
      [alice, bobPeerId, 'Bob'],
      [bob, alicePeerId, 'Alice'],
    ] as const) {
      const remoteTiles = viewer.page.locator('[data-peer-id]');
      await expect.poll(() => remoteTiles.count()).toBe(1);
      expect(await remoteTiles.getAttribute('data-peer-id')).toBe(other);
      await expect.poll(() => remoteTiles.locator('video').isVisible()).toBe(true);
      expect(await remoteTiles.textContent()).toContain(otherName);
      expect(await viewer.page.locator('[data-self]').count()).toBe(1);
    }

    // Video keeps being decoded and sound keeps arriving, in both directions.
    for (const viewer of [alice, bob]) {
      const videoBefore = await inboundTotals(viewer.page, 'video');
      const audioBefore = await inboundTotals(viewer.page, 'audio');
      expect(videoBefore.streams).toBe(1);
      expect(audioBefore.streams).toBe(1);
      await expect
        .poll(async () => (await inboundTotals(viewer.page, 'video')).framesDecoded, { timeout: 10_000 })
        .toBeGreaterThan(videoBefore.framesDecoded + 10);
      await expect
        .poll(async () => (await inboundTotals(viewer.page, 'audio')).packetsReceived, { timeout: 10_000 })
        .toBeGreaterThan(audioBefore.packetsReceived + 10);
    }

    // Bob leaves: he sees the goodbye screen, his tile goes from Alice's page, and the server
    // keeps only Alice's two producers and her two transports.
    await bob.page.getByRole('button', { name: 'Leave' }).click();
    await bob.page.getByRole('heading', { name: 'You left the call' }).waitFor();
    await bob.page.getByRole('button', { name: 'Join again' }).waitFor();
    await expect.poll(() => alice.page.locator('[data-peer-id]').count(), { timeout: 5_000 }).toBe(0);
    await expect
      .poll(() => t.server.mediaCounts(), { timeout: 5_000 })
      .toEqual({ routers: 1, transports: 2, producers: 2, consumers: 0 });

    // Both pages close: nothing is left in the media server.
    await Promise.all([alice.context.close(), bob.context.close()]);
    const zero = { routers: 0, transports: 0, producers: 0, consumers: 0 };
    const emptied = await eventually(() => JSON.stringify(t.server.mediaCounts()) === JSON.stringify(zero), 8_000);
    expect(t.server.mediaCounts()).toEqual(zero);
    expect(emptied).toBe(true);

    expect([...alice.problems, ...bob.problems]).toEqual([]);
  });

  it('offers a staff host who ended the meeting for everyone the way back to the staff pages, and says so once', async () => {
    const staff = await firstCoordinator(t.url);
    const roomId = await createRoom(staff, { name: 'Perhekahvila', lobbyEnabled: false });
    const token = await createInvitation(staff, roomId);
    const host = await newPage();
    const guest = await newPage();
    const hostLog: string[] = [];
    host.page.on('console', (message) => hostLog.push(`${message.type()}: ${message.text()}`));

    await joinAsStaffHost(host, t.url, roomId, staff.cookie, 'Kaisa');
    await guest.page.goto(`${t.url}/j/${token}`);
    await prepareToJoin(guest.page, 'Bob');
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await expect.poll(() => host.page.locator('[data-peer-id]').count(), { timeout: 15_000 }).toBe(1);

    await host.page.getByRole('button', { name: 'Host tools' }).click();
    await host.page.getByRole('button', { name: 'End the meeting for everyone' }).click();
    await host.page.getByRole('button', { name: 'Yes, end the meeting' }).click();
    await host.page.getByRole('heading', { level: 1, name: 'You ended the meeting for everyone.' }).waitFor({ timeout: 10_000 });
    await guest.page.getByRole('heading', { level: 1, name: 'The host ended the meeting for everyone. Thank you for taking part.' }).waitFor();
    // The guest's goodbye has no way into the staff pages; the host's has, besides the start page.
    expect(await guest.page.getByRole('link', { name: 'Back to the staff pages' }).count()).toBe(0);
    await host.page.getByRole('link', { name: 'Go to the start page' }).waitFor();
    await lookInEveryLanguageAndSize(host.page, 'ended-by-staff-host');

    // The ending is told once, as what happened, never as a failed request.
    expect(hostLog.filter((line) => /endSession|host action failed/.test(line))).toEqual([]);
    expect(hostLog.filter((line) => line.includes('the meeting was ended for everyone'))).toEqual([
      expect.stringMatching(/^info: /),
    ]);

    await host.page.getByRole('link', { name: 'Back to the staff pages' }).click();
    await host.page.getByRole('heading', { level: 1, name: 'Hello, Kaisa' }).waitFor();
    expect([...host.problems, ...guest.problems]).toEqual([]);
  });
});
