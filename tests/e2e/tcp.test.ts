import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundTotals, launchChromium, openPage, type TestPage } from '../support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

// A network that blocks UDP (strict firewalls, some mobile carriers) is simulated inside the
// browser: every UDP candidate is removed from what the page learns about the server, so the
// only path left is ICE over TCP to the media server's TCP port.
const BLOCK_UDP_SCRIPT = `(() => {
  const proto = RTCPeerConnection.prototype;
  const setRemote = proto.setRemoteDescription;
  proto.setRemoteDescription = function (description) {
    if (description && description.sdp) {
      const sdp = description.sdp
        .split('\\r\\n')
        .filter((line) => !(line.startsWith('a=candidate:') && / udp /i.test(line)))
        .join('\\r\\n');
      description = { type: description.type, sdp };
    }
    return setRemote.call(this, description);
  };
})();`;

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** The transport protocol of every connected peer connection's selected candidate pair. */
async function selectedProtocols(page: Page): Promise<string[]> {
  return page.evaluate(`(async () => {
    const protocols = [];
    for (const pc of window.__tupaTest?.connections ?? []) {
      if (pc.connectionState !== 'connected') continue;
      const report = await pc.getStats();
      report.forEach((s) => {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
        const pair = report.get(s.selectedCandidatePairId);
        const remote = pair && report.get(pair.remoteCandidateId);
        if (remote) protocols.push(remote.protocol);
      });
    }
    return protocols;
  })()`);
}

describe('a call when UDP is blocked', () => {
  it('connects over TCP to the media server and both sides see each other', async () => {
    const created = await fetch(`${t.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { path } = (await created.json()) as { path: string };
    const pages: TestPage[] = [];
    for (const name of ['Aino', 'Eino']) {
      const opened = await openPage(browser);
      await opened.context.addInitScript(BLOCK_UDP_SCRIPT);
      await opened.page.goto(`${t.url}${path}`);
      await opened.page.getByRole('textbox', { name: 'Your name' }).fill(name);
      await opened.page.getByRole('button', { name: 'Join', exact: true }).click();
      pages.push(opened);
    }
    for (const { page } of pages) {
      await expect.poll(async () => (await inboundTotals(page, 'video')).framesDecoded, { timeout: 20_000 }).toBeGreaterThan(10);
      await expect.poll(async () => (await inboundTotals(page, 'audio')).packetsReceived, { timeout: 10_000 }).toBeGreaterThan(10);
      const protocols = await selectedProtocols(page);
      expect(protocols.length).toBeGreaterThanOrEqual(2); // send and receive transports
      expect(new Set(protocols)).toEqual(new Set(['tcp']));
    }
    for (const { context } of pages) await context.close();
  });
});
