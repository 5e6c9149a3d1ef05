import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

// Debian's Chromium driven through playwright-core, with fake camera and microphone. The app has
// no test hooks: what the tests need from inside the page (every RTCPeerConnection, for
// getStats) is recorded by an init script that wraps the browser's own constructor.

export const CHROMIUM_PATH = process.env.TUPA_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

/**
 * Runs before any page script: records every RTCPeerConnection the page creates and the time of
 * the latest click (so a test can measure "click Join → first remote frame" inside the page).
 * Plain JavaScript, because it runs in the browser.
 */
const RECORDER_SCRIPT = `(() => {
  const Native = window.RTCPeerConnection;
  if (!Native || window.__tupaTest) return;
  const recorder = { connections: [], lastClickAt: null };
  Object.defineProperty(window, '__tupaTest', { value: recorder, enumerable: false });
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      recorder.connections.push(this);
    }
  };
  document.addEventListener('click', () => { recorder.lastClickAt = performance.now(); }, true);
})();`;

/** One inbound RTP stream as getStats reports it. */
export interface InboundStream {
  kind: 'audio' | 'video';
  framesDecoded: number;
  packetsReceived: number;
}

export interface TestPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  /** Responses with a 4xx or 5xx status, as `status method path` (which request a console's "Failed to load resource" was). */
  failedResponses: string[];
}

export interface PageOptions {
  /** BCP 47 tag the browser reports (navigator.language, Accept-Language). */
  locale?: string;
  viewport?: { width: number; height: number };
  /** IANA zone the browser's own clock is set to (Intl, Date); the machine's zone when not given. */
  timezoneId?: string;
}

export interface LaunchOptions {
  /** Another executable, e.g. a wrapper that starts Chromium inside a network namespace. */
  executablePath?: string;
  /** Origins to treat as secure (camera access) although they are plain http on a non-loopback address. */
  secureOrigins?: string[];
  /** More Chromium flags, e.g. `--use-file-for-fake-audio-capture=<wav>` for a speaking microphone. */
  extraArgs?: string[];
}

/** Starts Chromium; every page gets its own context (own storage, own fake devices). */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const args = [...CHROMIUM_FLAGS];
  if (options.secureOrigins?.length) args.push(`--unsafely-treat-insecure-origin-as-secure=${options.secureOrigins.join(',')}`);
  if (options.extraArgs) args.push(...options.extraArgs);
  return chromium.launch({ executablePath: options.executablePath ?? CHROMIUM_PATH, headless: true, args });
}

/** A fresh context and page with the recorder installed and problems collected. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  await context.addInitScript(RECORDER_SCRIPT);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  const failedResponses: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) {
      failedResponses.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    }
  });
  return { page, context, problems, failedResponses };
}

/** Every inbound RTP stream carrying someone's media on the page's open peer connections. */
export async function inboundStreams(page: Page): Promise<InboundStream[]> {
  return page.evaluate(`(async () => {
    const streams = [];
    for (const pc of window.__tupaTest?.connections ?? []) {
      if (pc.signalingState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        // mediasoup-client's bandwidth probator is a receiver of its own, not a person's media.
        if (s.type === 'inbound-rtp' && s.mid !== 'probator' && s.trackIdentifier !== 'probator') {
          streams.push({ kind: s.kind, framesDecoded: s.framesDecoded ?? 0, packetsReceived: s.packetsReceived ?? 0 });
        }
      });
    }
    return streams;
  })()`);
}

/** Totals over a page's inbound streams of one kind. */
export async function inboundTotals(page: Page, kind: 'audio' | 'video'): Promise<{ framesDecoded: number; packetsReceived: number; streams: number }> {
  const streams = (await inboundStreams(page)).filter((s) => s.kind === kind);
  return {
    framesDecoded: streams.reduce((sum, s) => sum + s.framesDecoded, 0),
    packetsReceived: streams.reduce((sum, s) => sum + s.packetsReceived, 0),
    streams: streams.length,
  };
}

/** Packets and bytes the page has sent of its own microphone so far, over all its connections. */
export async function outboundAudio(page: Page): Promise<{ packets: number; bytes: number }> {
  return page.evaluate(`(async () => {
    let packets = 0, bytes = 0;
    for (const pc of window.__tupaTest?.connections ?? []) {
      if (pc.signalingState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'audio') { packets += s.packetsSent ?? 0; bytes += s.bytesSent ?? 0; }
      });
    }
    return { packets, bytes };
  })()`);
}

/**
 * Waits inside the page until some inbound video stream has decoded a frame; returns the
 * milliseconds from the page's latest click to that moment, or null on timeout.
 */
export async function msFromLastClickToFirstRemoteFrame(page: Page, timeoutMs: number): Promise<number | null> {
  return page.evaluate(`(async () => {
    const recorder = window.__tupaTest;
    const deadline = performance.now() + ${Number(timeoutMs)};
    while (performance.now() < deadline) {
      for (const pc of recorder.connections) {
        if (pc.signalingState === 'closed') continue;
        const report = await pc.getStats();
        for (const s of report.values()) {
          if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded ?? 0) > 0) {
            return recorder.lastClickAt === null ? null : performance.now() - recorder.lastClickAt;
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return null;
  })()`);
}

/** One simulcast layer of the camera as the sender's outbound-rtp stats show it. */
export interface OutboundLayer {
  rid: string | null;
  frameWidth: number;
  frameHeight: number;
  framesEncoded: number;
  bytesSent: number;
  qualityLimitationReason: string | null;
}

/** The page's outbound video streams (one per simulcast layer), sorted by rid. */
export async function outboundVideoLayers(page: Page): Promise<OutboundLayer[]> {
  return page.evaluate(`(async () => {
    const layers = [];
    for (const pc of window.__tupaTest?.connections ?? []) {
      if (pc.signalingState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type === 'outbound-rtp' && s.kind === 'video') {
          layers.push({
            rid: s.rid ?? null,
            frameWidth: s.frameWidth ?? 0,
            frameHeight: s.frameHeight ?? 0,
            framesEncoded: s.framesEncoded ?? 0,
            bytesSent: s.bytesSent ?? 0,
            qualityLimitationReason: s.qualityLimitationReason ?? null,
          });
        }
      });
    }
    return layers.sort((a, b) => String(a.rid).localeCompare(String(b.rid)));
  })()`);
}

/** What one remote tile's video receives: its track, and that track's inbound-rtp stats. */
export interface TileVideo {
  /** The received track's id (mediasoup-client names it after the consumer). */
  trackId: string;
  framesDecoded: number;
  frameHeight: number;
  packetsReceived: number;
}

/** The inbound video shown in the tile of `peerId`, or null when the tile shows no video. */
export async function tileVideo(page: Page, peerId: string): Promise<TileVideo | null> {
  return page.evaluate(`(async () => {
    const video = document.querySelector('[data-peer-id="' + ${JSON.stringify(peerId)} + '"] video');
    const track = video?.srcObject?.getVideoTracks?.()[0];
    if (!track) return null;
    for (const pc of window.__tupaTest?.connections ?? []) {
      if (pc.signalingState === 'closed') continue;
      const report = await pc.getStats();
      for (const s of report.values()) {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && s.trackIdentifier === track.id) {
          return { trackId: track.id, framesDecoded: s.framesDecoded ?? 0, frameHeight: s.frameHeight ?? 0, packetsReceived: s.packetsReceived ?? 0 };
        }
      }
    }
    return null;
  })()`);
}

/** How many RTCPeerConnections the page has created so far, and how many are still open. */
export async function peerConnections(page: Page): Promise<{ created: number; open: number }> {
  return page.evaluate(`(() => {
    const all = window.__tupaTest?.connections ?? [];
    return { created: all.length, open: all.filter((pc) => pc.signalingState !== 'closed').length };
  })()`);
}

/**
 * Starts recording the remote tiles the page shows, after every DOM change: the most and the
 * fewest tiles at once, the most tiles for one participant at once (a duplicate tile makes it 2),
 * and every participant id ever shown. Read it with tileHistory().
 */
export async function watchTiles(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const initial = document.querySelectorAll('[data-peer-id]').length;
    const history = { maxTiles: initial, minTiles: initial, maxPerPeer: 0, peerIds: [] };
    window.__tupaTiles = history;
    const check = () => {
      const ids = [...document.querySelectorAll('[data-peer-id]')].map((el) => el.getAttribute('data-peer-id'));
      const counts = new Map();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      history.maxTiles = Math.max(history.maxTiles, ids.length);
      history.minTiles = Math.min(history.minTiles, ids.length);
      history.maxPerPeer = Math.max(history.maxPerPeer, ...counts.values(), 0);
      for (const id of ids) if (!history.peerIds.includes(id)) history.peerIds.push(id);
    };
    check();
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-peer-id'] });
  })()`);
}

export interface TileHistory {
  maxTiles: number;
  minTiles: number;
  maxPerPeer: number;
  peerIds: string[];
}

export async function tileHistory(page: Page): Promise<TileHistory> {
  return page.evaluate('window.__tupaTiles');
}

/** The ICE username fragment the server gave each open peer connection (changes with an ICE restart). */
export async function remoteIceUfrags(page: Page): Promise<string[]> {
  return page.evaluate(`(() => (window.__tupaTest?.connections ?? [])
    .filter((pc) => pc.signalingState !== 'closed')
    .map((pc) => /a=ice-ufrag:(\\S+)/.exec(pc.remoteDescription?.sdp ?? '')?.[1] ?? ''))()`);
}

/**
 * Waits until the page's own camera picture plays (the self view has a stream with frames).
 * Polled from here: waitForFunction with a string would be an eval that the page's CSP refuses.
 */
export async function selfVideoReady(page: Page, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await page.evaluate(`(() => {
      const video = document.querySelector('[data-self] video');
      return video !== null && video.srcObject !== null && video.readyState >= 2;
    })()`);
    if (ready === true) return;
    if (Date.now() > deadline) throw new Error('the self view did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** On the pre-join: types `name`, waits for the own camera picture, and presses Join. */
export async function joinFromPreJoin(page: Page, name: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Your name' }).fill(name);
  await selfVideoReady(page);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
}

/**
 * Where an element is on the screen, once it is laid out: a layout that changes (a new width,
 * a component swapped in) may briefly have it detached, when Playwright's boundingBox is null.
 */
export async function boxOf(locator: Locator, timeoutMs = 5000): Promise<{ x: number; y: number; width: number; height: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const box = await locator.boundingBox().catch(() => null);
    if (box) return box;
    if (Date.now() > deadline) throw new Error(`${String(locator)} was not laid out within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** This tab's own participant id in a room, from the resume credential the app keeps. */
export async function ownPeerId(page: Page, roomId: string): Promise<string> {
  const id = await page.evaluate(`(() => {
    const raw = sessionStorage.getItem(${JSON.stringify(`tupa.resume.${roomId}`)});
    return raw ? JSON.parse(raw).peerId : null;
  })()`);
  if (typeof id !== 'string') throw new Error('no peer id in sessionStorage');
  return id;
}

/** Resolves with how many ms it took until the tile's video decodes new frames, or null. */
export async function msUntilTileDecodes(page: Page, peerId: string, timeoutMs: number): Promise<number | null> {
  const started = Date.now();
  let baseline: { trackId: string; frames: number } | null = null;
  while (Date.now() - started < timeoutMs) {
    const video = await tileVideo(page, peerId);
    if (video) {
      if (baseline && baseline.trackId === video.trackId && video.framesDecoded > baseline.frames + 2) return Date.now() - started;
      if (!baseline || baseline.trackId !== video.trackId) baseline = { trackId: video.trackId, frames: video.framesDecoded };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/**
 * A signed-in staff member (their `cookie`, "name=value") opens the room on this page, types
 * `name` and joins from the pre-join; resolves once the host tools are there.
 */
export async function joinAsStaffHost(opened: TestPage, baseUrl: string, roomId: string, cookie: string, name: string): Promise<void> {
  const [cookieName, ...cookieValue] = cookie.split('=');
  await opened.context.addCookies([{ name: cookieName!, value: cookieValue.join('='), url: baseUrl }]);
  await opened.page.goto(`${baseUrl}/r/${roomId}`);
  await joinFromPreJoin(opened.page, name);
  await opened.page.getByRole('button', { name: 'Host tools' }).waitFor({ timeout: 15_000 });
}
