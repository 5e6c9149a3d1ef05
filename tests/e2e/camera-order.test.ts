import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, selfVideoReady, type TestPage } from '../support/browser.ts';
import { HttpSession } from '../support/httpClient.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

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

async function selfState(page: Page): Promise<unknown> {
  return page.evaluate(`(() => {
    const video = document.querySelector('[data-self] video');
    const track = video?.srcObject?.getVideoTracks?.()[0];
    return {
      hasVideo: !!video, readyState: video?.readyState ?? null, videoWidth: video?.videoWidth ?? null,
      track: track ? { readyState: track.readyState, muted: track.muted, enabled: track.enabled, settings: track.getSettings() } : null,
      status: [...document.querySelectorAll('[role=status], [role=alert]')].map((e) => e.textContent.trim()),
    };
  })()`);
}

async function probe(page: Page, constraints: unknown): Promise<unknown> {
  return page.evaluate(`(async () => {
    try {
      const s = await navigator.mediaDevices.getUserMedia(${JSON.stringify(constraints)});
      const tr = s.getVideoTracks()[0];
      const v = document.createElement('video');
      v.muted = true; v.srcObject = s; await v.play().catch(() => {});
      const t0 = performance.now();
      while (v.readyState < 2 && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
      const out = { readyState: v.readyState, w: v.videoWidth, h: v.videoHeight, muted: tr.muted, state: tr.readyState, settings: tr.getSettings() };
      s.getTracks().forEach((x) => x.stop());
      return out;
    } catch (e) { return { error: e.name + ': ' + e.message }; }
  })()`);
}


async function prepare(simple: boolean) {
  const staff = new HttpSession(t.url);
  const setup = await staff.send('POST', '/api/auth/setup', { email: 'kaisa@example.org', displayName: 'Kaisa', password: 'coordinator passphrase' });
  if (setup.status !== 201 && setup.status !== 409 && setup.status !== 403) throw new Error(`setup ${setup.status}`);
  await staff.signIn('kaisa@example.org', 'coordinator passphrase');
  const created = await staff.send('POST', '/api/admin/rooms', {
    name: 'Satutupa', description: '', kind: 'peer-group', language: 'fi', capacity: 6, groundRules: '',
    lobbyEnabled: true, childrenPresent: false, chatEnabled: false,
  });
  expect(created.status).toBe(201);
  const roomId = created.json.room.id as string;
  const invited = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', simple, label: 'Aino', validHours: 24 });
  expect(invited.status).toBe(201);
  return { staff, roomId, token: invited.json.token as string };
}

async function variant(label: string, opts: { simple?: boolean; waitGuest?: boolean; guestJoins?: boolean; reload?: boolean; viaConsole?: boolean }) {
  const { staff, roomId, token } = await prepare(opts.simple ?? false);
  const guest = await openPage(browser, { locale: 'en-US' });
  const host = await openPage(browser, { locale: 'en-US' });
  pages.push(guest, host);
  const [name, ...value] = staff.cookie.split('=');
  await host.context.addCookies([{ name: name!, value: value.join('='), url: t.url }]);
  await guest.page.goto(`${t.url}/j/${token}`);
  if (opts.waitGuest !== false) {
    await selfVideoReady(guest.page);
    if (opts.guestJoins) {
      await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Aino');
      await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
      await guest.page.getByText('The host will let you in soon').waitFor({ timeout: 15_000 });
    }
  }
  if (opts.viaConsole) {
    await host.page.goto(`${t.url}/staff/rooms/${roomId}`);
    await host.page.getByRole('link', { name: 'Open the room' }).click();
    await host.page.waitForURL(`${t.url}/r/${roomId}`);
  } else {
    await host.page.goto(`${t.url}/r/${roomId}`);
  }
  let ok = true;
  try { await selfVideoReady(host.page, 15_000); } catch { ok = false; }
  let afterReload: boolean | null = null;
  if (opts.reload) {
    await host.page.reload();
    afterReload = true;
    try { await selfVideoReady(host.page, 15_000); } catch { afterReload = false; }
  }
  let guestOk = true;
  try { await selfVideoReady(guest.page, 15_000); } catch { guestOk = false; }
  console.log(label, 'host', ok, 'afterReload', afterReload, 'guest', guestOk, JSON.stringify(await selfState(host.page)));
  if (!ok) {
    console.log(label, 'plain', JSON.stringify(await probe(host.page, { video: true })));
    console.log(label, 'app', JSON.stringify(await probe(host.page, { audio: true, video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30, max: 30 } } })));
  }
  console.log(label, 'problems', JSON.stringify([...host.problems, ...guest.problems]));
  await guest.context.close();
  await host.context.close();
  return ok;
}


/** A page of the same origin that holds the camera itself, shown in a playing video or not shown at all. */
async function holdCamera(opened: TestPage, shown: boolean): Promise<unknown> {
  await opened.page.goto(`${t.url}/staff/login`);
  return opened.page.evaluate(`(async () => {
    const s = await navigator.mediaDevices.getUserMedia({ video: true });
    window.__held = s;
    if (${shown}) {
      const v = document.createElement('video'); v.muted = true; v.autoplay = true; v.srcObject = s; document.body.append(v); window.__v = v;
      await v.play().catch(() => {});
    }
    return s.getVideoTracks()[0].getSettings().width;
  })()`);
}

async function hostOpens(roomId: string, cookie: string): Promise<TestPage> {
  const host = await openPage(browser, { locale: 'en-US' });
  pages.push(host);
  const [name, ...value] = cookie.split('=');
  await host.context.addCookies([{ name: name!, value: value.join('='), url: t.url }]);
  await host.page.goto(`${t.url}/r/${roomId}`);
  return host;
}

async function ready(page: Page, ms = 8000): Promise<boolean> {
  try { await selfVideoReady(page, ms); return true; } catch { return false; }
}

describe('camera order', () => {
  it('experiments', async () => {
    const { staff, roomId, token } = await prepare(false);
    const out: Record<string, unknown> = {};

    // E2: another context holds the camera and shows it.
    {
      const holder = await openPage(browser); pages.push(holder);
      await holdCamera(holder, true);
      const host = await hostOpens(roomId, staff.cookie);
      out.shownHolder = await ready(host.page);
      await holder.context.close(); await host.context.close();
    }
    // E1: another context holds the camera and shows it nowhere.
    {
      const holder = await openPage(browser); pages.push(holder);
      await holdCamera(holder, false);
      const host = await hostOpens(roomId, staff.cookie);
      out.sinklessHolder = await ready(host.page);
      out.sinklessHolderHostState = await selfState(host.page);
      // The holder starts showing its picture: does the host's start too?
      await holder.page.evaluate(`(async () => { const v = document.createElement('video'); v.muted = true; v.srcObject = window.__held; document.body.append(v); await v.play().catch(() => {}); })()`);
      out.sinklessHolderThenShown = await ready(host.page);
      await holder.context.close(); await host.context.close();
    }
    // E1b: sinkless holder, then it closes its track.
    {
      const holder = await openPage(browser); pages.push(holder);
      await holdCamera(holder, false);
      const host = await hostOpens(roomId, staff.cookie);
      out.sinklessHolder2 = await ready(host.page);
      await holder.page.evaluate(`window.__held.getTracks().forEach((tr) => tr.stop())`);
      out.sinklessHolderStopped = await ready(host.page);
      await holder.context.close(); await host.context.close();
    }
    // E3: the app's guest in the waiting room (camera open, no picture shown), then admitted.
    {
      const guest = await openPage(browser); pages.push(guest);
      await guest.page.goto(`${t.url}/j/${token}`);
      await selfVideoReady(guest.page);
      await guest.page.getByRole('textbox', { name: 'Your name' }).fill('Aino');
      await guest.page.getByRole('button', { name: 'Join', exact: true }).click();
      await guest.page.getByText('The host will let you in soon').waitFor({ timeout: 15_000 });
      out.guestTrackInLobby = await guest.page.evaluate(`(() => { return 'n/a'; })()`);
      const host = await hostOpens(roomId, staff.cookie);
      out.lobbyGuest = await ready(host.page);
      await host.page.reload();
      out.lobbyGuestAfterReload = await ready(host.page);
      await guest.context.close();
      out.lobbyGuestClosed = await ready(host.page);
      await host.context.close();
    }
    console.log('RESULTS', JSON.stringify(out, null, 1));
  }, 200_000);
});
