import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  inboundTotals,
  joinAsStaffHost,
  launchChromium,
  msUntilTileDecodes,
  openPage,
  ownPeerId,
  selfVideoReady,
  tileHistory,
  watchTiles,
  type TestPage,
} from '../support/browser.ts';
import { seriousAccessibilityProblems } from '../support/axe.ts';
import { causedByTheCut, createIsolatedLink, type IsolatedLink } from '../support/netns.ts';
import { saveScreen } from '../support/screens.ts';
import type { HttpSession } from '../support/httpClient.ts';
import { createInvitation, createRoom, firstCoordinator } from '../support/staffAccounts.ts';
import { eventually, startTestServer, type TestServer } from '../support/server.ts';

// A grandparent let in from a storytime room's lobby, on a phone whose connection drops: she
// must come back as the same participant, with video, without being sent to the lobby again
// and without the host doing anything, and after reloading the page too. She runs in a Chromium
// inside a network namespace of its own (see netns.ts), so the test can drop her WebSocket alone
// (as a Wi-Fi to mobile switch does) and then cut her whole network for 6 s. The heartbeat is
// shortened to 2 s + 2 s as in the quality test; places are kept for the production 20 s.

let link: IsolatedLink;
let t: TestServer;
let hostBrowser: Browser;
let guestBrowser: Browser;
let roomId: string;
let host: TestPage;
let guest: TestPage;
let guestId: string;
/** The key under which the guest's tab keeps its place: an invitation's page keys it by the token. */
let guestKey: string;
let staff: HttpSession;
let hostId: string;

/** Drops the WebSocket under the guest's Socket.IO connection (the server side of it). */
function dropGuestWebSocket(): number {
  let dropped = 0;
  for (const socket of t.server.signaling.io.sockets.sockets.values()) {
    if (socket.handshake.address.endsWith(link.nsIp)) {
      socket.conn.close();
      dropped++;
    }
  }
  return dropped;
}

/** One tile for the guest on the host's page, no lobby entry, and the server has her as present. */
async function expectGuestBackInPlace(page: Page): Promise<void> {
  await expect.poll(() => page.locator(`[data-peer-id="${guestId}"]`).count(), { timeout: 15_000 }).toBe(1);
  await expect.poll(() => page.locator(`[data-peer-id="${guestId}"][data-connection]`).count(), { timeout: 15_000 }).toBe(0);
  expect(await page.locator('[data-peer-id]').count()).toBe(1);
  expect(await page.getByText('waiting to come in').count()).toBe(0);
  const room = t.server.registry.get(roomId)!;
  expect(room.peer(guestId)?.away).toBe(false);
  expect(room.size).toBe(2);
}

beforeAll(async () => {
  link = createIsolatedLink();
  t = await startTestServer({
    env: { HOST: link.hostIp, MEDIA_LISTEN_IP: link.hostIp, MEDIA_ANNOUNCED_IP: link.hostIp, RECONNECT_GRACE_SECONDS: '20' },
    signaling: { pingIntervalMs: 2_000, pingTimeoutMs: 2_000 },
  });
  [hostBrowser, guestBrowser] = await Promise.all([
    launchChromium({ secureOrigins: [t.url] }),
    launchChromium({ secureOrigins: [t.url], executablePath: link.chromiumPath }),
  ]);
}, 120_000);

afterAll(async () => {
  await hostBrowser?.close();
  await guestBrowser?.close();
  await t?.stop();
  link?.close();
});

describe('a guest let in from the lobby comes back after drops and a reload (Chromium)', () => {
  it('admits the guest from the lobby of a storytime room', async () => {
    staff = await firstCoordinator(t.url);
    roomId = await createRoom(staff, { name: 'Satutunti', kind: 'storytime', lobbyEnabled: true, capacity: 4 });
    const token = await createInvitation(staff, roomId, { label: 'Mummo', simple: false });

    host = await openPage(hostBrowser, { locale: 'en-US' });
    guest = await openPage(guestBrowser, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    await joinAsStaffHost(host, t.url, roomId, staff.cookie, 'Kaisa');
    hostId = await ownPeerId(host.page, roomId);

    guestKey = `invitation-${token}`;
    await guest.page.goto(`${t.url}/j/${token}`);
    await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Mummo');
    await selfVideoReady(guest.page, 15_000);
    await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
    await guest.page.getByText('The host is here and will let you in soon').waitFor({ timeout: 15_000 });
    await host.page.getByRole('button', { name: 'Host tools' }).click();
    await host.page.getByRole('button', { name: 'Let Mummo in', exact: true }).click();
    await host.page.getByRole('button', { name: 'Close host tools' }).click();

    for (const side of [host.page, guest.page]) {
      await expect.poll(async () => (await inboundTotals(side, 'video')).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
    }
    guestId = await ownPeerId(guest.page, guestKey);
    expect(t.server.registry.get(roomId)?.peer(guestId)?.role).toBe('guest');
    await expectGuestBackInPlace(host.page);
  });

  it('brings her back after her WebSocket drops: same participant, one tile, no lobby', async () => {
    await watchTiles(host.page);
    const before = guestSocketIds();
    const droppedAt = Date.now();
    expect(dropGuestWebSocket()).toBe(1);
    // The picture never stops (the media did not drop): video both ways within 5 s of the drop.
    expect(await msUntilTileDecodes(host.page, guestId, 5_000)).not.toBeNull();
    expect(await msUntilTileDecodes(guest.page, hostId, 5_000)).not.toBeNull();
    // Signaling follows by itself (usually in 1-2 s; the bound allows a busy machine).
    await expect
      .poll(() => t.server.registry.get(roomId)?.peer(guestId)?.away === false && guestSocketIds().some((id) => !before.includes(id)), {
        timeout: 10_000,
      })
      .toBe(true);
    console.log(`WebSocket drop: signaling back after ${Date.now() - droppedAt} ms`);
    expect(await ownPeerId(guest.page, guestKey)).toBe(guestId);
    await expectGuestBackInPlace(host.page);
    expect((await tileHistory(host.page)).maxPerPeer).toBe(1);
    await guest.page.getByRole('button', { name: 'Leave', exact: true }).waitFor();
  });

  it('brings her back with video within 5 s after her whole network was cut for 6 s', async () => {
    await watchTiles(host.page);
    link.cut();
    const cutAt = Date.now();
    await host.page.locator(`[data-peer-id="${guestId}"][data-connection="reconnecting"]`).waitFor({ timeout: 8_000 });
    await guest.page.getByText('The connection was lost. Reconnecting…').waitFor({ timeout: 8_000 });
    await saveScreen(guest.page, 'lobby-guest-reconnecting-en-390', { fullPage: false });
    await new Promise((r) => setTimeout(r, Math.max(0, 6_000 - (Date.now() - cutAt))));
    link.restore();
    const restoredAt = Date.now();

    const back = await Promise.all([msUntilTileDecodes(host.page, guestId, 5_000), msUntilTileDecodes(guest.page, hostId, 5_000)]);
    console.log(`network cut for ${restoredAt - cutAt} ms; video back after ${back.join(', ')} ms`);
    for (const ms of back) expect(ms).not.toBeNull();
    // Signaling follows: her place, not a new one, and never the lobby again.
    await expect.poll(() => guest.page.getByText('The connection was lost. Reconnecting…').count(), { timeout: 15_000 }).toBe(0);
    console.log(`signaling back after ${Date.now() - restoredAt} ms`);
    expect(await ownPeerId(guest.page, guestKey)).toBe(guestId);
    await expectGuestBackInPlace(host.page);
    const history = await tileHistory(host.page);
    expect(history.maxPerPeer).toBe(1);
    expect(history.minTiles).toBe(1);
    expect(await guest.page.getByText('The host is here and will let you in soon').count()).toBe(0);
  });

  it('brings her back after she reloads the page, without waiting for the host again', async () => {
    await watchTiles(host.page);
    await guest.page.reload();
    // Straight back into the call: no pre-join, no lobby, nobody lets her in.
    await guest.page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 20_000 });
    expect(await guest.page.getByText('The host is here and will let you in soon').count()).toBe(0);
    expect(await ownPeerId(guest.page, guestKey)).toBe(guestId);
    expect(await msUntilTileDecodes(guest.page, hostId, 15_000)).not.toBeNull();
    expect(await msUntilTileDecodes(host.page, guestId, 15_000)).not.toBeNull();
    await expectGuestBackInPlace(host.page);
    expect((await tileHistory(host.page)).maxPerPeer).toBe(1);
    await saveScreen(guest.page, 'lobby-guest-after-reload-en-390', { fullPage: false });
  });

  it('tells her in plain words, with one button, when her place is gone', async () => {
    // The host removes nobody; her place goes because the server no longer keeps it (as after a
    // long time away). A reconnection then learns it from the server.
    const room = t.server.registry.get(roomId)!;
    const place = room.peer(guestId)!;
    room.leave(place, 'disconnected');
    expect(dropGuestWebSocket()).toBe(1);
    await guest.page.getByText('your place in the call was not kept').waitFor({ timeout: 15_000 });
    const joinAgain = guest.page.getByRole('button', { name: 'Join again', exact: true });
    await joinAgain.waitFor();
    expect(await seriousAccessibilityProblems(guest.page)).toEqual([]);
    for (const [lang, button] of [['fi', 'Suomi'], ['sv', 'Svenska'], ['en', 'English']] as const) {
      await guest.page.getByRole('button', { name: button, exact: true }).click();
      await expect.poll(() => guest.page.getAttribute('html', 'lang')).toBe(lang);
      for (const viewport of [{ width: 390, height: 844 }, { width: 844, height: 390 }, { width: 1280, height: 800 }]) {
        await guest.page.setViewportSize(viewport);
        await saveScreen(guest.page, `place-gone-${lang}-${viewport.width}x${viewport.height}`, { fullPage: false });
      }
    }
    await joinAgain.click();
    await guest.page.getByRole('button', { name: 'Join', exact: true }).waitFor({ timeout: 15_000 });
  });

  it('keeps a guest who typed a code in her place in the queue through a cut and a reload', async () => {
    const invited = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', validHours: 24, label: 'Pappa' });
    expect(invited.status).toBe(201);
    const byCode = await openPage(guestBrowser, { locale: 'en-US', viewport: { width: 390, height: 844 } });
    await byCode.page.goto(`${t.url}/`);
    await byCode.page.getByRole('textbox', { name: 'Invitation code' }).fill(invited.json.code as string);
    await byCode.page.getByRole('button', { name: 'Continue' }).click();
    await byCode.page.getByRole('textbox', { name: 'Your name' }).fill('Pappa');
    await selfVideoReady(byCode.page, 15_000);
    await byCode.page.getByRole('button', { name: 'Join', exact: true }).click();
    await byCode.page.getByText('The host is here and will let you in soon').waitFor({ timeout: 15_000 });
    const room = t.server.registry.get(roomId)!;
    await expect.poll(() => room.lobbySize, { timeout: 5_000 }).toBe(1);

    // Her network goes for 6 s while she waits: the waiting screen says so, her place is kept.
    link.cut();
    const cutAt = Date.now();
    await byCode.page.getByText('The connection was lost. Reconnecting…').waitFor({ timeout: 10_000 });
    await saveScreen(byCode.page, 'lobby-waiting-offline-en-390', { fullPage: false });
    await new Promise((r) => setTimeout(r, Math.max(0, 6_000 - (Date.now() - cutAt))));
    link.restore();
    await byCode.page.getByText('The host is here and will let you in soon').waitFor({ timeout: 15_000 });
    expect(room.lobbySize).toBe(1);

    await byCode.page.reload();
    // Straight back to the waiting screen, with no code to type and no Join to press.
    await byCode.page.getByText('The host is here and will let you in soon').waitFor({ timeout: 15_000 });
    expect(await byCode.page.getByRole('textbox', { name: 'Invitation code' }).count()).toBe(0);
    // The code's own address, which holds no code.
    expect(new URL(byCode.page.url()).pathname).toBe('/j');
    expect(room.lobbySize).toBe(1);
    await host.page.getByRole('button', { name: 'Host tools' }).click();
    await host.page.getByRole('button', { name: 'Let Pappa in', exact: true }).click();
    await host.page.getByRole('button', { name: 'Close host tools' }).click();
    await byCode.page.getByRole('button', { name: 'Leave', exact: true }).waitFor({ timeout: 15_000 });
    expect(room.lobbySize).toBe(0);
    await byCode.page.getByRole('button', { name: 'Leave', exact: true }).click();
    await byCode.context.close();
  });

  it('leaves no error in either page\'s console', () => {
    for (const [name, p] of [['host', host], ['guest', guest]] as const) {
      expect(p.problems.filter((problem) => !causedByTheCut(problem)), `${name} (failed responses: ${p.failedResponses.join(', ')})`).toEqual([]);
    }
  });
});

/** The server-side ids of the guest's connected Socket.IO sockets. */
function guestSocketIds(): string[] {
  return [...t.server.signaling.io.sockets.sockets.values()]
    .filter((socket) => socket.handshake.address.endsWith(link.nsIp) && socket.connected)
    .map((socket) => socket.id);
}
