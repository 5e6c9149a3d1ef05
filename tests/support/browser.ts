import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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
}

export interface PageOptions {
  /** BCP 47 tag the browser reports (navigator.language, Accept-Language). */
  locale?: string;
  viewport?: { width: number; height: number };
}

/** Starts Chromium; every page gets its own context (own storage, own fake devices). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** A fresh context and page with the recorder installed and problems collected. */
export async function openPage(browser: Browser, options: PageOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  await context.addInitScript(RECORDER_SCRIPT);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, context, problems };
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
